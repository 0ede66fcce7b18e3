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
        let writer = try GzipFileWriter(path: path)
        let bytes = Array(text.utf8)
        let size = max(1, (bytes.count + members - 1) / members)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + size)
            try writer.write(Array(bytes[offset..<end]))
            try writer.finishMember()
            offset = end
        } while offset < bytes.count
        try writer.close()
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
