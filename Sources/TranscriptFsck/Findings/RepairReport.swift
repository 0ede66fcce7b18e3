/// What a repair did (or, in a dry run, would do) to each session.
public struct RepairReport: Sendable {
    /// The outcome for one session.
    enum Action: String, Sendable, CaseIterable {
        /// Missing rows were inserted into an existing session.
        case backfilled
        /// The session row was created and all its messages inserted.
        case created
        /// Left exactly as it was, for the reason given.
        case refused
        /// Left as it was for now: writing it would hold the write lock longer than the budget while another
        /// process (the agent) has the database open. Stop the agent and run the repair again.
        case deferred
        /// Nothing to do.
        case unchanged
    }

    struct Session: Sendable {
        let sessionID: SessionID
        let status: SessionStatus
        let action: Action
        let inserted: Int
        /// Why it was refused or deferred (or left unchanged by the repair itself).
        let reason: RepairReason?
        /// Where the rows went (or would go).
        let placement: [PlacementStep]
    }

    /// The result of one FTS5 `integrity-check`.
    struct FullTextCheck: Sendable, Equatable {
        let table: String
        /// Nil when the check passed or was skipped.
        let failure: String?
        /// Why the check did not run, when it did not.
        var skipped: Skip? = nil

        enum Skip: Sendable, Equatable {
            /// The check is an `INSERT` that holds the write lock while it reads the whole index (about a second for
            /// 300,000 rows): too long beside a live agent under a lock budget.
            case otherProcessHasTheDatabaseOpen
        }
    }

    public let location: StoreLocation
    let dryRun: Bool
    let backupPath: String?
    let sessions: [Session]
    let fullTextChecks: [FullTextCheck]
    let warnings: [StoreWarning]
    public let duration: Duration
    public let phases: Phases
    /// The signal (SIGINT, SIGTERM, SIGHUP) that stopped the write before every session was come to.
    var interruptedBy: Int32? = nil

    /// Where the time went: reading both stores, planning, and writing (the wait for another repair, the backup and the FTS
    /// checks excluded).
    public struct Phases: Sendable {
        public let scan: Duration
        public let plan: Duration
        public let write: Duration
    }

    var insertedMessages: Int { sessions.reduce(0) { $0 + $1.inserted } }

    func count(_ action: Action) -> Int { sessions.filter { $0.action == action }.count }

    /// True when a session was refused or deferred, or a full-text index failed its check, or (a dry run) there is
    /// something to write: the exit status is then 1, as `git diff --exit-code` says there are changes.
    public var needsAttention: Bool {
        count(.refused) > 0 || count(.deferred) > 0 || fullTextChecks.contains { $0.failure != nil }
            || (dryRun && (count(.backfilled) > 0 || count(.created) > 0))
    }
}
