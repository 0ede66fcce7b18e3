/// What shows a codex process using a home now, so that a repair never writes beside it (Docs/CODEX-FORMAT.md,
/// section 8): every codex process holds SQLite's locks on each database it has open, and 0.163.0's writer holds an
/// `flock` on `thread-writer-locks/<thread id>.lock` while it appends a turn. Left-over `-wal` and `-shm` files are no
/// sign: codex often leaves them after a clean exit.
enum CodexActivity: Sendable, Equatable {
    /// Another process has this database (or its `-wal`, `-shm`) open or locked.
    case databaseOpen(path: String)
    /// Another process has a thread's writer lock open or locked: a turn is being written.
    case threadBeingWritten(lockPath: String)
}

extension CodexHome {
    static let writerLocksName = "thread-writer-locks"

    /// The first sign of a codex process using this home, or nil when there is none. Read from `/proc`, as
    /// `OtherConnections` reads it for Hermes: taking a writer lock to test it could make codex's own writer fail.
    func activity() -> CodexActivity? {
        for database in [stateDatabase, historyDatabase] where POSIX.exists(database) {
            if OtherConnections.present(databasePath: database) { return .databaseOpen(path: database) }
        }
        let locks = path + "/" + Self.writerLocksName
        // Each lock file alone, all in one look: a lock is no database, and what lies beside it (a `-shm` made a
        // FIFO) is not opened.
        let names = ((try? POSIX.entryNames(in: locks)) ?? []).sorted().filter { $0.hasSuffix(".lock") }
        return OtherConnections.firstPresent(amongFiles: names.map { locks + "/" + $0 }).map { .threadBeingWritten(lockPath: $0) }
    }
}
