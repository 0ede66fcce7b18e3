/// What a backfill will do to one session, decided before its write transaction begins.
public struct SessionRepairPlan: Sendable {
    /// A transcript message to insert, with the timestamp that places it.
    public struct Row: Sendable {
        public let transcriptIndex: Int
        public let message: TranscriptMessage
        public let timestamp: Double
    }

    public let sessionID: String
    public let transcriptPath: String
    /// Set when the database has no session row: the row to `INSERT OR IGNORE`, column by column.
    public let sessionRow: [(column: String, value: SQLiteStatement.Value)]?
    public let rows: [Row]
    /// The session's rows as the plan saw them; the write goes ahead only if they are still so.
    public let expected: DatabaseSession
    /// What the session must read back as once the rows are in: the transcript's whole sequence, then
    /// any rows the live agent wrote after the transcript was read.
    public let finalFingerprints: [MessageFingerprint]
    /// Where the rows go, one line per run of consecutive rows, for the dry run and the report.
    public let placement: [String]

    public var createsSession: Bool { sessionRow != nil }
    public var toolCallCount: Int { rows.reduce(0) { $0 + $1.message.toolCallCount } }
}

/// Why a session will not be repaired; the session is left exactly as it was.
public struct RepairRefusal: Error, Sendable, CustomStringConvertible {
    public let reason: String
    /// True when no later session could fare better (disk full, read-only file): the run stops.
    public let stopsTheRun: Bool

    public init(_ reason: String, stopsTheRun: Bool = false) {
        self.reason = reason
        self.stopsTheRun = stopsTheRun
    }

    public var description: String { reason }
}
