import Foundation
import StoreFixtures
@testable import TranscriptFsck

/// A session read back the way the agent reads it (`ORDER BY id`, content decoded as `_decode_content` does),
/// with plain SQL, compared field by field with the messages that were planted.
enum AgentView {
    struct Row: Equatable {
        let role: String
        let content: String?
        let toolCallID: String?
        let toolName: String?
        let toolCalls: String?
    }

    /// The session's message rows in the agent's order, `session_meta` bookkeeping rows left out; `byTime` reads them
    /// in the earliest agents' `ORDER BY timestamp, id` instead.
    static func rows(_ database: String, session: String, byTime: Bool = false) throws -> [Row] {
        let connection = try SQLiteConnection(path: database, mode: .readOnly)
        let statement = try connection.prepare("""
            SELECT role, content, tool_call_id, tool_name, tool_calls FROM messages
            WHERE session_id = ? AND role != 'session_meta' ORDER BY \(byTime ? "timestamp, id" : "id")
            """)
        try statement.bind([.text(session)])
        var rows: [Row] = []
        while try statement.step() {
            rows.append(Row(role: statement.text(0) ?? "", content: statement.text(1), toolCallID: statement.text(2),
                            toolName: statement.text(3), toolCalls: statement.text(4)))
        }
        return rows
    }

    /// True when `row` holds `message`: same text, and the same JSON values where the store keeps JSON.
    static func holds(_ row: Row, _ message: FixtureMessage) -> Bool {
        guard row.role == message.role, row.toolCallID == message.toolCallID, row.toolName == message.toolName else { return false }
        switch message.content {
        case .text(let text): guard row.content == text else { return false }
        case .null: guard row.content == nil else { return false }
        case .parts(let parts): guard flattened(row.content) == parts.joined(separator: "\n") else { return false }
        }
        return sameJSON(row.toolCalls, message.databaseToolCalls)
    }

    static func sameJSON(_ left: String?, _ right: String?) -> Bool {
        guard let left, let right else { return left == nil && right == nil }
        let a = try? JSONSerialization.jsonObject(with: Data(left.utf8))
        let b = try? JSONSerialization.jsonObject(with: Data(right.utf8))
        return (a as? NSObject).map { $0.isEqual(b) } ?? false
    }

    /// List content as the agent reads it back: the `"\0json:"` encoding decoded and its text parts joined, as
    /// the flush would have stored them; other text as it is.
    static func flattened(_ content: String?) -> String? {
        guard let content, content.hasPrefix("\u{0}json:"),
              let parts = try? JSONSerialization.jsonObject(with: Data(content.utf8.dropFirst(6))) as? [[String: Any]] else { return content }
        return parts.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined(separator: "\n")
    }

    /// Asserts the session reads back as exactly `messages`, in order, by id and by timestamp alike.
    static func matches(_ database: String, session: String, _ messages: [FixtureMessage]) throws -> Bool {
        let rows = try rows(database, session: session)
        let byTime = try self.rows(database, session: session, byTime: true)
        return rows.count == messages.count && zip(rows, messages).allSatisfy { holds($0, $1) } && rows == byTime
    }

    static func integer(_ database: String, _ sql: String, _ values: [SQLiteStatement.Value] = []) throws -> Int64? {
        try SQLiteConnection(path: database, mode: .readOnly).prepare(sql).singleInteger(values)
    }

    static func text(_ database: String, _ sql: String) throws -> String? {
        let statement = try SQLiteConnection(path: database, mode: .readOnly).prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }
}
