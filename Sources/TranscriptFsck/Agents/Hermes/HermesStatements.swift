/// The SQL Hermes' store is asked in: its two tables, `sessions` and `messages`, and every statement the schema
/// read, the reader, doctor, the repair, the deletion evidence and the export send it. The shared pipeline names
/// what it asks; this says how the store answers. What differs by generation (the session order, the columns a schema has) is asked of the `AgentFormat`,
/// which `HermesStore` answers below from the same text; the rest is the same in every generation.
enum HermesStatements {
    static let sessionsTable = "sessions"
    static let messagesTable = "messages"

    // MARK: Reading

    /// The highest message id, 0 for none.
    static let newestMessageID = "SELECT coalesce(max(id), 0) FROM messages"
    /// Every session row's id.
    static let sessionIDs = "SELECT id FROM sessions"
    /// Per session with messages: its id, how many rows it has and its newest row id.
    static let rowCountAndNewestIDBySession = "SELECT session_id, count(*), max(id) FROM messages GROUP BY session_id"
    /// The version the agent's migrations last brought the schema to; fails where it keeps no `schema_version` table.
    static let schemaVersion = "SELECT max(version) FROM schema_version"

    /// `id, source, started_at, parent_session_id` of the sessions table, NULL for a column `schema` lacks.
    fileprivate static func sessionRowColumns(_ schema: StoreSchema) -> String {
        ["id", "source", "started_at", "parent_session_id"].map { schema.hasSessionColumn($0) ? $0 : "NULL" }.joined(separator: ", ")
    }

    /// `id, timestamp`, the compared fields (`MessageFingerprinter.Field`), then the two flag columns, with NULL for
    /// a column the store lacks.
    fileprivate static func messageIdentityColumns(_ format: any AgentFormat) -> String {
        let columns: [String?] = (["id", "timestamp"] + MessageFingerprinter.Field.all.map { "\($0.name)" })
            .map { format.schema.hasMessageColumn($0) ? $0 : nil }
        return (columns + [format.flagColumns?.active, format.flagColumns?.compacted])
            .map { $0.map(SQLiteText.quotedIdentifier) ?? "NULL" }.joined(separator: ", ")
    }

    // MARK: The ids in use

    /// How many rows one session (first value) has from an id (second value) on.
    static let sessionRowCountFromID = "SELECT count(*) FROM messages WHERE session_id = ? AND id >= ?"
    /// The lowest message id, NULL for none.
    static let lowestMessageID = "SELECT min(id) FROM messages"
    /// How many message ids lie strictly between two ids.
    static let messageIDsUsedBetween = "SELECT count(*) FROM messages WHERE id > ? AND id < ?"
    /// The message ids strictly between two ids, highest first.
    static let messageIDsBetweenDescending = "SELECT id FROM messages WHERE id > ? AND id < ? ORDER BY id DESC"

    /// The `function` (`min`, `max`) of the message ids of `sessionCount` sessions, bound one each.
    static func extremeMessageID(_ function: String, sessionCount: Int) -> String {
        "SELECT \(function)(id) FROM messages WHERE session_id IN (\(placeholders(sessionCount)))"
    }

    // MARK: Deletion evidence

    /// The store's first record: the earliest session start or message time.
    static let firstRecordTime = "SELECT min(t) FROM (SELECT min(started_at) AS t FROM sessions UNION ALL SELECT min(timestamp) FROM messages)"
    /// The id just below the lowest id AUTOINCREMENT gave out (positive ones only).
    static let belowLowestGivenID = "SELECT min(id) - 1 FROM messages WHERE id > 0"
    /// `timestamp, id` of every row among the ids AUTOINCREMENT gives out, in that order.
    static let givenIDsByTime = "SELECT timestamp, id FROM messages WHERE id > 0 ORDER BY timestamp, id"
    /// AUTOINCREMENT's record of the highest message id ever given out.
    static let highestMessageIDEverGiven = "SELECT seq FROM sqlite_sequence WHERE name = 'messages'"

    // MARK: What a row move would disturb

    /// The tables whose foreign keys reference `messages`.
    static let tablesReferencingMessages = """
        SELECT DISTINCT t.name FROM sqlite_master AS t, pragma_foreign_key_list(t.name) AS k
        WHERE t.type = 'table' AND lower(k."table") = 'messages' ORDER BY t.name
        """
    /// `name, sql` of every trigger on `messages`.
    static let triggersOnMessages = """
        SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = 'messages' ORDER BY name
        """

    // MARK: Writing

    /// How many messages one session has, bookkeeping rows included.
    static let sessionRowCount = "SELECT count(*) FROM messages WHERE session_id = ?"
    /// 1 when a session row has this id.
    static let sessionRowsWithID = "SELECT count(*) FROM sessions WHERE id = ?"
    static let deleteMessage = "DELETE FROM messages WHERE id = ?"

    /// A session row of `columns`, bound in that order; `orIgnore` skips it when it breaks a constraint.
    static func insertSession(columns: [String], orIgnore: Bool) -> String {
        "INSERT \(orIgnore ? "OR IGNORE " : "")INTO sessions (\(quoted(columns))) VALUES (\(placeholders(columns.count)))"
    }

    /// Sets `terms` (`column = expression`) on one session row, whose id is bound last.
    static func updateSession(setting terms: [String]) -> String {
        "UPDATE sessions SET \(terms.joined(separator: ", ")) WHERE id = ?"
    }

    /// A message row of `columns`, bound in that order; a plain insert, so the full-text and display triggers fire.
    static func insertMessage(columns: [String]) -> String {
        "INSERT INTO messages (\(quoted(columns))) VALUES (\(placeholders(columns.count)))"
    }

    /// Copies the row whose id is bound into a new row under the next id, `values[i]` giving `columns[i]`.
    fileprivate static func copyMessage(columns: [String], values: [String]) -> String {
        "INSERT INTO messages (\(quoted(columns))) SELECT \(values.joined(separator: ", ")) FROM messages WHERE id = ?"
    }

    /// The columns of a backfilled row's place before its flags and content: its session, its time, and its id when
    /// it is given one (else the agent's next).
    static func rowPlace(session: SessionID, timestamp: Double, id: Int64?) -> [(column: String, value: SQLiteStatement.Value)] {
        [("session_id", session.sqlValue), ("timestamp", .real(timestamp))] + (id.map { [("id", .integer($0))] } ?? [])
    }

    private static func quoted(_ columns: [String]) -> String { columns.map(SQLiteText.quotedIdentifier).joined(separator: ", ") }
    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }
}

/// The statements that differ by generation, built from the generation's order, schema and flag columns.
extension HermesStore {
    var everySessionRow: String { "SELECT \(HermesStatements.sessionRowColumns(schema)) FROM sessions" }
    var sessionRowByID: String { "SELECT \(HermesStatements.sessionRowColumns(schema)) FROM sessions WHERE id = ?" }
    /// In table order, the sessions' rows interleaved: `ORDER BY session_id, id` walked the session index, looked
    /// every row up, and sorted each session's rows with all their columns in a temporary b-tree.
    var everyMessageIdentity: String {
        "SELECT session_id, \(HermesStatements.messageIdentityColumns(self)) FROM messages ORDER BY \(sessionOrder)"
    }
    /// The ids first, then each row by its id: `WHERE session_id = ? ORDER BY id` sorts whole rows in a temporary
    /// b-tree when the session index is (session_id, timestamp), as the agent's is, holding a 300 MB message twice more.
    var sessionMessageIdentities: String {
        "SELECT session_id, \(HermesStatements.messageIdentityColumns(self)) FROM messages "
            + "WHERE id IN (SELECT id FROM messages WHERE session_id = ?) ORDER BY \(sessionOrder)"
    }
    var sessionRowIDsFromID: String { "SELECT id FROM messages WHERE session_id = ? AND id >= ? ORDER BY \(sessionOrder)" }

    var rowCopy: String {
        let columns = schema.messageColumns.map(\.name).filter { $0 != "id" }
        return HermesStatements.copyMessage(columns: columns, values: columns.map(copiedValue))
    }

    /// The transcript's keys that are columns of the store, in the order a transcript line holds them.
    var exportedColumns: [String] {
        ["role", "content", "tool_calls", "tool_call_id", "tool_name", "timestamp", "reasoning", "finish_reason"]
            .filter(schema.hasMessageColumn)
    }
    var sessionMessagesForExport: String {
        "SELECT \(exportedColumns.joined(separator: ", ")), id FROM messages WHERE session_id = ? ORDER BY \(sessionOrder)"
    }
}
