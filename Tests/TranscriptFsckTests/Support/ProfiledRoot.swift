import Foundation
import StoreFixtures
@testable import TranscriptFsck

/// An agent root laid out as Hermes lays out its profiles: the default profile in the root, named ones under
/// `profiles/`, each a store of its own. Each profile holds one session, `s`, whose database rows are the newest `kept`
/// of its messages (all of them for a whole one); a profile with no messages is one the agent created and never ran
/// (`sessions/` and nothing else, as `hermes profile create` leaves it).
struct ProfiledRoot {
    let directory: TemporaryDirectory
    /// Each profile's name, its session's messages, and how many of them the database holds.
    let profiles: [(name: String, messages: [FixtureMessage], kept: Int)]

    var root: String { directory.path }

    init(_ profiles: [(name: String, count: Int, kept: Int)], label: String = "profiles", in directory: TemporaryDirectory? = nil) throws {
        self.directory = directory ?? TemporaryDirectory(label)
        var built: [(String, [FixtureMessage], Int)] = []
        for (index, profile) in profiles.enumerated() {
            let home = profile.name == "default" ? self.directory.path : self.directory.path + "/profiles/" + profile.name
            try FileManager.default.createDirectory(atPath: home + "/sessions", withIntermediateDirectories: true)
            guard profile.count > 0 else { built.append((profile.name, [], 0)); continue }
            let store = try StoreBuilder(home: home, schema: .early)
            var generator = ConversationGenerator(seed: UInt64(40 + index))
            let messages = generator.conversation(count: profile.count, start: 1_772_000_000)
            try store.writeTranscript("s", messages: messages, format: .plain)
            try store.addMessages("s", Array(messages.suffix(profile.kept)), flushDelay: 0.25)
            built.append((profile.name, messages, profile.kept))
        }
        self.profiles = built
    }

    func home(_ profile: String) -> String { profile == "default" ? root : root + "/profiles/" + profile }
    func database(_ profile: String) -> String { home(profile) + "/state.db" }

    /// True when the profile's database reads back, in the agent's order, as its whole transcript.
    func isWhole(_ profile: String) throws -> Bool {
        guard let messages = profiles.first(where: { $0.name == profile })?.messages else { return false }
        return try AgentView.matches(database(profile), session: "s", messages)
    }
}
