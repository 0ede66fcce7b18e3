import Foundation
import StoreFixtures
@testable import TranscriptFsck

/// A store with one session whose transcript holds every message and whose database kept only some.
struct TruncatedSession {
    let directory = TemporaryDirectory()
    let store: StoreBuilder
    let id: String
    let messages: [FixtureMessage]

    var home: String { directory.path }
    var databasePath: String { store.databasePath }

    /// - Parameter kept: the messages the database holds (default: the newest `keepNewest`).
    init(_ id: String = "s", count: Int, keepNewest: Int = 0, seed: UInt64, schema: FixtureSchema = .early,
         format: StoreBuilder.TranscriptFormat = .plain, flushDelay: Double = 0.25,
         edit: (inout [FixtureMessage]) -> Void = { _ in }, kept: (([FixtureMessage]) -> [FixtureMessage])? = nil) throws {
        self.id = id
        store = try StoreBuilder(home: directory.path, schema: schema)
        var generator = ConversationGenerator(seed: seed)
        var messages = generator.conversation(count: count, start: 1_772_000_000)
        edit(&messages)
        self.messages = messages
        try store.writeTranscript(id, messages: messages, format: format)
        let rows = kept?(messages) ?? Array(messages.suffix(keepNewest))
        if !rows.isEmpty { try store.addMessages(id, rows, flushDelay: flushDelay) }
    }

    /// True when the database now reads back, in the agent's order, as the whole transcript.
    func isWhole() throws -> Bool { try AgentView.matches(databasePath, session: id, messages) }

    /// A copy of a session of 10 messages, 4 of them in the database, closed cleanly (no -wal, no -shm), in a
    /// directory other users may enter; owned by root.
    static func closedCopy(seed: UInt64) throws -> TemporaryDirectory {
        let session = try TruncatedSession(count: 10, keepNewest: 4, seed: seed)
        try StoreFiles.checkpoint(session.databasePath)
        let copy = TemporaryDirectory("closed")
        try FileManager.default.copyItem(atPath: session.databasePath, toPath: copy.file("state.db"))
        try FileManager.default.copyItem(atPath: session.home + "/sessions", toPath: copy.file("sessions"))
        guard chmod(copy.path, 0o755) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EPERM) }
        return copy
    }
}
