/// Hears how far a repair's write has got, session by session: the repair calls it, a report (a progress line on a
/// terminal) implements it, as `ScanObserver` does for the scan.
public protocol RepairObserver: Sendable {
    /// The write begins: `sessions` planned, holding `rows` rows to insert.
    func start(sessions: Int, rows: Int)
    /// The backup is made, just before the first session is written.
    func backupMade()
    /// One session is done with: of the `planned` rows, `inserted` were (fewer when it was refused or deferred).
    func sessionDone(planned: Int, inserted: Int, deferred: Bool)
    func finish()
}
