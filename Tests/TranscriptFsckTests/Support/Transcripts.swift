import Foundation
import StoreFixtures
@testable import TranscriptFsck

/// Shorthands for tests that build transcripts by hand.
enum Transcripts {
    /// A few ordinary message lines.
    static func lines(_ count: Int, seed: UInt64 = 7) -> [String] {
        var generator = ConversationGenerator(seed: seed)
        return generator.conversation(count: count, start: 1_772_000_000).map { $0.transcriptLine() }
    }

    static func gzip(_ text: String, members: Int = 1) throws -> [UInt8] {
        let directory = TemporaryDirectory("gz")
        let path = directory.file("x.gz")
        try GzipFileWriter.write(Array(text.utf8), toPath: path, members: members)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Scans a transcript file made of `bytes`, written under `name`.
    static func scan(_ bytes: [UInt8], name: String = "s.jsonl") throws -> TranscriptScan {
        let directory = TemporaryDirectory("scan")
        let path = try directory.write(name, bytes)
        return TranscriptScan.scan(path: path, sessionID: "s")
    }

    static func scan(text: String, name: String = "s.jsonl") throws -> TranscriptScan {
        try scan(Array(text.utf8), name: name)
    }
}
