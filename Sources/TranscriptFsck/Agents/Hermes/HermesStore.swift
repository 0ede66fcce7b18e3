/// The rules every generation of the Hermes store shares (hermes-agent 0.13.0 to 0.19.0 and main, read from its
/// released code: `hermes_state.SessionDB`). A generation is a type conforming to this, overriding what differs.
protocol HermesStore: RecognizedFormat {}

extension HermesStore {
    static var requiredColumns: [(table: String, column: String)] {
        [("sessions", "id"), ("messages", "id"), ("messages", "session_id"), ("messages", "role"), ("messages", "content"),
         ("messages", "timestamp")]
    }

    /// `get_messages` and every other reader: `ORDER BY id`.
    var sessionOrder: String { "id" }
    /// 0.13.0's gateway writes the transcript's `session_meta` entry into `messages` too.
    var bookkeepingRole: String { Hermes.bookkeepingRole }
    var managedMessageColumns: Set<String> { ["id", "session_id", "timestamp", "active", "compacted", "display_order"] }
    /// `active` from 0.16.0 (/undo, rewind), `compacted` from 0.18.0 (in-place compaction): whichever the store has.
    var flagColumns: FlagColumns? {
        guard schema.hasMessageColumn("active") else { return nil }
        return FlagColumns(active: "active", compacted: schema.hasMessageColumn("compacted") ? "compacted" : nil)
    }

    func messageValues(of message: TranscriptMessage) -> [(column: String, value: SQLiteStatement.Value)] {
        HermesMessageValues.values(of: message, managed: managedMessageColumns, schema: schema)
    }

    /// `create_session`: id, source and start time, then whatever `session_meta` holds for a column of that name.
    func sessionRow(id: SessionID, meta: [(name: String, value: TranscriptMessage.Value)], startedAt: Double)
        -> [(column: String, value: SQLiteStatement.Value)] {
        var source = "cli"
        for key in ["source", "platform"] {
            if case .text(let text)? = meta.last(where: { $0.name == key })?.value, !text.isEmpty { source = text; break }
        }
        var row: [(column: String, value: SQLiteStatement.Value)] = [("id", id.sqlValue), ("source", .text(source)), ("started_at", .real(startedAt))]
        let managed: Set<String> = ["id", "source", "started_at", "message_count", "tool_call_count", "role", "timestamp"]
        for (name, value) in meta where !managed.contains(name) && schema.hasSessionColumn(name) {
            // A null leaves the column to its default, as the agent's own INSERT does when it has no value.
            if case .null = value { continue }
            row.append((name, value.sqliteValue))
        }
        return row
    }

    /// `append_message` adds to `message_count` and `tool_call_count`; `archive_and_compact` counts live rows only.
    func counterUpdates(sessionID: SessionID, createdSession: Bool, liveRows: Int, toolCalls: Int) -> [(term: String, value: SQLiteStatement.Value)] {
        var terms: [(term: String, value: SQLiteStatement.Value)] = []
        if createdSession {
            // A new row counts every message the session holds, rows that were there without it included.
            let bookkeeping = SQLiteText.quotedString(bookkeepingRole)
            if schema.hasSessionColumn("message_count") {
                terms.append(("message_count = (SELECT count(*) FROM messages WHERE session_id = ? AND role IS NOT \(bookkeeping))", sessionID.sqlValue))
            }
            if schema.hasSessionColumn("tool_call_count"), schema.hasMessageColumn("tool_calls") {
                terms.append(("tool_call_count = (SELECT coalesce(sum(CASE WHEN json_valid(tool_calls) AND json_type(tool_calls) = 'array' "
                              + "THEN json_array_length(tool_calls) ELSE 0 END), 0) FROM messages WHERE session_id = ?)", sessionID.sqlValue))
            }
        } else {
            for (column, amount) in [("message_count", liveRows), ("tool_call_count", toolCalls)] where schema.hasSessionColumn(column) {
                terms.append(("\(column) = coalesce(\(column), 0) + ?", .integer(Int64(amount))))
            }
        }
        return terms
    }

    func copiedValue(of column: String) -> String { SQLiteText.quotedIdentifier(column) }
}

/// What the Hermes transcripts and store share whatever the generation.
enum Hermes {
    static let bookkeepingRole = "session_meta"
    static let bookkeepingRoleBytes = Array(bookkeepingRole.utf8)
}

/// The earliest schemas and hermes-agent 0.13.0-0.15.x (schema_version up to 13), which wrote transcripts: no row
/// is ever out of the live context.
struct HermesTranscriptEra: HermesStore {
    let schema: StoreSchema
    var name: String { "Hermes up to 0.15 (no active column)" }
    static func recognizes(_ schema: StoreSchema) -> Bool { true }
}

/// hermes-agent 0.16.0-0.19.0 (schema_version 14-22): /undo and rewind mark rows `active = 0`; from 0.18.0 an
/// in-place compaction archives them with `compacted = 1`.
struct HermesLiveContext: HermesStore {
    let schema: StoreSchema
    var name: String { "Hermes 0.16-0.19 (active" + (flagColumns?.compacted == nil ? ")" : ", compacted)") }
    static func recognizes(_ schema: StoreSchema) -> Bool { schema.hasMessageColumn("active") }
}

/// The late-2026 schema (main, schema_version 30): as 0.16-0.19, plus a `display_order` an insert trigger derives
/// from the row id, which must be derived again when a row gets a new id.
struct HermesDisplayOrder: HermesStore {
    let schema: StoreSchema
    var name: String { "Hermes main (display_order)" }
    static func recognizes(_ schema: StoreSchema) -> Bool { schema.hasMessageColumn("display_order") }

    func copiedValue(of column: String) -> String {
        column == "display_order" ? "CASE WHEN display_order = id THEN NULL ELSE display_order END" : SQLiteText.quotedIdentifier(column)
    }
}
