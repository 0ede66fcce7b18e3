/// What a backfill will do to one session, decided before its write transaction begins.
///
/// Every released agent reads a session `ORDER BY id`, and a lineage across its sessions the same way, so each run
/// of lost messages (a gap) must take ids between its neighbours' (`IDPlacement`, decided again inside the write
/// transaction from the ids in use then). Existing rows keep their ids wherever there is room.
struct SessionRepairPlan: Sendable {
    /// A transcript message to insert, with the timestamp and flags that place it. The message itself is read again
    /// when its session is written (`readMessages`): plans for every session are made first, and holding all their
    /// messages would take the sum of every lost message's size, not the largest.
    struct Row: Sendable {
        let transcriptIndex: Int
        /// How many tool calls the message carries (what the agent adds to `tool_call_count`).
        let toolCalls: Int
        let timestamp: Double
        /// The `active`/`compacted` flags it gets; nil leaves the columns' defaults (a live row).
        let flags: RowFlags?

        var isLive: Bool { flags?.isLive ?? true }
    }

    /// A run of consecutive missing messages and the existing row they go before.
    struct Gap: Sendable {
        /// nil: after every row of the session.
        let beforeRowID: Int64?
        let rows: [Row]
    }

    let sessionID: SessionID
    let transcriptPath: String
    /// How many messages the transcript held when planned: the first of `finalFingerprints`.
    let transcriptMessages: Int
    /// Set when the database has no session row: the row to insert, column by column.
    let sessionRow: [(column: String, value: SQLiteStatement.Value)]?
    let gaps: [Gap]
    /// The session's rows as the plan saw them; the write goes ahead only if they are still so.
    let expected: DatabaseSession
    /// What the session must read back as once the rows are in: the transcript's whole sequence, then
    /// the rows the transcript never saw (the session went on, or a live agent wrote them meanwhile).
    let finalFingerprints: [MessageFingerprint]
    /// The sessions this one continues, parent first, and those that continue it, nearest first (`Lineage`).
    let ancestors: [SessionID]
    let descendants: [SessionID]
    /// Where the rows were found to go when the plan was made; the write decides again inside its transaction.
    var predicted: IDPlacement?

    /// Where the rows go, a step per run of consecutive rows, for the dry run and the report.
    var placement: [PlacementStep] { predicted?.steps(for: self) ?? [] }

    var createsSession: Bool { sessionRow != nil }
    var rows: [Row] { gaps.flatMap(\.rows) }
    /// How many existing rows get new ids, as predicted.
    var movedRows: Int { predicted?.totalMovedRows ?? 0 }
    /// What the agent adds to `message_count` and `tool_call_count` for these rows: live rows only, as
    /// `archive_and_compact` counts the live set.
    var liveRowCount: Int { rows.count { $0.isLive } }
    var toolCallCount: Int { rows.filter(\.isLive).reduce(0) { $0 + $1.toolCalls } }

    /// The rows' messages in full, by transcript index, read again from the transcript; refused when the transcript no
    /// longer begins with the messages planned from (a live agent appending to it changes nothing planned).
    func readMessages() throws(RepairRefusal) -> [Int: TranscriptMessage] {
        let contents: TranscriptContents
        do {
            contents = try TranscriptContents.read(path: transcriptPath, wanted: Set(rows.map(\.transcriptIndex)))
        } catch {
            throw RepairRefusal(.transcriptUnreadable(error))
        }
        guard contents.fingerprints.starts(with: finalFingerprints.prefix(transcriptMessages)) else {
            throw RepairRefusal(.transcriptChanged)
        }
        for row in rows where contents.messages[row.transcriptIndex] == nil {
            throw RepairRefusal(.messageNotReadBack(row.transcriptIndex + 1))
        }
        return contents.messages
    }
}

/// Why a session will not be repaired; the session is left exactly as it was.
struct RepairRefusal: Error, Sendable {
    let reason: RepairReason

    init(_ reason: RepairReason) {
        self.reason = reason
    }

    /// True when no later session could fare better (disk full, read-only file): the run stops.
    var stopsTheRun: Bool {
        if case .storageFailed = reason { return true }
        return false
    }
}
