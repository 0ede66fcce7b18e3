import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Compressed rollouts (`.jsonl.zst`), which codex's source can write and the released binaries were not seen to:
/// read through libzstd into the same facts as the plain file, offsets and ordinals of the text; damaged, cut or
/// hostile ones come back as defects naming the file and the compressed byte, never a crash or a heap the size of the
/// text. The zstd data is made by the library (Support/ZstdFrames.swift), and by the `zstd` command where it is installed.
@Suite struct ZstdRolloutTests {
    static let threadID = CodexReadingTests.threadID
    static let plainName = "rollout-2026-12-03T08-45-23-\(threadID).jsonl"
    static let compressedName = plainName + ".zst"
    static var lines: [String] { CodexReadingTests.paginatedLines() }
    static func text(_ lines: [String]) -> [UInt8] { CodexReadingTests.text(lines) }

    /// The paginated rollout followed by `count` lines of random text, ordinals in step: a few MB that compress to
    /// several zstd blocks and more than one read of the file.
    static func longLines(_ count: Int) -> [String] {
        var random = SplitMix64(seed: 0x257D)
        let filler = (10..<(10 + count)).map { ordinal in
            let words = (0..<24).map { _ in String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 36) }
            return #"{"timestamp": "2026-12-03T08:45:24.000Z", "ordinal": \#(ordinal), "type": "response_item", "#
                + #""payload": {"type": "message", "role": "assistant", "content": "\#(words.joined(separator: " "))"}}"#
        }
        return lines + filler
    }

    func read(_ bytes: [UInt8], name: String = compressedName, limits: ReadLimits = .standard) throws -> Rollout {
        let directory = TemporaryDirectory("zstd-rollout")
        return RolloutReader(path: try directory.write(name, bytes), limits: limits).read()
    }

    /// Everything a check uses of a rollout, without its path.
    func expectSameFacts(_ compressed: Rollout, _ plain: Rollout, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(compressed.threadID == plain.threadID, sourceLocation: sourceLocation)
        #expect(compressed.historyMode == plain.historyMode, sourceLocation: sourceLocation)
        #expect(compressed.lineCount == plain.lineCount, sourceLocation: sourceLocation)
        #expect(compressed.byteSize == plain.byteSize, sourceLocation: sourceLocation)
        #expect(compressed.endsOnLineBoundary == plain.endsOnLineBoundary, sourceLocation: sourceLocation)
        #expect(compressed.turns == plain.turns, sourceLocation: sourceLocation)
        #expect(compressed.completedItems == plain.completedItems, sourceLocation: sourceLocation)
        #expect(compressed.defects.map(\.kind) == plain.defects.map(\.kind), sourceLocation: sourceLocation)
        #expect(compressed.defects.map(\.place) == plain.defects.map(\.place), sourceLocation: sourceLocation)
        #expect(compressed.isReadWhole == plain.isReadWhole, sourceLocation: sourceLocation)
        #expect((0...plain.lineCount).map(compressed.byteOffset(ofOrdinal:)) == (0...plain.lineCount).map(plain.byteOffset(ofOrdinal:)),
                sourceLocation: sourceLocation)
    }

    /// The defect that stopped the read.
    func stop(_ rollout: Rollout) throws -> (TranscriptError.Defect, TranscriptError.Place) {
        #expect(!rollout.isReadWhole)
        let last = try #require(rollout.defects.last)
        guard case .unreadable(let defect) = last.kind else { throw CancellationError() }
        return (defect, last.place)
    }

    // MARK: - whole

    @Test(.tags(.unit)) func aCompressedRolloutGivesTheFactsOfThePlainOne() throws {
        for lines in [Self.lines, Self.longLines(20_000)] {
            let text = Self.text(lines)
            let plain = try read(text, name: Self.plainName)
            let compressed = try read(ZstdFrames.compress(text))
            #expect(compressed.defects == [])
            #expect(compressed.byteSize == text.count)
            expectSameFacts(compressed, plain)
        }
    }

    /// Frames split mid-line and a skippable frame between them: one text, as `zstd -d` and codex would read it.
    @Test(.tags(.unit)) func concatenatedFramesAreOneText() throws {
        let text = Self.text(Self.longLines(5_000))
        let cuts = [0, 17, 40_000, text.count / 2, text.count - 1, text.count]
        let parts = zip(cuts, cuts.dropFirst()).map { Array(text[$0..<$1]) }
        let frames = ZstdFrames.frames(Array(parts.prefix(2))) + ZstdFrames.skippable(Array("not text".utf8))
            + ZstdFrames.frames(Array(parts.dropFirst(2))) + ZstdFrames.compress([])
        let compressed = try read(frames)
        #expect(compressed.defects == [])
        expectSameFacts(compressed, try read(text, name: Self.plainName))
    }

    @Test(.tags(.store), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd"), "the zstd command is not installed"))
    func aRolloutCompressedByTheZstdCommandIsReadAsThePlainOne() throws {
        let directory = TemporaryDirectory("zstd-command")
        let plainPath = try directory.write(Self.plainName, Self.text(Self.longLines(2_000)))
        let result = try CommandRunner.shell("/usr/bin/zstd -q -19 -o '\(plainPath).zst' '\(plainPath)'")
        #expect(result.status == 0, "\(result.standardError)")
        let compressed = RolloutReader(path: plainPath + ".zst").read()
        #expect(compressed.defects == [])
        expectSameFacts(compressed, RolloutReader(path: plainPath).read())
    }

    // MARK: - damaged

    /// The byte zstd stops at is at or after the damage's block: the text of the blocks before it is read.
    @Test(.tags(.unit)) func aCorruptByteMidFileIsADefectAtItsCompressedByte() throws {
        let text = Self.text(Self.longLines(20_000))
        var bytes = ZstdFrames.compress(text)
        let damaged = bytes.count / 2
        bytes[damaged] ^= 0x5A
        let rollout = try read(bytes)
        let (defect, place) = try stop(rollout)
        guard case .corruptZstd = defect, case .byte(let offset) = place else {
            Issue.record("\(defect) at \(place)")
            return
        }
        #expect(offset > 0 && offset <= bytes.count)
        #expect(offset >= damaged - (128 << 10), "\(offset) is more than a block before the damage at \(damaged)")
        #expect(rollout.lineCount > 0 && rollout.byteSize < text.count)
        #expect(rollout.defects.last?.sentence.contains("corrupt zstd data") == true, "\(rollout.defects.map(\.sentence))")
    }

    @Test(.tags(.unit)) func aTruncatedFileEndsEarlyAtItsLastByte() throws {
        let text = Self.text(Self.longLines(20_000))
        let whole = ZstdFrames.compress(text)
        for kept in [whole.count / 2, whole.count - 1, 3] {
            let rollout = try read(Array(whole.prefix(kept)))
            let (defect, place) = try stop(rollout)
            #expect(defect == .zstdEndsEarly, "kept \(kept)")
            #expect(place == .byte(kept), "kept \(kept)")
            #expect(rollout.byteSize <= text.count)
        }
        // Half the file holds whole blocks: their lines are read before the stop (the last byte cut is the
        // checksum's, after all the text).
        #expect(try read(Array(whole.prefix(whole.count / 2))).lineCount > 10)
    }

    @Test(.tags(.unit)) func anEmptyFileIsNoZstdStream() throws {
        let rollout = try read([])
        #expect(rollout.defects.map(\.kind) == [.unreadable(.emptyZstd)])
        #expect(rollout.defects.map(\.place) == [.file])
        // A frame of no text is a stream, of no lines.
        #expect(try read(ZstdFrames.compress([])).defects.map(\.kind) == [.noSessionMeta])
    }

    @Test(.tags(.unit)) func plainTextNamedZstIsNotZstd() throws {
        let (defect, place) = try stop(try read(Self.text(Self.lines)))
        guard case .corruptZstd = defect else {
            Issue.record("\(defect)")
            return
        }
        #expect(place == .byte(0))
    }

    /// A line past the limit stops the read at its start; so does text that expands past the ratio, a zstd bomb.
    @Test(.tags(.unit)) func aHugeLineOrABombStopsCleanly() throws {
        let huge = Array((Self.lines[0] + "\n").utf8) + Array(#"{"type": "response_item", "payload": {"text": ""#.utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20) + Array("\"}}\n".utf8)
        let compressed = ZstdFrames.compress(huge)
        let refused = try read(compressed, limits: ReadLimits(maximumLineBytes: 4 << 20))
        #expect(refused.defects.map(\.kind) == [.unreadable(.lineTooLong(limitMebibytes: 4))])
        #expect(refused.defects.map(\.place) == [.line(2, byteOffset: Self.lines[0].utf8.count + 1)])
        let bomb = try read(compressed, limits: ReadLimits(maximumExpansionRatio: 200, expansionGraceBytes: 1 << 20))
        let (defect, _) = try stop(bomb)
        guard case .expandsTooFar(let ratio, _, let stored) = defect else {
            Issue.record("\(defect)")
            return
        }
        #expect(ratio == 200 && stored <= compressed.count)
    }

    /// A frame header that asks for a 2 GiB window (made by hand: magic, no flags, window byte 0xA8, one raw block) is
    /// refused at its header, never given the memory.
    @Test(.tags(.unit)) func aFrameAskingForMoreThanTheWindowLimitIsRefused() throws {
        let frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xA8, 0x09, 0x00, 0x00, UInt8(ascii: "x")]
        let (defect, place) = try stop(try read(frame))
        #expect(defect == .corruptZstd(zstdMessage: "Frame requires too much memory for decoding"))
        #expect(place.isByte)
    }

    // MARK: - hostile

    /// Random bytes, some behind zstd's magic number, and a real compressed rollout damaged at random: every read ends
    /// with facts or defects naming the file, within the text's own bounds.
    @Test(.tags(.unit)) func randomBytesNamedZstAreReadWithoutATrap() throws {
        let directory = TemporaryDirectory("zstd-fuzz")
        let path = directory.file(Self.compressedName)
        let original = ZstdFrames.frames([Self.text(Self.lines), Self.text(Array(Self.longLines(200).suffix(200)))])
        let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        var random = SplitMix64(seed: 0x2575)
        for round in 0..<1_500 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0: bytes = (0..<Int.random(in: 0...4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1: bytes = magic + (0..<Int.random(in: 0...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            default:
                bytes = original
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                    default: bytes = Array(bytes.prefix(max(1, at)))
                    }
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let rollout = RolloutReader(path: path).read()
            #expect(rollout.isReadWhole || !rollout.defects.isEmpty, "round \(round)")
            #expect(rollout.defects.allSatisfy { $0.path == path }, "round \(round)")
            #expect(rollout.wholeLinesEnd <= rollout.byteSize, "round \(round)")
            for case .byte(let offset) in rollout.defects.map(\.place) { #expect(offset >= 0 && offset <= bytes.count, "round \(round)") }
            _ = rollout.defects.map(\.sentence)
        }
    }

    // MARK: - in a home

    /// Found under `sessions/`, its size the file's on disk, its projection judged against the decompressed text.
    @Test(.tags(.store)) func aCompressedRolloutInAHomeIsFoundAndItsProjectionJudged() throws {
        let home = try CodexHostileInputTests.Home()
        let text = Self.text(Self.lines)
        let compressed = ZstdFrames.compress(text)
        let path = try home.rollout(compressed, name: Self.compressedName)
        let found = try #require(CodexHome.recognize(home.path)).discoverRollouts()
        #expect(found.rollouts.map(\.path) == [path])
        #expect(found.rollouts.map(\.isCompressed) == [true])
        #expect(found.rollouts.map(\.size) == [compressed.count])
        #expect(found.rollouts.map(\.threadIDInName) == [Self.threadID])

        try home.index(rolloutPath: path)
        let hostile = CodexHostileInputTests()
        try home.history(CodexHostileInputTests.Home.historySchema + hostile.wholeProjection + hostile.cursorRow("\(text.count)", "10"))
        #expect(try hostile.only(try home.audit()).problems == [])
    }

    @Test(.tags(.store)) func aDamagedCompressedRolloutInAHomeIsACorruptRollout() throws {
        let home = try CodexHostileInputTests.Home()
        let whole = ZstdFrames.compress(Self.text(Self.lines))
        let path = try home.rollout(Array(whole.dropLast(3)), name: Self.compressedName)
        try home.index(rolloutPath: path)
        let problems = try CodexHostileInputTests().only(try home.audit()).problems
        #expect(problems == [.corruptRollout([RolloutDefect(path: path, place: .byte(whole.count - 3), kind: .unreadable(.zstdEndsEarly))])])
    }

    @Test(.tags(.unit)) func theProjectorDoesNotProjectACompressedRollout() throws {
        let directory = TemporaryDirectory("zstd-projector")
        let path = try directory.write(Self.compressedName, ZstdFrames.compress(Self.text(Self.lines)))
        let outcome = CodexProjector.project(rolloutAt: path)
        #expect(outcome == .failure(.compressed))
        #expect(CodexProjector.CannotProject.compressed.sentence
                == "the rollout is compressed (.jsonl.zst); this version does not project compressed rollouts")
    }
}

private extension TranscriptError.Place {
    var isByte: Bool { if case .byte = self { true } else { false } }
}
