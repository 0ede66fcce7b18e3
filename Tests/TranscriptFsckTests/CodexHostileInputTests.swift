import Foundation
import StoreFixtures
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
        let odd = ["9223372036854775808", "9223372036854775807", "-9223372036854775808", "-1", "1.5", "2.0", "1e2", "1e300",
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

    /// JSON the transcript scanner reads (Python's dialect) and codex's serde_json does not: codex skips such a line,
    /// so its facts must not count (a session_meta with a NaN names no thread to codex).
    @Test(.tags(.unit)) func jsonThatCodexsParserRefusesIsNamedAndItsFactsDoNotCount() throws {
        let meta = Self.lines[0]
        func with(_ value: String) -> String { meta.replacingOccurrences(of: #""cwd": "/w""#, with: value) }
        let cases: [(String, CodexJSONDialect.Refusal, String)] = [
            (with(#""cwd": NaN"#), .nonFiniteNumber, "NaN"),
            (with(#""cwd": [-Infinity]"#), .nonFiniteNumber, "-Infinity"),
            (with(#""cwd": 1e400"#), .numberOutOfRange, "1e400"),
            (with(#""cwd": -2.5E+999"#), .numberOutOfRange, "-2.5E+999"),
            (with(#""cwd": "\ud800""#), .loneSurrogate, #"\ud800"#),
            (with(#""cwd": "x\uDC00y""#), .loneSurrogate, #"\uDC00"#),
            (with(#""cwd": "\ud800\u0041""#), .loneSurrogate, #"\ud800"#),
            (with(#""\udbff": 1"#), .loneSurrogate, #"\udbff"#),
            (with(#""cwd": "# + String(repeating: "[", count: 126) + String(repeating: "]", count: 126)), .nestedTooDeep(limit: 128), "[]"),
        ]
        for (line, refusal, there) in cases {
            var lines = Self.lines
            lines[0] = line
            let rollout = try read(Self.text(lines))
            #expect(rollout.threadID == nil, "\(refusal)")
            guard case .refusedByCodex(let column, let found)? = rollout.defects.first?.kind else {
                Issue.record("\(refusal): \(rollout.defects)")
                continue
            }
            #expect(found == refusal)
            #expect(String(decoding: Array(line.utf8).dropFirst(column - 1).prefix(there.utf8.count), as: UTF8.self) == there, "\(refusal)")
            #expect(rollout.defects.first?.place == .line(1, byteOffset: 0))
        }
        // What serde_json reads: a pair, 127 levels (the line, its payload, cwd and 124 more), big integers, small exponents, the words inside strings.
        var accepted = Self.lines
        accepted[0] = with(#""cwd": ["\ud83d\ude00", "NaN Infinity \\ud800", 1e308, -1E-400, 123456789012345678901234567890, "#
                           + String(repeating: "[", count: 124) + String(repeating: "]", count: 124) + "]")
        let rollout = try read(Self.text(accepted))
        #expect(rollout.defects == [])
        #expect(rollout.threadID == Self.threadID)
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

    // MARK: - the home's files

    @Test(.tags(.unit)) func whatIsNoRolloutFileInSessionsIsNotReadAndNamed() throws {
        let home = try Home()
        try home.rollout(Self.text(Self.lines))
        let sessions = home.directory.file(Self.dated)
        #expect(mkfifo(sessions + "rollout-2026-12-03T08-45-24-fifo.jsonl", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: sessions + "rollout-2026-12-03T08-45-25-zero.jsonl", withDestinationPath: "/dev/zero")
        let outside = TemporaryDirectory("codex-outside")
        try FileManager.default.createSymbolicLink(atPath: sessions + "rollout-2026-12-03T08-45-26-out.jsonl",
                                                   withDestinationPath: try outside.write("x.jsonl", Self.text(Self.lines)))
        try FileManager.default.createDirectory(atPath: sessions + "rollout-2026-12-03T08-45-27-dir.jsonl", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home.directory.file("sessions/2026/11"), withDestinationPath: "/")
        // A name that is not UTF-8.
        let raw = Array((sessions + "rollout-").utf8) + [0xFF, 0xFE] + Array(".jsonl".utf8)
        let descriptor = (raw + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) } }
        #expect(descriptor >= 0)
        close(descriptor)
        var audit: CodexHomeAudit?
        let time = try elapsed { audit = try home.audit() }
        let found = try #require(audit)
        #expect(time < .seconds(10))
        #expect(found.threads.map(\.threadID) == [Self.threadID])
        #expect(found.unread.count == 5, "\(found.unread)")
        #expect(found.homeProblems == [.stateDatabaseMissing(rollouts: 1)])
    }

    /// Handed a FIFO (a rollout swapped for one between discovery and the read), the reader does not wait for a
    /// writer that never comes: a second thread opens the FIFO after 3 s, so that a reader that blocks comes back late
    /// rather than never.
    @Test(.tags(.unit)) func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let directory = TemporaryDirectory("codex-fifo")
        let fifo = directory.file(Self.rolloutName)
        #expect(mkfifo(fifo, 0o600) == 0)
        Self.openForWriting(fifo, after: 3)
        var rollout: Rollout?
        let time = elapsed { rollout = RolloutReader(path: fifo).read() }
        #expect(time < .seconds(2), "the read waited \(time) for a writer")
        #expect(rollout?.isReadWhole == false)
        #expect(rollout?.defects.count == 1)
        #expect(rollout?.defects.first?.place == .file)
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let read = RolloutReader(path: device).read()
            #expect(!read.isReadWhole, "\(device)")
            #expect(read.byteSize == 0, "\(device)")
        }
        let directoryRead = RolloutReader(path: directory.path).read()
        #expect(!directoryRead.isReadWhole)
    }

    // MARK: - state_5.sqlite

    func auditError(_ home: Home) -> FsckError? {
        do {
            _ = try home.audit()
            return nil
        } catch {
            return error as? FsckError
        }
    }

    func schemaDetail(_ error: FsckError?) -> String? {
        guard case .unknownSchema(_, let detail)? = error else { return nil }
        return detail
    }

    @Test(.tags(.store)) func anIndexThatIsNoSQLiteOrHasNoThreadsIsAnErrorNamingIt() throws {
        let garbage = try Home()
        try garbage.rollout(Self.text(Self.lines))
        try garbage.directory.write(CodexHome.stateDatabaseName, Array(String(repeating: "not a database\n", count: 500).utf8))
        let garbageError = try #require(auditError(garbage))
        #expect("\(garbageError)".contains(garbage.directory.file(CodexHome.stateDatabaseName)), "\(garbageError)")
        let empty = try Home()
        try empty.rollout(Self.text(Self.lines))
        try empty.directory.write(CodexHome.stateDatabaseName, [])
        #expect(schemaDetail(auditError(empty)) == "no table threads")
        let other = try Home()
        try other.state("CREATE TABLE sessions (id TEXT); CREATE TABLE threads_old (id TEXT)")
        #expect(schemaDetail(auditError(other)) == "no table threads")
        let short = try Home()
        try short.state("CREATE TABLE threads (id TEXT, archived INTEGER)")
        #expect(schemaDetail(auditError(short)) == "table threads has no column rollout_path")
    }

    @Test(.tags(.store)) func aThreadsTableOfWrongTypesAndNullsIsReadAndItsRowsJudged() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.state("""
            CREATE TABLE threads (id, rollout_path, archived, archived_at, history_mode, source, model_provider, cwd, title,
                                  preview, cli_version, created_at, updated_at);
            INSERT INTO threads VALUES (42, x'2f746d702fff00', 'yes', 'soon', 7, x'00', NULL, 1.5, x'ff', NULL, NULL, 'x', 1e400);
            INSERT INTO threads VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO threads VALUES ('\(Self.threadID)', '\(path)', 0, NULL, 'paginated', NULL, NULL, NULL, NULL, NULL, NULL,
                                        9223372036854775807, -9223372036854775808);
            INSERT INTO threads VALUES ('', '', -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """)
        let audit = try home.audit()
        let byID = Dictionary(audit.threads.map { ($0.threadID, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byID["42"]?.status == .stale)
        #expect(byID[""]?.status == .stale)
        // The good row's thread is paginated with no projection database: it has turns no projection shows.
        #expect(byID[Self.threadID]?.problems == [.noProjection(rolloutTurns: 2)])
    }

    @Test(.tags(.store)) func rowsWhosePathIsRelativeEmptyADeviceOrADirectoryAreStale() throws {
        let home = try Home()
        try home.rollout(Self.text(Self.lines))
        let ids = (1...6).map { "00000000-0000-0000-0000-00000000000\($0)" }
        let paths = ["", "relative/rollout.jsonl", "/dev/zero", home.directory.file("sessions"), "/", home.directory.file(Self.dated) + "nothing.jsonl"]
        try home.index(rolloutPath: home.directory.file(Self.dated + Self.rolloutName), extra: zip(ids, paths).map {
            "INSERT INTO threads (id, rollout_path) VALUES ('\($0.0)', '\($0.1)');"
        }.joined(separator: "\n"))
        var audit: CodexHomeAudit?
        let time = try elapsed { audit = try home.audit() }
        #expect(time < .seconds(10))
        let byID = Dictionary(try #require(audit).threads.map { ($0.threadID, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, path) in zip(ids, paths) { #expect(byID[id]?.problems == [.staleRow(rolloutPath: path)], "\(path)") }
    }

    /// A NUL in `rollout_path` ends the path as the C library reads it: the row must not be taken to name the file
    /// its first part names, which codex (a Rust `Path`, refused with a NUL) cannot open.
    @Test(.tags(.store)) func aRolloutPathWithANULNamesNoFile() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.state("""
            CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0);
            INSERT INTO threads VALUES ('\(Self.threadID)', CAST(x'\(Array((path + "\u{0}.old").utf8).map { String(format: "%02x", $0) }.joined())' AS TEXT), 0);
            """)
        let finding = try only(try home.audit())
        #expect(finding.problems.map(\.check) == [.pathDisagrees, .noProjection], "\(finding.problems)")
    }

    /// Many rows naming one file outside the home read it once, and it is not its own duplicate.
    @Test(.tags(.store)) func rowsThatNameOneFileOutsideTheHomeReadItOnce() throws {
        let home = try Home()
        let outside = TemporaryDirectory("codex-outside")
        let elsewhere = try outside.write(Self.rolloutName, Self.text(Self.lines))
        let ids = (0..<200).map { String(format: "00000000-0000-0000-0000-%012d", $0) }
        try home.state("""
            CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0);
            """ + ids.map { "INSERT INTO threads VALUES ('\($0)', '\(elsewhere)', 0);" }.joined(separator: "\n"))
        let audit = try home.audit()
        let own = try #require(audit.threads.first { $0.threadID == Self.threadID })
        #expect(!own.problems.contains { $0.check == .duplicateRollouts }, "\(own.problems)")
        #expect(own.rolloutPath == elsewhere)
        #expect(audit.threads.count == ids.count + 1)
    }

    @Test(.tags(.store)) func duplicateRowsOfOneThreadAreNotLostSilently() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.state("""
            CREATE TABLE threads (id TEXT, rollout_path TEXT, archived INTEGER);
            INSERT INTO threads VALUES ('\(Self.threadID)', '\(path)', 0);
            INSERT INTO threads VALUES ('\(Self.threadID)', '/elsewhere/\(Self.rolloutName)', 1);
            """)
        let finding = try only(try home.audit())
        #expect(finding.problems == [.duplicateRows(rolloutPaths: [path, "/elsewhere/\(Self.rolloutName)"]), .noProjection(rolloutTurns: 2)],
                "\(finding.problems)")
        #expect(finding.status == .misplaced)
    }

    /// A `threads` that is a view of endless rows (a recursive CTE) must not be read forever.
    @Test(.tags(.store)) func aThreadsViewOfEndlessRowsIsRefused() throws {
        let home = try Home()
        try home.rollout(Self.text(Self.lines))
        try home.state("""
            CREATE VIEW threads AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
                SELECT printf('%d', i) AS id, '/x' AS rollout_path, 0 AS archived FROM n;
            """)
        let error = auditError(home)
        #expect(error != nil)
    }

    @Test(.tags(.store)) func aWALIndexWhoseWALIsGarbageIsReadOrRefused() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.state("PRAGMA journal_mode=WAL;")
        try home.index(rolloutPath: path)
        try home.directory.write(CodexHome.stateDatabaseName + "-wal", Array(String(repeating: "garbage!", count: 4096).utf8))
        try home.directory.write(CodexHome.stateDatabaseName + "-shm", Array(String(repeating: "shm junk", count: 4096).utf8))
        do {
            let audit = try home.audit()
            #expect(audit.threads.count == 1)
        } catch {
            #expect(error is FsckError)
        }
    }

    /// The `-wal` or `-shm` beside a WAL index is a FIFO, a device or a directory: read, or an error, not a wait.
    @Test(.tags(.store), arguments: ["fifo-wal", "fifo-shm", "urandom-wal", "zero-shm", "directory-wal", "directory-shm"])
    func aWALIndexWhoseSidecarIsNoFileIsReadOrRefused(sidecar: String) throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.state("PRAGMA journal_mode=WAL;")
        try home.index(rolloutPath: path)
        let database = home.directory.file(CodexHome.stateDatabaseName)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let target = database + (sidecar.hasSuffix("wal") ? "-wal" : "-shm")
        switch sidecar {
        case "fifo-wal", "fifo-shm": #expect(mkfifo(target, 0o600) == 0)
        case "urandom-wal": try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: "/dev/urandom")
        case "zero-shm": try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: "/dev/zero")
        default: try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        }
        let recognized = try #require(CodexHome.recognize(home.path))
        var outcome: Result<CodexHomeAudit, FsckError>?
        let time = elapsed {
            do throws(FsckError) {
                outcome = .success(try CodexThreadCheck.audit(recognized))
            } catch {
                outcome = .failure(error)
            }
        }
        #expect(time < .seconds(20), "\(sidecar): \(time)")
        if case .success(let audit)? = outcome { #expect(audit.threads.count == 1, "\(sidecar)") }
        if case .failure(let error)? = outcome { #expect("\(error)".contains(database), "\(sidecar): \(error)") }
        #expect(outcome != nil)
    }

    /// Directories nested as deep as a path can name (and deeper, made a level at a time) are walked or skipped, not
    /// recursed into until the stack ends.
    @Test(.tags(.store)) func sessionsNestedPastPathMaxAreWalkedWithoutExhaustingTheStack() throws {
        let home = try Home()
        try home.rollout(Self.text(Self.lines))
        var deep = home.directory.file("sessions")
        for _ in 0..<3_000 {
            deep += "/d"
            guard mkdir(deep, 0o700) == 0 else { break }
        }
        var audit: CodexHomeAudit?
        let time = try elapsed { audit = try home.audit() }
        #expect(time < .seconds(30))
        #expect(audit?.threads.count == 1)
    }

    /// A rollout of nothing but newlines: each is a line, and the reader keeps a line's end (8 bytes) for each.
    @Test(.tags(.store)) func aRolloutOfTenMillionBlankLinesIsReadInBoundedTime() throws {
        let count = 10_000_000
        let bytes = Array(Self.lines[0].utf8) + [0x0A] + [UInt8](repeating: 0x0A, count: count)
        var rollout: Rollout?
        let time = try elapsed { rollout = try read(bytes) }
        #expect(rollout?.defects == [])
        #expect(rollout?.lineCount == count + 1)
        #expect(time < .seconds(30), "\(time)")
    }

    /// A FIFO where a database's `-shm` or a writer lock's sibling would be: telling whether codex runs must not open
    /// it and wait for a writer. A thread opens each FIFO for writing after 3 s, so a check that blocks comes back
    /// late rather than never.
    @Test(.tags(.store), arguments: ["state_5.sqlite-shm", "thread_history_1.sqlite-shm", "thread-writer-locks/a.lock-shm",
                                     "thread-writer-locks/a.lock-wal", "thread-writer-locks/a.lock"])
    func aFIFOBesideADatabaseOrALockIsNoWait(fifo name: String) throws {
        let home = try Home()
        try home.rollout(Self.text(Self.lines))
        try home.index(rolloutPath: home.directory.file(Self.dated + Self.rolloutName))
        try home.history(Home.historySchema)
        try FileManager.default.createDirectory(atPath: home.directory.file("thread-writer-locks"), withIntermediateDirectories: true)
        if name != "thread-writer-locks/a.lock" { try home.directory.write("thread-writer-locks/a.lock", []) }
        let fifo = home.directory.file(name)
        #expect(mkfifo(fifo, 0o600) == 0)
        Self.openForWriting(fifo, after: 3)
        var activity: CodexActivity?
        let time = elapsed { activity = CodexHome(path: home.path).activity() }
        #expect(time < .seconds(2), "\(name): \(time)")
        #expect(activity == nil, "\(name)")
    }

    /// Two thousand writer locks with `-shm` siblings: one look at /proc for them all (one each took 20 s and more),
    /// no descriptor kept.
    @Test(.tags(.store)) func manyWriterLocksAreLookedAtWithoutKeepingDescriptors() throws {
        let home = try Home()
        try FileManager.default.createDirectory(atPath: home.directory.file("thread-writer-locks"), withIntermediateDirectories: true)
        for index in 0..<2_000 {
            try home.directory.write("thread-writer-locks/\(index).lock", [])
            try home.directory.write("thread-writer-locks/\(index).lock-shm", [])
        }
        let before = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var activity: CodexActivity?
        let time = elapsed { activity = CodexHome(path: home.path).activity() }
        let after = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        #expect(activity == nil)
        #expect(after - before < 100, "\(after - before) descriptors left open")
        #expect(time < .seconds(15), "\(time)")
    }

    // MARK: - thread_history_1.sqlite

    func projectionFinding(_ sql: String) throws -> CodexThreadFinding {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.index(rolloutPath: path)
        try home.history(Home.historySchema + sql)
        return try only(try home.audit())
    }

    func cursorRow(_ byteOffset: String, _ ordinal: String) -> String {
        "INSERT INTO thread_history_projection_state VALUES ('\(Self.threadID)', \(byteOffset), \(ordinal));"
    }

    /// The turns and items of the whole rollout, as codex projects them.
    var wholeProjection: String {
        let starts = CodexReadingTests.offsets(Self.lines)
        let size = Self.text(Self.lines).count
        return """
            INSERT INTO thread_turns VALUES ('\(Self.threadID)', 't1', 1, 'completed', \(starts[1]), 5, \(starts[6]));
            INSERT INTO thread_turns VALUES ('\(Self.threadID)', 't2', 6, 'completed', \(starts[6]), 9, \(size));
            INSERT INTO thread_items VALUES ('\(Self.threadID)', 't1', 'u1', 3, 'userMessage');
            INSERT INTO thread_items VALUES ('\(Self.threadID)', 't1', 'a1', 4, 'agentMessage');
            INSERT INTO thread_items VALUES ('\(Self.threadID)', 't2', 'u2', 7, 'userMessage');
            INSERT INTO thread_items VALUES ('\(Self.threadID)', 't2', 'a2', 8, 'agentMessage');
            """
    }

    @Test(.tags(.store)) func theWholeProjectionHasNoProblem() throws {
        let size = Self.text(Self.lines).count
        #expect(try projectionFinding(wholeProjection + cursorRow("\(size)", "10")).problems == [])
    }

    @Test(.tags(.store)) func aCursorNegativePastTheEndOrHugeIsNoCursorOfTheRollout() throws {
        let size = Self.text(Self.lines).count
        for (offset, ordinal) in [("-1", "10"), ("\(size)", "-1"), ("-9223372036854775808", "-9223372036854775808"),
                                  ("\(size + 1)", "10"), ("\(size)", "11"), ("9223372036854775807", "9223372036854775807"),
                                  ("1e300", "10"), ("'end'", "10"), ("\(size)", "x'00'")] {
            let finding = try projectionFinding(wholeProjection + cursorRow(offset, ordinal))
            #expect(finding.status == .diverged, "cursor (\(offset), \(ordinal)): \(finding.problems)")
        }
    }

    @Test(.tags(.store)) func turnsOutOfOrderNegativeOrOverlappingDisagree() throws {
        let size = Self.text(Self.lines).count
        let id = Self.threadID
        for turns in [
            "INSERT INTO thread_turns VALUES ('\(id)', 't2', 1, 'completed', NULL, NULL, NULL); INSERT INTO thread_turns VALUES ('\(id)', 't1', 6, 'completed', NULL, NULL, NULL);",
            "INSERT INTO thread_turns VALUES ('\(id)', 't1', -1, 'completed', -5, -3, -1); INSERT INTO thread_turns VALUES ('\(id)', 't2', 6, 'completed', NULL, NULL, NULL);",
            "INSERT INTO thread_turns VALUES ('\(id)', 't1', 1, 'completed', NULL, 8, NULL); INSERT INTO thread_turns VALUES ('\(id)', 't2', 6, 'completed', NULL, NULL, NULL);",
            "INSERT INTO thread_turns VALUES ('\(id)', 't1', 1, 'completed', NULL, NULL, NULL); INSERT INTO thread_turns VALUES ('\(id)', 't1', 6, 'completed', NULL, NULL, NULL);",
            "INSERT INTO thread_turns VALUES ('\(id)', 't1', 9223372036854775807, 'x', 9223372036854775807, 9223372036854775807, 9223372036854775807); INSERT INTO thread_turns VALUES ('\(id)', 't2', 6, 'completed', NULL, NULL, NULL);",
        ] {
            let items = wholeProjection.split(separator: "\n").filter { $0.contains("thread_items") }.joined(separator: "\n")
            let finding = try projectionFinding(turns + items + cursorRow("\(size)", "10"))
            #expect(finding.problems.contains { $0.check == .projectedTurnDisagrees }, "\(turns): \(finding.problems)")
        }
    }

    @Test(.tags(.store)) func itemsOfTurnsTheProjectionDoesNotHaveAreNotTakenForTheRollouts() throws {
        let size = Self.text(Self.lines).count
        let moved = wholeProjection.replacingOccurrences(of: "'t2', 'u2'", with: "'nowhere', 'u2'")
            .replacingOccurrences(of: "'t2', 'a2'", with: "'nowhere', 'a2'")
        let finding = try projectionFinding(moved + cursorRow("\(size)", "10"))
        #expect(finding.problems.map(\.check) == [.projectedItemDisagrees, .projectedItemDisagrees], "\(finding.problems)")
        #expect(finding.status == .diverged)
    }

    @Test(.tags(.store)) func aProjectionOfWrongTypesAndMissingColumnsIsReadOrRefused() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.index(rolloutPath: path)
        try home.history("""
            CREATE TABLE thread_turns (thread_id, turn_id, rollout_ordinal);
            INSERT INTO thread_turns VALUES (NULL, x'ff', 'one');
            INSERT INTO thread_turns VALUES ('\(Self.threadID)', NULL, NULL);
            CREATE TABLE thread_items (thread_id, turn_id, item_id, rollout_ordinal);
            INSERT INTO thread_items VALUES ('\(Self.threadID)', 1, 2, 3.5);
            CREATE TABLE thread_history_projection_state (thread_id);
            """)
        #expect(auditError(home) != nil)
    }

    /// Opens `fifo` for writing from another thread after `seconds`, so that a reader that blocks on it comes back
    /// late rather than never.
    static func openForWriting(_ fifo: String, after seconds: Double) {
        Thread {
            Thread.sleep(forTimeInterval: seconds)
            let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 { close(descriptor) }
        }.start()
    }

    // MARK: - mutations

    /// Thousands of whole rollouts damaged at random, byte by byte and token by token: each is read, its defects name
    /// the file, and the read keeps its own facts straight (turns within the lines, offsets within the bytes).
    @Test(.tags(.unit)) func randomlyDamagedRolloutsAreReadWithoutATrap() throws {
        let directory = TemporaryDirectory("codex-mutations")
        let path = directory.file(Self.rolloutName)
        let original = Self.text(Self.lines)
        let tokens: [[UInt8]] = ["\\", "\"", "\\u", "\\ud800", "\\udc00", "[", "]", "{", "}", ",", ":", "NaN", "-Infinity", "1e999",
                                 "-", "0", "\n", "\r\n", "\u{0}", "\u{FF}", "é", "\"ordinal\": -1", "\"type\": \"event_msg\"",
                                 "{\"type\": \"task_complete\"}", "{\"type\": \"task_started\"}"].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x80]]
        var random = SplitMix64(seed: 0x5EED)
        for round in 0..<3_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let at = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes.insert(contentsOf: tokens.randomElement(using: &random)!, at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                case 2: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &random) }
                default: bytes = Array(bytes.prefix(at))
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let rollout = RolloutReader(path: path).read()
            #expect(rollout.byteSize == bytes.count, "round \(round)")
            #expect(rollout.defects.allSatisfy { $0.path == path }, "round \(round)")
            #expect(rollout.wholeLinesEnd <= bytes.count && rollout.lineCount <= bytes.count, "round \(round)")
            #expect(rollout.turns.allSatisfy { $0.startByteOffset < bytes.count && ($0.endOrdinal ?? Int.max) > $0.startOrdinal },
                    "round \(round)")
            _ = rollout.defects.map(\.sentence)
        }
    }

    /// An index and a projection damaged at random bytes: each read returns rows or an error naming the database.
    @Test(.tags(.store)) func randomlyDamagedDatabasesAreReadOrRefused() throws {
        let home = try Home()
        let path = try home.rollout(Self.text(Self.lines))
        try home.index(rolloutPath: path, extra: (0..<200).map {
            "INSERT INTO threads (id, rollout_path) VALUES ('t\($0)', '\(path)\($0)');"
        }.joined(separator: "\n"))
        try home.history(Home.historySchema + wholeProjection + cursorRow("2053", "10"))
        let databases = [home.directory.file(CodexHome.stateDatabaseName), home.directory.file(CodexHome.historyDatabaseName)]
        let originals = try databases.map { try #require(FileManager.default.contents(atPath: $0)) }
        var random = SplitMix64(seed: 0xDB)
        for round in 0..<300 {
            for (database, original) in zip(databases, originals) {
                var bytes = Array(original)
                for _ in 0..<Int.random(in: 1...20, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                try Data(bytes).write(to: URL(fileURLWithPath: database))
            }
            do {
                _ = try home.audit()
            } catch let error as FsckError {
                #expect(databases.contains { "\(error)".contains($0) }, "round \(round): \(error)")
            }
        }
    }

    /// The process's peak resident memory (`VmHWM`), in bytes.
    static func peakResidentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
