import Foundation
import TranscriptFsck

/// Builds a Hermes store on disk: `state.db` from a checked-in schema, transcripts under `sessions/`,
/// and database rows written the way the agent writes them.
package final class StoreBuilder {
    package let home: String
    package let schema: FixtureSchema
    package let connection: SQLiteConnection

    package var databasePath: String { home + "/state.db" }
    package var sessionsDirectory: String { home + "/sessions" }

    /// How a transcript file is stored.
    package enum TranscriptFormat: Sendable {
        case plain
        /// Gzip, split into this many concatenated members.
        case gzip(members: Int)
    }

    /// Creates `home`, a WAL-mode database with the schema, and an empty `sessions/`.
    package init(home: String, schema: FixtureSchema = .early) throws {
        self.home = home
        self.schema = schema
        try FileManager.default.createDirectory(atPath: home + "/sessions", withIntermediateDirectories: true)
        connection = try SQLiteConnection(path: home + "/state.db", mode: .create)
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute(schema.sql())
    }

    /// Writes a transcript; returns its path. `lines` are written with `\n` after each, except the
    /// last when `endsWithNewline` is false (a writer that stopped mid-line).
    @discardableResult
    package func writeTranscript(_ sessionID: String, lines: [String], format: TranscriptFormat = .plain,
                                subdirectory: String? = nil, endsWithNewline: Bool = true) throws -> String {
        var directory = sessionsDirectory
        if let subdirectory {
            directory += "/" + subdirectory
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var text = lines.joined(separator: "\n")
        if endsWithNewline, !lines.isEmpty { text += "\n" }
        let bytes = Array(text.utf8)
        switch format {
        case .plain:
            let path = directory + "/" + sessionID + ".jsonl"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        case .gzip(let members):
            let path = directory + "/" + sessionID + ".jsonl.gz"
            try GzipFileWriter.write(bytes, toPath: path, members: members)
            return path
        }
    }

    /// Writes `messages` as a transcript, after an optional `session_meta` line.
    @discardableResult
    /// The file is dated as the agent leaves it: last modified when its last message was appended (just after the
    /// flush of that message's row), so that rows written later are rows the transcript never saw.
    package func writeTranscript(_ sessionID: String, messages: [FixtureMessage], sessionMeta: String? = nil,
                                format: TranscriptFormat = .plain, subdirectory: String? = nil) throws -> String {
        let path = try writeTranscript(sessionID, lines: (sessionMeta.map { [$0] } ?? []) + messages.map { $0.transcriptLine() },
                                       format: format, subdirectory: subdirectory)
        if let last = messages.compactMap(\.timestamp).max() {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: last + 0.5)], ofItemAtPath: path)
        }
        return path
    }

    /// Creates the session row, as the agent does before its first message.
    package func addSession(_ id: String, source: String = "cli", startedAt: Double, model: String? = "demo-model") throws {
        try connection.prepare("INSERT OR IGNORE INTO sessions (id, source, started_at, model) VALUES (?, ?, ?, ?)")
            .run([.text(id), .text(source), .real(startedAt), model.map { .text($0) } ?? .null])
    }

    /// Writes messages as the agent flushes them: session row ensured, row inserted, counters bumped,
    /// all in one transaction. Rows get `timestamp + flushDelay` (flush time), or a fixed time when the message has none.
    package func addMessages(_ sessionID: String, _ messages: [FixtureMessage], flushDelay: Double = 0.25,
                            source: String = "cli") throws {
        try addMessages([(sessionID, messages)], flushDelay: flushDelay, source: source)
    }

    /// Writes several sessions' messages in one transaction; with `interleavedTurns`, that many messages of each session
    /// in turn, as an agent serving them all at once writes them, so that their rows interleave in row id order.
    package func addMessages(_ sessions: [(String, [FixtureMessage])], flushDelay: Double = 0.25, source: String = "cli",
                            interleavedTurns: Int? = nil) throws {
        let insert = try connection.prepare("""
            INSERT INTO messages (session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let bump = try connection.prepare(
            "UPDATE sessions SET message_count = message_count + 1, tool_call_count = tool_call_count + ? WHERE id = ?")
        let turn = max(1, interleavedTurns ?? Int.max / 2)
        try connection.inTransaction(.immediate) {
            for (sessionID, messages) in sessions {
                try addSession(sessionID, source: source, startedAt: messages.first?.timestamp ?? 1_770_000_000)
            }
            var written = 0
            while sessions.contains(where: { $0.1.count > written }) {
                for (sessionID, messages) in sessions where messages.count > written {
                    for message in messages[written..<min(messages.count, written + turn)] {
                        try insert.run([.text(sessionID), .text(message.role), Self.value(message.databaseContent),
                                        Self.value(message.toolCallID), Self.value(message.databaseToolCalls), Self.value(message.toolName),
                                        .real((message.timestamp ?? 1_770_000_000) + flushDelay)])
                        try bump.run([.integer(Int64(message.toolCalls.count)), .text(sessionID)])
                    }
                }
                written += turn
            }
            return .commit
        }
    }

    /// The row 0.13.0's gateway writes for a transcript's `session_meta` entry (role `session_meta`, no content),
    /// through `SessionDB.append_message`: it counts in `message_count` like any row.
    package func addSessionMetaRow(_ sessionID: String, at time: Double, source: String = "cli") throws {
        try connection.inTransaction(.immediate) {
            try addSession(sessionID, source: source, startedAt: time)
            try connection.prepare("INSERT INTO messages (session_id, role, content, timestamp) VALUES (?, 'session_meta', NULL, ?)")
                .run([.text(sessionID), .real(time)])
            try connection.prepare("UPDATE sessions SET message_count = message_count + 1 WHERE id = ?").run([.text(sessionID)])
            return .commit
        }
    }

    private static func value(_ text: String?) -> SQLiteStatement.Value { text.map { .text($0) } ?? .null }
}
