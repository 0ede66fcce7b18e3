import Foundation
import TranscriptFsck

/// A store whose one session (`huge`) holds a message of many megabytes, lost from the database with the one before
/// it: the transcript has 4 messages, the database the newest 2. For the memory a huge message costs (`make bench`).
package enum HugeMessageStore {
    /// Builds it in `home` (replaced); returns the size of the large message's content in bytes.
    @discardableResult
    package static func build(home: String, megabytes: Int, schema: FixtureSchema = .late) throws -> Int {
        try? FileManager.default.removeItem(atPath: home)
        let store = try StoreBuilder(home: home, schema: schema)
        var generator = ConversationGenerator(seed: 11)
        var messages = generator.conversation(count: 4, start: 1_772_000_000)
        // Words and newlines (escaped in JSON), not one repeated byte: the agent's full-text indexes then hold as many
        // terms as such a paste would, and the transcript's string must be decoded.
        let words = ["pasted", "log", "line", "error", "retry", "0x7f3c", "request", "handler", "timeout", "ok"]
        var text = ""
        text.reserveCapacity(megabytes << 20 + 16)
        var index = 0
        while text.utf8.count < megabytes << 20 {
            text += words[index % words.count] + (index % 17 == 16 ? "\n" : " ")
            index += 1
        }
        messages[1] = FixtureMessage(role: "tool", content: .text(text), toolCallID: "call_huge", timestamp: messages[1].timestamp)
        try store.writeTranscript("huge", messages: messages)
        try store.addMessages("huge", Array(messages.suffix(2)))
        return text.utf8.count
    }
}
