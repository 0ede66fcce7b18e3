/// What a repair tells its operator as it goes, before the report: each a fact, worded in Reporting
/// (`RepairNotice.description`), so the library writes no sentence of its own.
public enum RepairNotice: Sendable, Equatable {
    /// Another repair holds the repair lock at `path`; this one waits up to `seconds`.
    case waitingForRepairLock(path: String, seconds: Int)
    /// A dry run beside a repair in progress: its plan is of the store before that repair ends.
    case dryRunBesideRepair(lockPath: String)
    /// Another process has the database open: the write goes one session at a time, the write lock free between them.
    case agentHasDatabaseOpen(database: String)
    /// Another connection holds SQLite's write lock; the write of `session` waits up to `seconds`.
    case waitingForWriteLock(database: String, session: SessionID, seconds: Int)
    /// The session changed between the plan and its transaction, so it is read and planned again.
    case sessionChangedWhileRepaired(SessionID)
}
