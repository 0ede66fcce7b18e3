/// The columns a backfilled message fills, with the values the agent's own writers would store for it
/// (`SessionDB.append_message` and `_insert_message_rows`, hermes-agent 0.13.0 to 0.19.0).
enum HermesMessageValues {
    /// Columns the agent fills with `json.dumps(value) if value else None`.
    static let encodedJSON: Set<String> = ["tool_calls", "reasoning_details", "codex_reasoning_items", "codex_message_items"]

    /// Every member of `message` that names a column of this database and is not `managed`, as the agent would bind it.
    static func values(of message: TranscriptMessage, managed: Set<String>, schema: StoreSchema) -> [(column: String, value: SQLiteStatement.Value)] {
        message.members.compactMap { member in
            guard !managed.contains(member.name), schema.hasMessageColumn(member.name) else { return nil }
            if member.name == "content" { return (member.name, content(member.value)) }
            if encodedJSON.contains(member.name) { return (member.name, encoded(member.value)) }
            return (member.name, member.value.sqliteValue)
        }
    }

    /// `SessionDB._encode_content`: a list or object as `"\0json:" + JSON`, which the agent's reader decodes back
    /// into the value the transcript held. The JSON is the transcript's own text: `json.loads` gives the same value,
    /// and its non-ASCII text stays searchable.
    static func content(_ value: TranscriptMessage.Value) -> SQLiteStatement.Value {
        guard case .json(let text) = value else { return value.sqliteValue }
        return .text(String(decoding: HermesContent.jsonPrefix, as: UTF8.self) + text)
    }

    /// `content(_:)` undone, as `SessionDB._decode_content` does: the JSON text of content stored as `"\0json:" + JSON`;
    /// nil for any other content, and for undecodable JSON, which the agent reads back as the raw string.
    static func storedJSON(content text: String) -> String? {
        guard text.utf8.starts(with: HermesContent.jsonPrefix) else { return nil }
        let json = String(decoding: text.utf8.dropFirst(HermesContent.jsonPrefix.count), as: UTF8.self)
        return Array(json.utf8).withUnsafeBytes { ParsedJSON.parse($0) } == nil ? nil : json
    }

    /// `json.dumps(value) if value else None`; a text value in the canonical spelling (JSON/JSONStringEscaping.swift),
    /// which `json.loads` reads back as the same string.
    static func encoded(_ value: TranscriptMessage.Value) -> SQLiteStatement.Value {
        switch value {
        case .null: return .null
        case .json(let text):
            let isEmpty = Array(text.utf8).withUnsafeBytes { bytes in
                switch ParsedJSON.parse(bytes) {
                case .array(let elements)?: elements.isEmpty
                case .object(let members)?: members.isEmpty
                default: false
                }
            }
            return isEmpty ? .null : .text(text)
        case .text(let text):
            guard !text.isEmpty else { return .null }
            var quoted: [UInt8] = []
            CanonicalJSONSink.appendQuoted(Array(text.utf8), to: &quoted)
            return .text(String(decoding: quoted, as: UTF8.self))
        case .integer(let number): return number == 0 ? .null : .text(String(number))
        case .real(let number): return number == 0 ? .null : .text(String(number))
        }
    }
}

extension TranscriptMessage.Value {
    /// How the value is bound: as Python's sqlite3 binds the decoded JSON value, with lists and objects as their JSON text.
    var sqliteValue: SQLiteStatement.Value {
        switch self {
        case .null: .null
        case .text(let text), .json(let text): .text(text)
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        }
    }
}
