/// One session as the database holds it: its message rows in the order every released agent reads
/// them (`ORDER BY id`), each as a fingerprint, and, when read in detail, its row id, timestamp and flags.
///
/// Every row counts, active or not: a row compacted away or undone still accounts for its message.
/// The agent's bookkeeping rows (role `session_meta`) are not messages and are left out.
///
/// The whole-store pass keeps fingerprints only (8 bytes a row); the sessions that turn out to need
/// attention are read again in detail, which is what placing rows and naming them needs.
struct DatabaseSession: Sendable, Equatable {
    var hasSessionRow = false
    /// The session row's `source` and `started_at`, when there is a row.
    var source: String?
    var startedAt: Double?
    /// The session it continues (`parent_session_id`): compression ends a session and goes on in a child, and the
    /// agent reads the whole lineage, root to tip, in one `ORDER BY id`.
    var parentSessionID: SessionID?
    var fingerprints: [MessageFingerprint] = []
    var rowIDs: [Int64] = []
    var timestamps: [Double] = []
    /// Each row's `active` and `compacted` flags; nil for a schema without them.
    var flags: [RowFlags?] = []

    var messageCount: Int { fingerprints.count }

    init() {}

    /// True when `rowIDs` and `timestamps` are filled in.
    var hasDetails: Bool { rowIDs.count == fingerprints.count }

    mutating func append(fingerprint: MessageFingerprint, rowID: Int64, timestamp: Double, flags: RowFlags?) {
        fingerprints.append(fingerprint)
        rowIDs.append(rowID)
        timestamps.append(timestamp)
        self.flags.append(flags)
    }

    /// Drops the last `count` rows.
    mutating func removeLast(_ count: Int) {
        fingerprints.removeLast(count)
        rowIDs.removeLast(min(count, rowIDs.count))
        timestamps.removeLast(min(count, timestamps.count))
        flags.removeLast(min(count, flags.count))
    }
}

/// A row's place in the agent's live context (schemas from 0.15.0 on).
struct RowFlags: Sendable, Equatable, Hashable {
    /// Loaded into the live context (`active = 1`).
    var active: Int64
    /// Archived by an in-place compaction (`active = 0, compacted = 1`), as opposed to undone by the user (`compacted = 0`).
    var compacted: Int64

    static let archived = RowFlags(active: 0, compacted: 1)
    static let undone = RowFlags(active: 0, compacted: 0)

    var isLive: Bool { active != 0 }
}

/// Every session of the database, read in one consistent snapshot.
struct DatabaseSnapshot: Sendable {
    let path: String
    /// What the agent's store means, detected from its schema.
    let format: any AgentFormat
    var schema: StoreSchema { format.schema }
    var sessions: [SessionID: DatabaseSession]
}
