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
}
