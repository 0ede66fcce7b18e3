/// Everything the tool asks of the agent whose store it reads, answered by one type per generation of that
/// agent's store and chosen once, from the schema (`AgentFormats.detect`). The reader, planner, writer and exporter
/// ask it; none of them tests a column or a role itself. Docs/ARCHITECTURE.md says what adding an agent takes.
protocol AgentFormat: Sendable {
    /// The generation, for people: `Hermes 0.16-0.19 (active flags)`.
    var name: String { get }
    /// The store's tables as read.
    var schema: StoreSchema { get }
    /// The `ORDER BY` expression the agent loads a session's rows in. The repair places lost messages by it, and
    /// the only order it can place rows in is their id: a generation that reads in another order needs a planner of
    /// its own, not just another value here.
    var sessionOrder: String { get }
    /// The role of the agent's bookkeeping rows, which are not conversation messages: not compared, not counted.
    var bookkeepingRole: String { get }
    /// The columns of a row's place in the live context; nil for a generation without them.
    var flagColumns: FlagColumns? { get }
    /// The columns no transcript key may set: the row's identity, place and flags belong to the repair.
    var managedMessageColumns: Set<String> { get }
    /// The columns and values a backfilled row gets for `message`, as the agent's own writer binds them.
    func messageValues(of message: TranscriptMessage) -> [(column: String, value: SQLiteStatement.Value)]
    /// The row a missing session gets in the sessions table, from the transcript's `session_meta` entry.
    func sessionRow(id: SessionID, meta: [(name: String, value: TranscriptMessage.Value)], startedAt: Double)
        -> [(column: String, value: SQLiteStatement.Value)]
    /// The `SET` terms that keep the session row's counters right once `rows` are in: recounted from the session's
    /// rows for a session row the repair creates, else added to.
    func counterUpdates(sessionID: SessionID, createdSession: Bool, liveRows: Int, toolCalls: Int) -> [(term: String, value: SQLiteStatement.Value)]
    /// The SQL expression that carries `column` over when a row is rewritten under a new id.
    func copiedValue(of column: String) -> String

    // The statements whose text depends on the generation (its order, its columns). The reader takes their columns
    // by position, so each says what it yields.

    /// Every session row: `id, source, started_at, parent_session_id`, NULL for a column the store lacks.
    var everySessionRow: String { get }
    /// The same for the session whose id is bound.
    var sessionRowByID: String { get }
    /// Every message row in `sessionOrder`, sessions interleaved: `session_id, id, timestamp`, the compared fields
    /// (`MessageFingerprinter.Field`), then the two flag columns, NULL for a column the store lacks.
    var everyMessageIdentity: String { get }
    /// The same for the rows of the session whose id is bound.
    var sessionMessageIdentities: String { get }
    /// The ids of a session's rows (its id bound first) from an id (bound second) on, bookkeeping rows included, in
    /// `sessionOrder`.
    var sessionRowIDsFromID: String { get }
    /// Copies the row whose id is bound, every column but its id carried over (`copiedValue`), under the next id.
    var rowCopy: String { get }
    /// The message columns an export writes as a transcript line's keys, in their order.
    var exportedColumns: [String] { get }
    /// The rows of the session whose id is bound, in `sessionOrder`: `exportedColumns`, then the row id.
    var sessionMessagesForExport: String { get }
}

/// The columns holding a row's place in the agent's live context.
struct FlagColumns: Sendable, Equatable {
    /// 1 while the row is loaded into the live context.
    let active: String
    /// 1 when an in-place compaction archived the row, 0 when the user undid it; nil before compaction existed.
    let compacted: String?
}

/// The generations the tool knows, newest first: the first whose `recognizes` holds reads the store.
enum AgentFormats {
    static let known: [any RecognizedFormat.Type] = [HermesDisplayOrder.self, HermesLiveContext.self, HermesTranscriptEra.self]

    /// The format of the store whose schema this is; `path` names it in the error when no known generation fits.
    static func detect(_ schema: StoreSchema, path: String) throws(FsckError) -> any AgentFormat {
        for format in known where format.recognizes(schema) {
            if let missing = format.requiredColumns.first(where: { !schema.hasColumn($0.column, in: $0.table) }) {
                throw .unknownSchema(path: path, detail: schema.hasTable(missing.table) ? "table \(missing.table) has no column \(missing.column)"
                                                                                      : "no table \(missing.table)")
            }
            return format.init(schema: schema)
        }
        throw .unknownSchema(path: path, detail: "no known agent generation has this schema")
    }
}

/// A format the detection can try: what it recognizes a store by, and the columns it cannot work without.
protocol RecognizedFormat: AgentFormat {
    init(schema: StoreSchema)
    static func recognizes(_ schema: StoreSchema) -> Bool
    static var requiredColumns: [(table: String, column: String)] { get }
}
