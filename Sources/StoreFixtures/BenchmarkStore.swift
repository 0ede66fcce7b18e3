import Foundation
import TranscriptFsck

/// A Hermes-style store at a chosen scale for benchmarks: many sessions, most transcripts gzip,
/// a realistic mix of message sizes and tool calls, and a few percent of sessions truncated by
/// both failure paths. The same seed and scale give the same store.
package enum BenchmarkStore {
    package struct Scale: Sendable {
        package var sessions: Int
        /// Uncompressed transcript text to aim for, in total.
        package var megabytes: Int
        package var seed: UInt64
        /// Rows written as an agent serving a hundred chats at once writes them, eight messages of each in turn, so
        /// that sessions interleave in row id order as in a real store (not each session's rows in one run).
        package var interleaved: Bool

        package init(sessions: Int, megabytes: Int, seed: UInt64, interleaved: Bool = false) {
            self.sessions = sessions
            self.megabytes = megabytes
            self.seed = seed
            self.interleaved = interleaved
        }
    }

    /// What was built.
    package struct Summary: Sendable {
        package var sessions = 0
        package var messages = 0
        package var transcriptBytes = 0
        package var truncatedSessions = 0
        package var missingRows = 0
    }

    package static func build(home: String, scale: Scale, schema: FixtureSchema = .early) throws -> Summary {
        let store = try StoreBuilder(home: home, schema: schema)
        try store.connection.execute("PRAGMA synchronous = OFF")
        var generator = ConversationGenerator(seed: scale.seed)
        var summary = Summary()
        let bytesPerSession = max(1, scale.megabytes << 20) / max(1, scale.sessions)
        var batch: [(String, [FixtureMessage])] = []
        func flush() throws {
            try store.addMessages(batch, interleavedTurns: scale.interleaved ? 8 : nil)
            batch.removeAll(keepingCapacity: true)
        }
        for index in 0..<scale.sessions {
            let id = String(format: "2026%02d%02d_%06d_%06x", 1 + index % 12, 1 + index % 28, index, index &* 2_654_435_761 & 0xFFFFFF)
            // Sizes vary tenfold between sessions; a few sessions are long.
            let target = bytesPerSession * (1 + generator.next(upTo: 10)) / 5 * (index % 97 == 0 ? 4 : 1)
            var messages: [FixtureMessage] = []
            var lines: [String] = []
            var bytes = 0
            var clock = 1_770_000_000 + Double(index) * 3_600
            while bytes < target {
                let chunk = generator.conversation(count: 8, start: clock, sizeScale: 1 + generator.next(upTo: 3))
                clock = (chunk.last?.timestamp ?? clock) + 1
                for message in chunk {
                    let line = message.transcriptLine()
                    bytes += line.utf8.count + 1
                    lines.append(line)
                    messages.append(message)
                }
            }
            let gzip = index % 5 != 0
            try store.writeTranscript(id, lines: lines, format: gzip ? .gzip(members: 1) : .plain,
                                      subdirectory: gzip ? "archive/\(index % 16)" : nil)
            summary.sessions += 1
            summary.messages += messages.count
            summary.transcriptBytes += bytes
            // Three sessions in a hundred lost rows: path A keeps the newest few, path B the newest two.
            var rows = messages
            switch index % 100 {
            case 7: rows = Array(messages.suffix(4 + generator.next(upTo: 10)))
            case 43, 71: rows = Array(messages.suffix(2))
            default: break
            }
            if rows.count < messages.count {
                summary.truncatedSessions += 1
                summary.missingRows += messages.count - rows.count
            }
            batch.append((id, rows))
            if batch.count == 100 { try flush() }
        }
        try flush()
        return summary
    }
}
