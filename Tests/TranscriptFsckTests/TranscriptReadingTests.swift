import Foundation
import Testing
@testable import TranscriptFsck

/// The transcript reader: plain and gzip files, damage, and the edges of the line format.
/// Its tests are of two lanes (the large files are `store`), so each carries its own tag (Support/Tags.swift).
@Suite struct TranscriptReadingTests {
    let text = Transcripts.lines(40).joined(separator: "\n") + "\n"

    @Test(.tags(.unit)) func plainFileCountsEveryMessageLine() throws {
        let scan = try Transcripts.scan(text: text)
        #expect(scan.error == nil)
        #expect(scan.messageCount == 40)
        #expect(scan.uncompressedBytes == text.utf8.count)
    }

    @Test(.tags(.unit)) func gzipGivesTheSameMessagesAsThePlainFile() throws {
        let plain = try Transcripts.scan(text: text)
        let gzip = try Transcripts.scan(Transcripts.gzip(text), name: "s.jsonl.gz")
        #expect(gzip.error == nil)
        #expect(gzip.fingerprints == plain.fingerprints)
    }

    @Test(.tags(.unit), arguments: [2, 3, 7])
    func multiMemberGzipIsReadToTheEnd(members: Int) throws {
        let plain = try Transcripts.scan(text: text)
        let gzip = try Transcripts.scan(Transcripts.gzip(text, members: members), name: "s.jsonl.gz")
        #expect(gzip.error == nil)
        #expect(gzip.fingerprints == plain.fingerprints)
    }

    @Test(.tags(.unit)) func truncatedGzipIsAnErrorNamingTheByteOffset() throws {
        let archive = try Transcripts.gzip(text)
        let scan = try Transcripts.scan(Array(archive.prefix(archive.count / 2)), name: "s.jsonl.gz")
        let error = try #require(scan.error)
        #expect(error.reason.contains("gzip stream ends early"))
        #expect(error.place == .byte(archive.count / 2))
        #expect(error.description.contains("s.jsonl.gz: byte \(archive.count / 2)"))
    }

    @Test(.tags(.store)) func gzipPaddedWithZerosIsReadAsGzipAndPythonReadIt() throws {
        let lines = Transcripts.lines(40)
        let archive = try Transcripts.gzip(lines.joined(separator: "\n") + "\n", members: 3) + [UInt8](repeating: 0, count: 70_000)
        let directory = TemporaryDirectory("padded")
        let path = try directory.write("s.jsonl.gz", archive)
        let scan = TranscriptScan.scan(path: path, sessionID: "s")
        #expect(scan.error == nil, "\(scan.error.map(String.init(describing:)) ?? "")")
        #expect(scan.messageCount == 40)
        let python = try CommandRunner.shell("python3 -c 'import gzip, sys; print(len(gzip.open(sys.argv[1]).read().splitlines()))' '\(path)'")
        #expect(python.standardOutput == "40\n", "\(python.standardError)")
    }

    @Test(.tags(.unit)) func damageInALaterGzipMemberIsNamedAtItsByteAndTheMessagesBeforeItCount() throws {
        // Enough text that the damage lies well past the first 256 KiB read; 40 members, one damaged at its header.
        let lines = Transcripts.lines(4000, seed: 9)
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        var archive = try Transcripts.gzip(String(decoding: text, as: UTF8.self), members: 40)
        let starts = archive.indices.dropLast(2).filter { archive[$0] == 0x1F && archive[$0 + 1] == 0x8B && archive[$0 + 2] == 0x08 }
        try #require(starts.count == 40, "member headers found: \(starts.count)")
        let member = try #require(starts.firstIndex { $0 > 300_000 })
        archive[starts[member]] = 0x42
        let scan = try Transcripts.scan(archive, name: "s.jsonl.gz")
        let error = try #require(scan.error)
        #expect(error.reason.contains("corrupt gzip data"))
        guard case .byte(let offset) = error.place else { Issue.record("no byte offset: \(error)"); return }
        #expect((starts[member]...(starts[member] + 16)).contains(offset), "damage at \(starts[member]), reported at \(offset)")
        // Every line that ends inside the members before the damaged one was read.
        let memberSize = (text.count + 39) / 40
        let whole = text.prefix(member * memberSize).filter { $0 == UInt8(ascii: "\n") }.count
        #expect(scan.messageCount == whole, "\(scan.messageCount) messages counted, \(whole) lie before the damage")
    }

    @Test(.tags(.unit)) func gzipCutAtEveryFewBytesIsNeverReadAsWhole() throws {
        let archive = try Transcripts.gzip(Transcripts.lines(5).joined(separator: "\n") + "\n")
        for length in stride(from: 1, to: archive.count, by: 7) {
            let scan = try Transcripts.scan(Array(archive.prefix(length)), name: "s.jsonl.gz")
            #expect(scan.error != nil, "a gzip cut to \(length) of \(archive.count) bytes was read without error")
        }
    }

    @Test(.tags(.unit)) func corruptGzipDataIsAnError() throws {
        var archive = try Transcripts.gzip(text)
        for index in stride(from: 20, to: archive.count - 8, by: 3) { archive[index] ^= 0x5A }
        let scan = try Transcripts.scan(archive, name: "s.jsonl.gz")
        let error = try #require(scan.error)
        #expect(error.reason.contains("gzip"))
    }

    @Test(.tags(.unit)) func dataThatIsNotGzipIsAnError() throws {
        let scan = try Transcripts.scan(text: text, name: "s.jsonl.gz")
        let error = try #require(scan.error)
        #expect(error.reason.contains("corrupt gzip data"))
        #expect(error.place == .byte(0))
    }

    @Test(.tags(.unit)) func unfinishedLastLineIsAWarningAndNotCounted() throws {
        let scan = try Transcripts.scan(text: text + #"{"role": "user", "content": "half"#)
        #expect(scan.error == nil)
        #expect(scan.messageCount == 40)
        #expect(scan.unfinishedLastLine == 41)
    }

    @Test(.tags(.unit)) func completeLastLineWithoutNewlineIsCounted() throws {
        let scan = try Transcripts.scan(text: text + #"{"role": "user", "content": "whole"}"#)
        #expect(scan.error == nil)
        #expect(scan.messageCount == 41)
        #expect(scan.unfinishedLastLine == nil)
    }

    @Test(.tags(.unit)) func badLineInTheMiddleIsCorruptWithItsLineNumber() throws {
        var lines = Transcripts.lines(10)
        lines[4] = #"{"role": "user", "content": "oops",}"#
        let scan = try Transcripts.scan(text: lines.joined(separator: "\n") + "\n")
        let error = try #require(scan.error)
        guard case .line(5, _) = error.place else { Issue.record("wrong place \(error.place)"); return }
        #expect(error.description.contains("line 5"))
    }

    @Test(.tags(.unit)) func invalidUTF8IsCorrupt() throws {
        var bytes = Array(#"{"role": "user", "content": "caf"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}\n".utf8)
        let scan = try Transcripts.scan(bytes)
        let error = try #require(scan.error)
        #expect(error.reason.contains("invalid UTF-8"))
    }

    @Test(.tags(.unit)) func nulByteInsideAStringIsCorrupt() throws {
        let scan = try Transcripts.scan(Array(#"{"role": "user", "content": "a"#.utf8) + [0] + Array("\"}\n".utf8))
        #expect(try #require(scan.error).reason.contains("control character"))
    }

    @Test(.tags(.unit)) func emptyPlainFileHasNoMessages() throws {
        let scan = try Transcripts.scan([])
        #expect(scan.error == nil)
        #expect(scan.messageCount == 0)
    }

    @Test(.tags(.unit)) func fileOfBlankLinesHasNoMessages() throws {
        let scan = try Transcripts.scan(text: "\n\n  \n\r\n\n")
        #expect(scan.error == nil)
        #expect(scan.messageCount == 0)
    }

    @Test(.tags(.unit)) func emptyGzipFileIsCorrupt() throws {
        let scan = try Transcripts.scan([], name: "s.jsonl.gz")
        #expect(try #require(scan.error).reason.contains("empty file"))
    }

    @Test(.tags(.unit)) func sessionMetaLineIsNotAMessage() throws {
        let meta = #"{"role": "session_meta", "platform": "telegram", "tools": ["terminal"]}"#
        let scan = try Transcripts.scan(text: meta + "\n" + text)
        #expect(scan.messageCount == 40)
    }

    @Test(.tags(.unit)) func validJSONThatIsNotAMessageIsCorrupt() throws {
        for line in ["[1, 2, 3]", "42", "\"text\"", #"{"content": "no role"}"#, #"{"role": 7}"#] {
            let scan = try Transcripts.scan(text: line + "\n")
            let error = try #require(scan.error, "\(line) was accepted")
            #expect(error.reason.contains("not a message"), "\(line): \(error.reason)")
        }
    }

    @Test(.tags(.unit)) func nestingTheAgentCanReadIsRead() throws {
        let nested = String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
        let scan = try Transcripts.scan(text: #"{"role": "user", "content": "x", "extra": "# + nested + "}\n")
        #expect(scan.error == nil)
        #expect(scan.messageCount == 1)
    }

    @Test(.tags(.unit)) func nestingDeeperThanTheAgentCanReadIsCorruptAtItsLine() throws {
        // json.dumps and json.loads recurse once a level and stop at Python's recursion limit: the agent wrote no such line.
        let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let scan = try Transcripts.scan(text: #"{"role": "user", "content": "x"}"# + "\n" + #"{"role": "user", "content": "x", "extra": "# + nested + "}\n")
        let error = try #require(scan.error)
        #expect(error.place == .line(2, byteOffset: 33))
        #expect(error.reason.contains("nested deeper than 1000 levels"), "\(error.reason)")
        #expect(scan.messageCount == 1)
    }

    @Test(.tags(.store)) func fiftyMegabyteLineIsOneMessage() throws {
        let big = String(repeating: "abcdefgh", count: 50 * 1024 * 1024 / 8)
        let line = #"{"role": "tool", "tool_call_id": "c1", "content": ""# + big + "\"}\n"
        let scan = try Transcripts.scan(text: text + line + text)
        #expect(scan.error == nil)
        #expect(scan.messageCount == 81)
    }

    @Test(.tags(.store)) func lineLongerThanTheLimitIsRefusedNotBuffered() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("s.jsonl", text: #"{"role": "user", "content": ""# + String(repeating: "z", count: 3 << 20) + "\"}\n")
        let reader = TranscriptReader(path: path, limits: ReadLimits(maximumLineBytes: 2 << 20))
        #expect(throws: TranscriptError.self) { _ = try reader.read(onMessage: { _, _, _, _ in }) }
    }

    @Test(.tags(.store)) func gzipBombIsRefusedPastTheExpansionLimit() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("bomb.jsonl.gz")
        try GzipFileWriter.write([UInt8](repeating: 0x20, count: 64 << 20), toPath: path)
        let limits = ReadLimits(maximumExpansionRatio: 200, expansionGraceBytes: 8 << 20)
        let scan = TranscriptScan.scan(path: path, sessionID: "bomb", limits: limits)
        let error = try #require(scan.error)
        #expect(error.reason.contains("likely compression bomb"))
        // The same limits let an ordinary archive through.
        let ordinary = try Transcripts.gzip(text)
        let archive = try directory.write("ok.jsonl.gz", ordinary)
        #expect(TranscriptScan.scan(path: archive, sessionID: "ok", limits: limits).error == nil)
    }

    @Test(.tags(.store)) func hundredMegabyteLineIsOneMessage() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("s.jsonl.gz")
        let line = #"{"role": "tool", "tool_call_id": "c1", "content": ""# + String(repeating: "0123456789abcdef", count: 100 << 16) + "\"}\n"
        try GzipFileWriter.write(Array((text + line).utf8), toPath: path)
        let scan = TranscriptScan.scan(path: path, sessionID: "s")
        #expect(scan.error == nil)
        #expect(scan.messageCount == 41)
    }

    @Test(.tags(.unit)) func missingFileIsAnErrorNotACrash() {
        let scan = TranscriptScan.scan(path: "/nonexistent/s.jsonl", sessionID: "s")
        #expect(scan.error?.reason.contains("cannot open") == true)
    }
}
