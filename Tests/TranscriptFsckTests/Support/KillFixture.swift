import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Many truncated sessions, for repairs that are killed part way.
enum KillFixture {
    struct Session {
        let id: String
        let messages: [FixtureMessage]
        let surviving: Int
    }

    /// Starts a repair of `home` and kills it (SIGKILL) once the database holds `rows` message rows.
    /// Returns false when the repair finished before it could be killed.
    @discardableResult
    static func killRepair(home: String, atRows rows: Int64) throws -> Bool {
        try signalRepair(home: home, atRows: rows, SIGKILL).process.terminationReason == .uncaughtSignal
    }

    /// Starts a repair of `home` (with `arguments`), sends it `signal` once the database holds `rows` message rows, and
    /// waits for it to end.
    static func signalRepair(home: String, atRows rows: Int64, _ signal: Int32, arguments: [String] = ["--no-backup"]) throws -> (process: Process, result: CommandResult) {
        let victim = try CommandRunner.start("transcript-fsck", ["repair", "--home", home, "--jobs", "1"] + arguments)
        let watcher = try SQLiteConnection(path: home + "/state.db", mode: .readOnly)
        let count = try watcher.prepare("SELECT count(*) FROM messages")
        while victim.process.isRunning, try count.singleInteger() ?? 0 < rows { usleep(500) }
        kill(victim.process.processIdentifier, signal)
        return (victim.process, victim.finish())
    }

    /// The rows `home`'s database holds once the first `count` of `sessions` are repaired (they are written in order).
    static func rows(of home: String, onceRepaired count: Int, of sessions: [Session]) throws -> Int64 {
        let initial = try AgentView.integer(home + "/state.db", "SELECT count(*) FROM messages") ?? 0
        return initial + Int64(sessions.prefix(count).reduce(0) { $0 + $1.messages.count - $1.surviving })
    }

    /// After a killed repair: the file is sound, and each session holds its original rows or its whole
    /// transcript, with a counter to match. Returns how many sessions were whole.
    static func checkWholeOrUntouched(home: String, _ sessions: [Session]) throws -> Int {
        let database = home + "/state.db"
        #expect(try AgentView.text(database, "PRAGMA integrity_check") == "ok")
        var whole = 0
        for session in sessions {
            let rows = try AgentView.rows(database, session: session.id).count
            #expect(rows == session.surviving || rows == session.messages.count, "\(session.id) half-repaired: \(rows) rows")
            if rows == session.messages.count { whole += 1 }
            let counter = try AgentView.integer(database, "SELECT message_count FROM sessions WHERE id = ?", [.text(session.id)])
            #expect(counter == Int64(rows), "\(session.id): counter \(counter ?? -1) for \(rows) rows")
        }
        return whole
    }

    @discardableResult
    static func build(home: String, sessions count: Int = 120, messages: Int = 150) throws -> [Session] {
        let store = try StoreBuilder(home: home)
        var generator = ConversationGenerator(seed: 31)
        var sessions: [Session] = []
        for index in 0..<count {
            let id = "kill-\(index)"
            let conversation = generator.conversation(count: messages, start: 1_772_000_000 + Double(index) * 10_000)
            try store.writeTranscript(id, messages: conversation, format: index % 2 == 0 ? .plain : .gzip(members: 1))
            let surviving = 2 + index % 5
            try store.addMessages(id, Array(conversation.suffix(surviving)))
            sessions.append(Session(id: id, messages: conversation, surviving: surviving))
        }
        return sessions
    }
}
