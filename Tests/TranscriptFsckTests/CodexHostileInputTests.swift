import Foundation
import Testing
@testable import TranscriptFsck

/// Homes no codex wrote: rollouts, indexes and projections made to break the Codex readers. Each must come back with
/// a finding or an error naming the file (and the line or byte where it can), never a crash, a hang or a heap the size
/// of the disk. Sizes are small where the damage allows; only the single-line test writes tens of MB.
@Suite struct CodexHostileInputTests {
    static let threadID = CodexReadingTests.threadID
    static let rolloutName = "rollout-2026-12-03T08-45-23-\(threadID).jsonl"
    static let dated = "sessions/2026/12/03/"

    /// The ten lines of a whole two-turn paginated rollout.
    static var lines: [String] { CodexReadingTests.paginatedLines() }
    static func text(_ lines: [String]) -> [UInt8] { CodexReadingTests.text(lines) }

    func read(_ bytes: [UInt8], limits: ReadLimits = .standard) throws -> Rollout {
        let directory = TemporaryDirectory("codex-hostile")
        return RolloutReader(path: try directory.write(Self.rolloutName, bytes), limits: limits).read()
    }

    /// A home of hand-made parts.
    final class Home {
        let directory = TemporaryDirectory("codex-hostile-home")
        var path: String { directory.path }

        init() throws {
            try FileManager.default.createDirectory(atPath: directory.file(CodexHostileInputTests.dated), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory.file("archived_sessions"), withIntermediateDirectories: true)
        }

        @discardableResult
        func rollout(_ bytes: [UInt8], name: String = CodexHostileInputTests.rolloutName) throws -> String {
            try directory.write(CodexHostileInputTests.dated + name, bytes)
        }

        /// `state_5.sqlite` made by `sql`.
        func state(_ sql: String) throws {
            try SQLiteConnection(path: directory.file(CodexHome.stateDatabaseName), mode: .create).execute(sql)
        }

        func history(_ sql: String) throws {
            try SQLiteConnection(path: directory.file(CodexHome.historyDatabaseName), mode: .create).execute(sql)
        }

        /// codex 0.163.0's `threads` columns the reader needs, and a row for the rollout at `rolloutPath`.
        func index(rolloutPath: String, id: String = CodexHostileInputTests.threadID, extra: String = "") throws {
            try state("""
                CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0,
                                      history_mode TEXT NOT NULL DEFAULT 'paginated');
                INSERT INTO threads (id, rollout_path) VALUES ('\(id)', '\(rolloutPath)');
                \(extra)
                """)
        }

        static let historySchema = """
            CREATE TABLE thread_turns (thread_id TEXT NOT NULL, turn_id TEXT NOT NULL, rollout_ordinal INTEGER NOT NULL,
                status TEXT NOT NULL, rollout_byte_offset INTEGER, rollout_end_ordinal INTEGER, rollout_end_byte_offset INTEGER);
            CREATE TABLE thread_items (thread_id TEXT NOT NULL, turn_id TEXT NOT NULL, item_id TEXT NOT NULL,
                rollout_ordinal INTEGER NOT NULL, item_type TEXT NOT NULL DEFAULT '');
            CREATE TABLE thread_history_projection_state (thread_id TEXT PRIMARY KEY, next_rollout_byte_offset INTEGER NOT NULL,
                next_rollout_ordinal INTEGER NOT NULL);
            """

        func audit() throws -> CodexHomeAudit {
            let home = try #require(CodexHome.recognize(path), "\(path) is not recognised")
            return try CodexThreadCheck.audit(home)
        }
    }

    /// The one thread's finding, the audit's only one.
    func only(_ audit: CodexHomeAudit) throws -> CodexThreadFinding {
        #expect(audit.threads.count == 1, "\(audit.threads)")
        return try #require(audit.threads.first)
    }

    func elapsed(_ body: () throws -> Void) rethrows -> Duration {
        let start = ContinuousClock.now
        try body()
        return ContinuousClock.now - start
    }

    // MARK: - rollouts

    @Test(.tags(.unit)) func anEmptyFileAndAFileOfOneNewlineOpenWithNoSessionMeta() throws {
        let empty = try read([])
        #expect(empty.defects.map(\.kind) == [.noSessionMeta])
        #expect(empty.defects.first?.place == .file)
        let newline = try read([0x0A])
        #expect(newline.defects.map(\.kind) == [.noSessionMeta])
        #expect(newline.lineCount == 1)
        let blank = try read(Array(" \t\r\n\n\r\n".utf8))
        #expect(blank.defects.map(\.kind) == [.noSessionMeta])
    }

    @Test(.tags(.unit)) func nulBytesAreNotJSONAtTheirColumn() throws {
        var lines = Self.lines
        lines[2] = String(repeating: "\u{0}", count: 40)
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.count == 1)
        guard case .notJSON(let column, _)? = rollout.defects.first?.kind else { Issue.record("\(rollout.defects)"); return }
        #expect(column == 1)
        #expect(rollout.defects.first?.place == .line(3, byteOffset: CodexReadingTests.offsets(lines)[2]))
        // A NUL inside a string is a control character JSON forbids there.
        var inString = Self.lines
        inString[2] = #"{"type": "response_item", "payload": {"text": "a"# + "\u{0}" + #"b"}}"#
        guard case .notJSON? = try read(Self.text(inString)).defects.first?.kind else { Issue.record("NUL in a string is JSON"); return }
    }

    @Test(.tags(.unit)) func bytesThatAreNotUTF8AnywhereInALineAreNamed() throws {
        var bytes = Self.text(Self.lines)
        // A lone continuation byte, an overlong form, a surrogate and a code point past U+10FFFF, outside strings too.
        bytes += [0x80, 0x0A] + [0xC0, 0xAF, 0x0A] + [0xED, 0xA0, 0x80, 0x0A] + [0xF4, 0x90, 0x80, 0x80, 0x0A]
        bytes += Array(#"{"type": "x", "payload": {"k": ""#.utf8) + [0xFF, 0xFE] + Array(#""}}"#.utf8) + [0x0A]
        let rollout = try read(bytes)
        #expect(rollout.defects.count == 5)
        #expect(rollout.defects.last?.kind == .notUTF8(column: 33))
        #expect(rollout.lineCount == 15)
    }

    @Test(.tags(.unit)) func jsonThatIsNotAnObjectOrHasTheWrongShapeIsNotARolloutLine() throws {
        var lines = Self.lines
        lines += ["[]", "[1, {\"type\": \"event_msg\"}]", "42", "-1e999", "\"session_meta\"", "null", "true",
                  #"{"type": 7, "payload": {}}"#, #"{"type": "event_msg", "payload": "task_started"}"#,
                  #"{"type": "event_msg", "payload": null}"#, #"{"payload": {"type": "task_started"}}"#]
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.map(\.kind) == Array(repeating: .notARolloutLine, count: 11))
        #expect(rollout.turns.count == 2)
    }

    @Test(.tags(.unit)) func aSessionMetaWhosePayloadIsNoObjectOrWhoseIDIsNoStringNamesNoThread() throws {
        for meta in [#"{"type":"session_meta","payload":[]}"#, #"{"type":"session_meta","payload":{"id":42}}"#,
                     #"{"type":"session_meta","payload":{"id":null}}"#, #"{"type":"session_meta","payload":{"id":["x"]}}"#,
                     #"{"type":"session_meta","payload":{"id":{"id":"x"}}}"#, #"{"type":["session_meta"],"payload":{"id":"x"}}"#] {
            var lines = Self.lines
            lines[0] = meta
            let rollout = try read(Self.text(lines))
            #expect(rollout.threadID == nil, "\(meta)")
            #expect(!rollout.defects.isEmpty, "\(meta)")
            #expect(rollout.defects.first?.place == .line(1, byteOffset: 0), "\(meta)")
        }
    }

    @Test(.tags(.unit)) func ordinalsThatAreNoIntCodexCountsAreOutOfStep() throws {
        let odd = ["9223372036854775808", "9223372036854775807", "-9223372036854775808", "-1", "1.5", "2.0", "1e2", "1e400",
                   "-0.0", "99999999999999999999999999999999", "\"1\"", "null", "true", "[1]", "{}"]
        var lines = Self.lines
        for (index, ordinal) in odd.enumerated() {
            lines.append(#"{"timestamp": "t", "ordinal": \#(ordinal), "type": "event_msg", "payload": {"type": "x"}}"#)
            _ = index
        }
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.count == odd.count)
        #expect(rollout.defects.allSatisfy { if case .ordinalOutOfStep = $0.kind { true } else { false } }, "\(rollout.defects)")
        #expect(rollout.defects.first?.kind == .ordinalOutOfStep(expected: 10, found: nil))
        #expect(rollout.defects[1].kind == .ordinalOutOfStep(expected: 11, found: Int.max))
    }

    @Test(.tags(.unit)) func turnsThatNeverEndOrEndWithoutStartingAreRead() throws {
        var lines = [Self.lines[0]]
        lines.append(#"{"type": "event_msg", "payload": {"type": "task_complete", "turn_id": "nowhere"}}"#)
        lines.append(#"{"type": "event_msg", "payload": {"type": "task_complete"}}"#)
        for index in 0..<10_000 { lines.append(#"{"type": "event_msg", "payload": {"type": "task_started", "turn_id": "t\#(index)"}}"#) }
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects == [])
        #expect(rollout.turns.count == 10_000)
        #expect(rollout.turns.allSatisfy { $0.endOrdinal == nil })
    }

    /// A `task_complete` without a turn id closes the turn that started last and is still open: found in constant time
    /// per line, not by walking back over every turn closed before it.
    @Test(.tags(.unit)) func manyTaskCompletesWithoutATurnIDTakeLinearTime() throws {
        let turns = 20_000
        var lines = [Self.lines[0]]
        for index in 0..<turns {
            lines.append(#"{"type":"event_msg","payload":{"type":"task_started","turn_id":"t\#(index)"}}"#)
            lines.append(#"{"type":"event_msg","payload":{"type":"task_complete","turn_id":"t\#(index)"}}"#)
        }
        lines += Array(repeating: #"{"type":"event_msg","payload":{"type":"task_complete"}}"#, count: turns)
        var rollout: Rollout?
        let time = try elapsed { rollout = try read(Self.text(lines)) }
        #expect(rollout?.turns.count == turns)
        #expect(rollout?.turns.allSatisfy { $0.endOrdinal == $0.startOrdinal + 1 } == true)
        #expect(time < .seconds(5), "\(time) for \(lines.count) lines")
    }

    @Test(.tags(.unit)) func anonymousTaskCompletesCloseTheLatestOpenTurnsInOrder() throws {
        var lines = [Self.lines[0]]
        lines.append(#"{"type":"event_msg","payload":{"type":"task_started","turn_id":"a"}}"#)   // 1
        lines.append(#"{"type":"event_msg","payload":{"type":"task_started","turn_id":"b"}}"#)   // 2
        lines.append(#"{"type":"event_msg","payload":{"type":"task_started"}}"#)                 // 3
        lines.append(#"{"type":"event_msg","payload":{"type":"task_complete","turn_id":"b"}}"#)  // 4 closes b
        lines.append(#"{"type":"event_msg","payload":{"type":"task_complete"}}"#)                // 5 closes the anonymous one
        lines.append(#"{"type":"event_msg","payload":{"type":"task_complete"}}"#)                // 6 closes a
        lines.append(#"{"type":"event_msg","payload":{"type":"task_complete","turn_id":"a"}}"#)  // 7 a is closed already
        lines.append(#"{"type":"event_msg","payload":{"type":"task_complete"}}"#)                // 8 nothing open
        let rollout = try read(Self.text(lines))
        #expect(rollout.turns.map(\.endOrdinal) == [6, 4, 5])
    }

    @Test(.tags(.unit)) func crlfLineEndsAreReadAsTheirLines() throws {
        let bytes = Array(Self.lines.map { $0 + "\r\n" }.joined().utf8)
        let rollout = try read(bytes)
        #expect(rollout.defects == [])
        #expect(rollout.threadID == Self.threadID)
        #expect(rollout.lineCount == 10)
        #expect(rollout.wholeLinesEnd == bytes.count)
        #expect(rollout.turns.count == 2)
    }

    @Test(.tags(.unit)) func aFinalLineWithoutANewlineIsNamedWhetherWholeOrCut() throws {
        let whole = try read(Array(Self.text(Self.lines).dropLast()))
        #expect(whole.defects.map(\.kind) == [.noFinalNewline])
        #expect(!whole.endsOnLineBoundary)
        let cut = try read(Array(Self.text(Self.lines).dropLast(2)))
        #expect(cut.defects.map(\.kind) == [.cutShort])
        let onlyOne = try read(Array(Self.lines[0].utf8))
        #expect(onlyOne.defects.map(\.kind) == [.noFinalNewline])
        #expect(onlyOne.threadID == Self.threadID)
        #expect(onlyOne.lineCount == 0)
    }

    @Test(.tags(.unit)) func aGzipFileNamedJSONLIsGarbageLineByLine() throws {
        let data = Data(Self.text(Self.lines))
        let directory = TemporaryDirectory("codex-gzip")
        let plain = try directory.write("plain.jsonl", Array(data))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-9", "-n", plain]
        try gzip.run()
        gzip.waitUntilExit()
        let bytes = try #require(FileManager.default.contents(atPath: plain + ".gz"))
        let rollout = try read(Array(bytes))
        #expect(!rollout.defects.isEmpty)
        #expect(rollout.threadID == nil)
        #expect(rollout.defects.allSatisfy { $0.path == rollout.path })
    }

    @Test(.tags(.unit)) func nestingAHundredThousandLevelsDeepIsNamedNotRecursedInto() throws {
        let depth = 100_000
        let open = String(repeating: "[", count: depth)
        let close = String(repeating: "]", count: depth)
        var lines = Self.lines
        lines += [open, open + close, #"{"type": "event_msg", "payload": {"a": "# + open + close + "}}",
                  #"{"type": "event_msg", "payload": "# + String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) + "}",
                  String(repeating: #"{"a":"#, count: depth)]
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.count == 5)
        #expect(rollout.defects.allSatisfy { if case .notJSON = $0.kind { true } else { false } }, "\(rollout.defects.map(\.kind))")
        #expect(rollout.turns.count == 2)
    }

    /// A line past the limit stops the read at that line; one under it is read whole, the line's memory its own size.
    @Test(.tags(.store)) func aFiftyMegabyteSingleLineIsReadOrRefusedAtItsStart() throws {
        let size = 50 << 20
        var bytes = Array(#"{"type": "session_meta", "payload": {"id": "\#(Self.threadID)", "pad": ""#.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: size)
        bytes += Array("\"}}\n".utf8)
        let whole = try read(bytes)
        #expect(whole.defects == [])
        #expect(whole.threadID == Self.threadID)
        #expect(whole.byteSize == bytes.count)
        let refused = try read(bytes, limits: ReadLimits(maximumLineBytes: 16 << 20))
        #expect(refused.defects.map(\.kind) == [.unreadable(.lineTooLong(limitMebibytes: 16))])
        #expect(refused.defects.first?.place == .line(1, byteOffset: 0))
        #expect(!refused.isReadWhole)
        // Bytes with no newline at all: one line, cut short.
        let noNewline = try read([UInt8](repeating: UInt8(ascii: "x"), count: size))
        #expect(noNewline.defects.map(\.kind) == [.cutShort])
    }

    /// Valid JSON that is no rollout line is told from garbage without building its tree: a 20 MB array of numbers
    /// would take some 40 bytes of heap a number as a `ParsedJSON`, half a gigabyte.
    @Test(.tags(.store)) func aLargeJSONArrayLineIsNamedWithoutBuildingItsTree() throws {
        let count = 10_000_000
        var bytes = Self.text(Self.lines)
        bytes.append(UInt8(ascii: "["))
        bytes.reserveCapacity(bytes.count + 2 * count + 2)
        for _ in 0..<count { bytes += [UInt8(ascii: "0"), UInt8(ascii: ",")] }
        bytes[bytes.count - 1] = UInt8(ascii: "]")
        bytes.append(0x0A)
        var rollout: Rollout?
        let before = Self.peakResidentBytes()
        let time = try elapsed { rollout = try read(bytes) }
        let grown = Self.peakResidentBytes() - before
        #expect(rollout?.defects.map(\.kind) == [.notARolloutLine])
        #expect(grown < 200 << 20, "peak resident memory grew by \(grown >> 20) MiB")
        #expect(time < .seconds(10), "\(time)")
    }

    /// The process's peak resident memory (`VmHWM`), in bytes.
    static func peakResidentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
