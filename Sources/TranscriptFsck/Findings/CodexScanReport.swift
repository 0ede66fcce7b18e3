/// The result of scanning a Codex home: the home's own problems and one finding per thread, in thread id order.
///
/// ```swift
/// let report = try CodexScanReport.scan(home, threadIDs: [], statuses: [.stale])
/// print(report.rendered(as: .table), terminator: "")
/// ```
public struct CodexScanReport: Sendable {
    public let home: CodexHome
    let homeProblems: [CodexHomeProblem]
    /// The threads the run asked for (`--session`, `--status`), ok ones too.
    let threads: [CodexThreadFinding]
    /// Home-wide notes that change no thread's status: entries not read, an unreadable `--since` state file.
    var warnings: [StoreWarning]
    public internal(set) var duration: Duration

    /// Audits `home` (`CodexThreadCheck.audit`), then keeps the threads named by `threadIDs` (all when empty) and, of
    /// those, the ones whose status is among `statuses` (all when empty).
    ///
    /// - Throws: ``FsckError`` when a database of the home cannot be read, and ``FsckError/threadNotFound(id:home:)``
    ///   for a thread id the home does not hold.
    public static func scan(_ home: CodexHome, threadIDs: [String] = [], statuses: [CodexThreadStatus] = []) throws(FsckError) -> CodexScanReport {
        let clock = ContinuousClock()
        let started = clock.now
        let audit = try CodexThreadCheck.audit(home)
        var threads = audit.threads
        if !threadIDs.isEmpty {
            let known = Set(threads.map(\.threadID))
            if let unknown = threadIDs.first(where: { !known.contains($0) }) { throw .threadNotFound(id: unknown, home: home.path) }
            threads = threads.filter { threadIDs.contains($0.threadID) }
        }
        if !statuses.isEmpty { threads = threads.filter { statuses.contains($0.status) } }
        return CodexScanReport(home: home, homeProblems: audit.homeProblems, threads: threads,
                               warnings: audit.unread.map(StoreWarning.notRead), duration: clock.now - started)
    }

    /// True when any thread is not ok, or some entry of the rollout folders was not read: exit status 1, never all clear.
    /// A missing `state_5.sqlite` alone is not: codex rebuilds it at its next start.
    public var hasProblems: Bool { threads.contains { $0.status != .ok } || warnings.contains(where: \.leavesHistoryUnread) }

    /// Thread counts by status.
    var countsByStatus: [CodexThreadStatus: Int] {
        threads.reduce(into: [:]) { counts, thread in counts[thread.status, default: 0] += 1 }
    }

    /// The threads with a problem.
    var problemThreads: [CodexThreadFinding] { threads.filter { $0.status != .ok } }
}

extension CodexScanReport {
    /// The rollout of thread `id` (its judged file), or nil when the report has no such thread or it has no rollout.
    public func rolloutPath(ofThread id: String) -> String? {
        threads.first { $0.threadID == id }?.rolloutPath
    }
}
