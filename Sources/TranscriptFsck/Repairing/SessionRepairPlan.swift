/// What a backfill will do to one session, decided before its write transaction begins.
///
/// Every released agent reads a session `ORDER BY id`, so lost messages must get smaller ids than the rows
/// that follow them. New rows can only get larger ids; so every row of the session from the first one that
/// follows a gap on is rewritten under a new id, behind the backfilled rows before it, with every column value
/// it holds kept. Rows before the first gap are not touched.
public struct SessionRepairPlan: Sendable {
    /// A transcript message to insert, with the timestamp and flags that place it.
    public struct Row: Sendable {
        public let transcriptIndex: Int
        public let message: TranscriptMessage
        public let timestamp: Double
        /// The `active`/`compacted` flags it gets; nil leaves the columns' defaults (a live row).
        public let flags: RowFlags?

        public var isLive: Bool { flags?.isLive ?? true }
    }

    /// A run of consecutive missing messages and the existing row they go before.
    public struct Gap: Sendable {
        /// nil: after every row of the session.
        public let beforeRowID: Int64?
        public let rows: [Row]
    }

    public let sessionID: String
    public let transcriptPath: String
    /// Set when the database has no session row: the row to insert, column by column.
    public let sessionRow: [(column: String, value: SQLiteStatement.Value)]?
    public let gaps: [Gap]
    /// The session's rows as the plan saw them; the write goes ahead only if they are still so.
    public let expected: DatabaseSession
    /// What the session must read back as once the rows are in: the transcript's whole sequence, then
    /// the rows the transcript never saw (the session went on, or a live agent wrote them meanwhile).
    public let finalFingerprints: [MessageFingerprint]
    /// Where the rows go, a step per run of consecutive rows, for the dry run and the report.
    public let placement: [PlacementStep]

    public var createsSession: Bool { sessionRow != nil }
    public var rows: [Row] { gaps.flatMap(\.rows) }
    /// The first existing row that moves behind backfilled rows; nil when the rows only go after every row.
    public var firstMovedRowID: Int64? { gaps.compactMap(\.beforeRowID).min() }
    /// How many of the session's message rows get new ids.
    public var movedRows: Int { firstMovedRowID.map { first in expected.rowIDs.count { $0 >= first } } ?? 0 }
    /// What the agent adds to `message_count` and `tool_call_count` for these rows: live rows only, as
    /// `archive_and_compact` counts the live set.
    public var liveRowCount: Int { rows.count { $0.isLive } }
    public var toolCallCount: Int { rows.filter(\.isLive).reduce(0) { $0 + $1.message.toolCallCount } }
}

/// Why a session will not be repaired; the session is left exactly as it was.
public struct RepairRefusal: Error, Sendable {
    public let reason: RepairReason

    public init(_ reason: RepairReason) {
        self.reason = reason
    }

    /// True when no later session could fare better (disk full, read-only file): the run stops.
    public var stopsTheRun: Bool {
        if case .storageFailed = reason { return true }
        return false
    }
}
