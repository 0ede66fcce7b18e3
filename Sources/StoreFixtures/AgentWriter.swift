import Foundation
import TranscriptFsck

/// Writes one message the way the running agent does: session row ensured, row inserted, counter bumped.
/// The caller owns the transaction.
package struct AgentWriter {
    package let connection: SQLiteConnection

    package init(connection: SQLiteConnection) {
        self.connection = connection
    }

    package func append(sessionID: String, role: String, content: String, at time: Double = Date().timeIntervalSince1970) throws {
        try connection.prepare("INSERT OR IGNORE INTO sessions (id, source, started_at) VALUES (?, 'cli', ?)")
            .run([.text(sessionID), .real(time)])
        try connection.prepare("INSERT INTO messages (session_id, role, content, timestamp) VALUES (?, ?, ?, ?)")
            .run([.text(sessionID), .text(role), .text(content), .real(time)])
        try connection.prepare("UPDATE sessions SET message_count = message_count + 1 WHERE id = ?").run([.text(sessionID)])
    }
}
