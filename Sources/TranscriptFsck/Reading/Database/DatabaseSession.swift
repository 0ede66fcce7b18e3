/// One session as the database holds it: its rows in the order the agent reads them
/// (`ORDER BY timestamp, id`), each as a fingerprint, and, when read in detail, its row id and timestamp.
///
/// The whole-store pass keeps fingerprints only (8 bytes a row); the sessions that turn out to need
/// attention are read again in detail, which is what placing rows and naming them needs.
public struct DatabaseSession: Sendable, Equatable {
    public var hasSessionRow = false
    /// The session row's `source` and `started_at`, when there is a row.
    public var source: String?
    public var startedAt: Double?
    public var fingerprints: [MessageFingerprint] = []
    public var rowIDs: [Int64] = []
    public var timestamps: [Double] = []

    public var messageCount: Int { fingerprints.count }

    public init() {}

    /// True when `rowIDs` and `timestamps` are filled in.
    public var hasDetails: Bool { rowIDs.count == fingerprints.count }

    mutating func append(fingerprint: MessageFingerprint, rowID: Int64, timestamp: Double) {
        fingerprints.append(fingerprint)
        rowIDs.append(rowID)
        timestamps.append(timestamp)
    }
}

/// Every session of the database, read in one consistent snapshot.
public struct DatabaseSnapshot: Sendable {
    public let path: String
    public let schema: StoreSchema
    public var sessions: [String: DatabaseSession]
}
