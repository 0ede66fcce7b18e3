import Foundation
import TranscriptFsck

/// A small store with one session of every kind the scan tells apart, built the same way every time.
package enum DemoStore {
    /// A planted session and the status a correct scan gives it.
    package struct Planted: Sendable, Equatable {
        package let sessionID: String
        package let status: SessionStatus
        package let what: String
    }

    /// Builds the demo store in `home` (which must not hold one yet) and returns what was planted.
    @discardableResult
    package static func build(home: String, schema: FixtureSchema = .early, seed: UInt64 = 2026) throws -> [Planted] {
        let store = try StoreBuilder(home: home, schema: schema)
        var generator = ConversationGenerator(seed: seed)
        var planted: [Planted] = []
        var day = 0.0
        func conversation(_ count: Int) -> [FixtureMessage] {
            day += 1
            return generator.conversation(count: count, start: 1_772_000_000 + day * 86_400)
        }
        func plant(_ id: String, _ status: SessionStatus, _ what: String) { planted.append(Planted(sessionID: id, status: status, what: what)) }

        // Consistent: every message in both stores, with the session_meta row 0.13.0's gateway writes too.
        let consistent = conversation(40)
        let meta = #"{"role": "session_meta", "platform": "telegram", "model": "hermes-3", "tools": ["terminal"]}"#
        try store.writeTranscript("20260301_090000_a1b2c3", messages: consistent, sessionMeta: meta)
        try store.addSessionMetaRow("20260301_090000_a1b2c3", at: consistent[0].timestamp! - 1, source: "telegram")
        try store.addMessages("20260301_090000_a1b2c3", consistent)
        plant("20260301_090000_a1b2c3", .ok, "both stores agree (session_meta row included)")

        // Path A: "database is locked" at session creation; only the later turns reached SQLite.
        let pathA = conversation(120)
        try store.writeTranscript("20260302_101500_d4e5f6", messages: pathA)
        try store.addMessages("20260302_101500_d4e5f6", Array(pathA.suffix(6)), flushDelay: 0.4)
        plant("20260302_101500_d4e5f6", .truncated, "path A: the newest 6 of 120 messages survived")

        // Path B: a legacy session migrated to SQLite; only the 2 messages after the migration were flushed.
        let pathB = conversation(996)
        try store.writeTranscript("20260303_111111_0a0b0c", messages: pathB, format: .gzip(members: 1), subdirectory: "archive/2026-03")
        try store.addMessages("20260303_111111_0a0b0c", Array(pathB.suffix(2)), flushDelay: 3)
        plant("20260303_111111_0a0b0c", .truncated, "path B: 2 of 996 messages in SQLite, transcript archived as .jsonl.gz")

        // Rows lost in the middle.
        let middle = conversation(60)
        try store.writeTranscript("20260304_120000_112233", messages: middle)
        try store.addMessages("20260304_120000_112233", Array(middle[0..<25]) + Array(middle[35...]))
        plant("20260304_120000_112233", .truncated, "10 messages missing in the middle")

        // A legacy session that never reached SQLite.
        let legacy = conversation(30)
        try store.writeTranscript("20260305_130000_445566", messages: legacy,
                                  sessionMeta: #"{"role": "session_meta", "platform": "telegram", "model": "hermes-3", "tools": ["terminal"]}"#)
        plant("20260305_130000_445566", .missing, "transcript only: no session row, no messages")

        // Each side has a message the other lacks.
        var diverged = conversation(20)
        try store.addMessages("20260306_140000_778899", diverged)
        diverged[7].content = .text("an edited message that the database never saw")
        try store.writeTranscript("20260306_140000_778899", messages: diverged)
        plant("20260306_140000_778899", .diverged, "message 8 differs between the stores")

        // A transcript with a damaged line in the middle.
        let damaged = conversation(15)
        var damagedLines = damaged.map { $0.transcriptLine() }
        damagedLines[6] = #"{"role": "assistant", "content": "cut off here"#
        try store.writeTranscript("20260307_150000_aabbcc", lines: damagedLines)
        try store.addMessages("20260307_150000_aabbcc", Array(damaged.suffix(3)))
        plant("20260307_150000_aabbcc", .corrupt, "line 7 is not valid JSON")

        // An archive cut short: the gzip stream ends early.
        let cut = conversation(200)
        let cutPath = try store.writeTranscript("20260308_160000_ddeeff", messages: cut, format: .gzip(members: 1))
        let archive = try Data(contentsOf: URL(fileURLWithPath: cutPath))
        try archive.prefix(archive.count * 2 / 3).write(to: URL(fileURLWithPath: cutPath))
        try store.addMessages("20260308_160000_ddeeff", Array(cut.suffix(4)))
        plant("20260308_160000_ddeeff", .corrupt, "the .jsonl.gz archive was cut short")

        // Path A, then the agent was upgraded past transcripts (0.15.0 on) and the session went on in SQLite only.
        let upgraded = conversation(70)
        try store.writeTranscript("20260313_210000_0f0f0f", messages: Array(upgraded.prefix(50)))
        try store.addMessages("20260313_210000_0f0f0f", Array(upgraded[46...]), flushDelay: 0.3)
        plant("20260313_210000_0f0f0f", .continued, "path A, then 20 messages after an upgrade that the transcript never saw")

        // A session whose transcript was never kept.
        let cliOnly = conversation(12)
        try store.addMessages("20260309_170000_cli001", cliOnly)
        plant("20260309_170000_cli001", .databaseOnly, "rows without a transcript (normal)")

        // Context compression rewrote the transcript shorter; the database kept every row.
        let compressed = conversation(50)
        try store.addMessages("20260310_180000_c0ffee", compressed)
        try store.writeTranscript("20260310_180000_c0ffee", messages: Array(compressed.suffix(10)))
        plant("20260310_180000_c0ffee", .databaseAhead, "transcript rewritten shorter by compression")

        // The writer crashed mid-line: the unfinished last line is a warning, not damage.
        let torn = conversation(25)
        try store.writeTranscript("20260311_190000_7e7e7e", lines: torn.map { $0.transcriptLine() } + [#"{"role": "user", "content": "half a li"#],
                                  endsWithNewline: false)
        try store.addMessages("20260311_190000_7e7e7e", torn)
        plant("20260311_190000_7e7e7e", .ok, "unfinished last line (warning only)")

        // An archive written in several gzip members.
        let multi = conversation(80)
        try store.writeTranscript("20260312_200000_4d4d4d", messages: multi, format: .gzip(members: 4))
        try store.addMessages("20260312_200000_4d4d4d", multi)
        plant("20260312_200000_4d4d4d", .ok, "multi-member gzip archive")

        // A UUID session kept twice: an archived prefix and the live, longer file.
        let uuid = "7f3c2a9e-1b4d-4c8e-9a0f-3d2e1c0b9a8f"
        let twice = conversation(45)
        try store.writeTranscript(uuid, messages: Array(twice.prefix(30)), format: .gzip(members: 1), subdirectory: "archive/2026-03")
        try store.writeTranscript(uuid, messages: twice)
        try store.addMessages(uuid, Array(twice.suffix(5)))
        plant(uuid, .truncated, "two transcripts (archive is a prefix of the live file); 5 of 45 in SQLite")

        // A session the user deleted: the agent removed its rows and its session row and left the archived transcript.
        let deleted = conversation(24)
        let deletedID = "20260314_220000_de1e7e"
        try store.writeTranscript(deletedID, messages: deleted, format: .gzip(members: 1), subdirectory: "archive/2026-03")
        try store.addMessages(deletedID, deleted)
        try store.connection.prepare("DELETE FROM messages WHERE session_id = ?").run([.text(deletedID)])
        try store.connection.prepare("DELETE FROM sessions WHERE id = ?").run([.text(deletedID)])
        plant(deletedID, .deleted, "deleted by the user: its rows gone, its archived transcript left behind")

        return planted
    }
}
