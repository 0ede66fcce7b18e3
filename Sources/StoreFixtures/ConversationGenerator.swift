/// Makes realistic conversations from a seed: the same seed gives the same messages on every machine.
package struct ConversationGenerator: Sendable {
    private var random: SplitMix64

    package init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    private static let words = [
        "report", "summary", "deploy", "database", "session", "agent", "migration", "index", "query", "latency",
        "the", "a", "of", "and", "to", "in", "for", "with", "on", "this", "that", "we", "should", "check",
        "café", "naïve", "日本語", "größe", "😀", "rollback", "backup", "transcript", "gateway", "telegram",
        "\"quoted\"", "path\\to\\file", "tab\there", "cluster", "replica", "timeout", "retry", "lock", "queue",
    ]

    private static let tools = ["read_file", "write_file", "terminal", "web_search", "search_files", "patch"]

    /// `count` messages starting at `start` (epoch seconds): user turns, assistant replies, tool calls and results.
    package mutating func conversation(count: Int, start: Double, sizeScale: Int = 1) -> [FixtureMessage] {
        var messages: [FixtureMessage] = []
        var clock = start
        var pendingCalls: [FixtureMessage.ToolCall] = []
        while messages.count < count {
            clock += Double(random.next(upTo: 30_000)) / 1000 + 0.1
            if let call = pendingCalls.first {
                pendingCalls.removeFirst()
                messages.append(FixtureMessage(role: "tool", content: .text(text(words: 20 + random.next(upTo: 200) * sizeScale)),
                                               toolCallID: call.id, toolName: call.name, timestamp: clock))
                continue
            }
            let turn = messages.count
            if turn % 4 == 0 {
                let content: FixtureMessage.Content = random.next(upTo: 20) == 0
                    ? .parts([text(words: 12), text(words: 6)]) : .text(text(words: 5 + random.next(upTo: 40) * sizeScale))
                messages.append(FixtureMessage(role: "user", content: content, timestamp: clock))
            } else if random.next(upTo: 3) == 0 {
                let calls = (0..<(1 + random.next(upTo: 2))).map { index in
                    FixtureMessage.ToolCall(id: "call_\(turn)_\(index)", name: Self.tools[random.next(upTo: Self.tools.count)],
                                            arguments: "{\"path\": \"\(text(words: 2))\"}")
                }
                pendingCalls = calls
                messages.append(FixtureMessage(role: "assistant", content: .text(""), toolCalls: calls, timestamp: clock))
            } else {
                messages.append(FixtureMessage(role: "assistant", content: .text(text(words: 10 + random.next(upTo: 120) * sizeScale)),
                                               timestamp: clock))
            }
        }
        return messages
    }

    /// `count` words of filler text.
    package mutating func text(words count: Int) -> String {
        var words: [String] = []
        words.reserveCapacity(count)
        for _ in 0..<count { words.append(Self.words[random.next(upTo: Self.words.count)]) }
        return words.joined(separator: " ")
    }

    /// A number in `0..<bound`.
    package mutating func next(upTo bound: Int) -> Int { random.next(upTo: bound) }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    package mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
