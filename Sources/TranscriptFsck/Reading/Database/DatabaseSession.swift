/// One session as the database holds it: its rows in the order the agent reads them
/// (`ORDER BY timestamp, id`), each as a fingerprint with its row id and timestamp.
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
