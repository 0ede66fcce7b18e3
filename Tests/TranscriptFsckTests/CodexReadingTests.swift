import Foundation
import Testing
@testable import TranscriptFsck

/// Reading a Codex CLI home: the home recognised, rollouts read into facts, the index and projection read, and each
/// thread judged. The unit tests read rollouts written by hand; the interop ones read homes the released codex made
/// and then damaged as Docs/CODEX-FORMAT.md's table does (Support/CodexHomes.swift), so their lanes differ and each
/// test carries its own tag (Support/Tags.swift).
@Suite struct CodexReadingTests {
    // MARK: - rollouts written by hand

    static let threadID = "01a23b14-68ba-7b73-8589-1f1e27b7f100"

    /// A 0.163.0-shaped rollout of two turns, each a user and an agent message: ten lines, ordinals 0 to 9.
    static func paginatedLines(ordinals: Bool = true) -> [String] {
        func line(_ ordinal: Int, _ type: String, _ payload: String) -> String {
            #"{"timestamp": "2026-12-03T08:45:23.041Z", "# + (ordinals ? #""ordinal": \#(ordinal), "# : "")
                + #""type": "\#(type)", "payload": \#(payload)}"#
        }
        func item(_ ordinal: Int, turn: String, _ type: String, _ id: String) -> String {
            line(ordinal, "event_msg", #"{"type": "item_completed", "thread_id": "\#(threadID)", "turn_id": "\#(turn)", "#
                 + #""item": {"type": "\#(type)", "id": "\#(id)", "content": [{"type": "text", "text": "héllo"}]}}"#)
        }
        return [
            line(0, "session_meta", #"{"id": "\#(threadID)", "cwd": "/w", "source": "exec", "history_mode": "paginated"}"#),
            line(1, "event_msg", #"{"type": "task_started", "turn_id": "t1", "started_at": 1796287523}"#),
            line(2, "response_item", #"{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}"#),
            item(3, turn: "t1", "UserMessage", "u1"),
            item(4, turn: "t1", "AgentMessage", "a1"),
            line(5, "event_msg", #"{"type": "task_complete", "turn_id": "t1"}"#),
            line(6, "event_msg", #"{"type": "task_started", "turn_id": "t2"}"#),
            item(7, turn: "t2", "UserMessage", "u2"),
            item(8, turn: "t2", "AgentMessage", "a2"),
            line(9, "event_msg", #"{"type": "task_complete", "turn_id": "t2"}"#),
        ]
    }

    static func text(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    /// Where each line starts in `text(lines)`.
    static func offsets(_ lines: [String]) -> [Int] {
        lines.indices.map { index in lines[..<index].reduce(0) { $0 + $1.utf8.count + 1 } }
    }

    func read(_ bytes: [UInt8]) throws -> Rollout {
        let directory = TemporaryDirectory("rollout")
        return RolloutReader(path: try directory.write("rollout-2026-12-03T08-45-23-\(Self.threadID).jsonl", bytes)).read()
    }

    @Test(.tags(.unit)) func aWholeRolloutGivesItsThreadItsExtentItsTurnsAndItsItems() throws {
        let lines = Self.paginatedLines()
        let bytes = Self.text(lines)
        let starts = Self.offsets(lines)
        let rollout = try read(bytes)
        #expect(rollout.defects == [])
        #expect(rollout.threadID == Self.threadID)
        #expect(rollout.historyMode == "paginated")
        #expect(rollout.lineCount == 10)
        #expect(rollout.byteSize == bytes.count)
        #expect(rollout.endsOnLineBoundary)
        #expect(rollout.turns == [
            RolloutTurn(turnID: "t1", startOrdinal: 1, startByteOffset: starts[1], endOrdinal: 5, endByteOffset: starts[6]),
            RolloutTurn(turnID: "t2", startOrdinal: 6, startByteOffset: starts[6], endOrdinal: 9, endByteOffset: bytes.count),
        ])
        #expect(rollout.completedItems.map(\.ordinal) == [3, 4, 7, 8])
        #expect(rollout.completedItems.map(\.byteOffset) == [starts[3], starts[4], starts[7], starts[8]])
        #expect(rollout.completedItems.map(\.itemType) == ["UserMessage", "AgentMessage", "UserMessage", "AgentMessage"])
        #expect(rollout.completedMessageCount == 4)
        #expect(rollout.byteOffset(ofOrdinal: 4) == starts[4])
        #expect(rollout.byteOffset(ofOrdinal: 10) == bytes.count)
        #expect(rollout.byteOffset(ofOrdinal: 11) == nil)
    }

    @Test(.tags(.unit)) func aLegacyRolloutHasNoHistoryModeAndNeedsNoOrdinals() throws {
        var lines = Self.paginatedLines(ordinals: false)
        lines[0] = lines[0].replacingOccurrences(of: #", "history_mode": "paginated""#, with: "")
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects == [])
        #expect(rollout.historyMode == nil)
        #expect(rollout.turns.count == 2)
    }

    @Test(.tags(.unit)) func aLineCutShortIsNamedAtItsStartAndTheTurnItWasInStaysOpen() throws {
        let lines = Self.paginatedLines()
        let bytes = Self.text(lines)
        let rollout = try read(Array(bytes.dropLast(12)))
        let start = Self.offsets(lines)[9]
        #expect(rollout.defects == [RolloutDefect(path: rollout.path, place: .line(10, byteOffset: start), kind: .cutShort)])
        #expect(!rollout.endsOnLineBoundary)
        #expect(rollout.lineCount == 9)
        #expect(rollout.wholeLinesEnd == start)
        #expect(rollout.byteSize == bytes.count - 12)
        #expect(rollout.turns.count == 2)
        #expect(rollout.turns[1].endOrdinal == nil)
    }

    @Test(.tags(.unit)) func aWholeLastLineWithoutItsNewlineIsADefectButCounts() throws {
        let lines = Self.paginatedLines()
        let rollout = try read(Array(Self.text(lines).dropLast()))
        #expect(rollout.defects.map(\.kind) == [.noFinalNewline])
        #expect(rollout.defects.first?.place == .line(10, byteOffset: Self.offsets(lines)[9]))
        #expect(rollout.turns[1].endOrdinal == 9)
    }

    @Test(.tags(.unit)) func aLineThatIsNotJSONIsNamedAndTheLinesAfterItAreRead() throws {
        var lines = Self.paginatedLines()
        lines[3] = #"{"timestamp": "2026-12-03T08:45:23.041Z", "ordinal": 3, "type": "#
        let rollout = try read(Self.text(lines))
        let defect = try #require(rollout.defects.first)
        #expect(rollout.defects.count == 1)
        #expect(defect.place == .line(4, byteOffset: Self.offsets(lines)[3]))
        guard case .notJSON(let column, _) = defect.kind else {
            Issue.record("not a JSON defect: \(defect.kind)")
            return
        }
        #expect(column == lines[3].utf8.count + 1)
        #expect(rollout.turns.count == 2)
        #expect(rollout.completedItems.map(\.ordinal) == [4, 7, 8])
    }

    @Test(.tags(.unit)) func bytesThatAreNotUTF8AreNamedAtTheirColumn() throws {
        let lines = Self.paginatedLines()
        var bytes = Self.text(lines)
        let line = 7
        let column = try #require(Array(lines[line].utf8).firstIndex(of: 0xC3))  // the é of "héllo"
        bytes[Self.offsets(lines)[line] + column] = 0xFF
        let rollout = try read(bytes)
        #expect(rollout.defects == [RolloutDefect(path: rollout.path, place: .line(line + 1, byteOffset: Self.offsets(lines)[line]),
                                                  kind: .notUTF8(column: column + 1))])
    }

    @Test(.tags(.unit)) func validJSONThatIsNotARolloutLineIsNamed() throws {
        var lines = Self.paginatedLines(ordinals: false)
        lines.insert("[1, 2]", at: 5)
        lines.insert(#"{"type": "event_msg"}"#, at: 6)
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.map(\.kind) == [.notARolloutLine, .notARolloutLine])
        #expect(rollout.defects.map(\.place) == [.line(6, byteOffset: Self.offsets(lines)[5]), .line(7, byteOffset: Self.offsets(lines)[6])])
        #expect(rollout.turns.count == 2)
    }

    @Test(.tags(.unit)) func anOrdinalThatIsNotTheLinesPlaceIsNamed() throws {
        var lines = Self.paginatedLines()
        lines[2] = lines[2].replacingOccurrences(of: #""ordinal": 2"#, with: #""ordinal": 7"#)
        lines[4] = lines[4].replacingOccurrences(of: #""ordinal": 4"#, with: #""ordinal": "4""#)
        let rollout = try read(Self.text(lines))
        #expect(rollout.defects.map(\.kind) == [.ordinalOutOfStep(expected: 2, found: 7), .ordinalOutOfStep(expected: 4, found: nil)])
        #expect(rollout.defects.map(\.place) == [.line(3, byteOffset: Self.offsets(lines)[2]), .line(5, byteOffset: Self.offsets(lines)[4])])
    }

    @Test(.tags(.unit)) func aFileThatDoesNotOpenWithSessionMetaHasNoThread() throws {
        let lines = Array(Self.paginatedLines(ordinals: false).dropFirst())
        let rollout = try read(Self.text(lines))
        #expect(rollout.threadID == nil)
        #expect(rollout.defects == [RolloutDefect(path: rollout.path, place: .line(1, byteOffset: 0), kind: .noSessionMeta)])
        let empty = try read([])
        #expect(empty.defects == [RolloutDefect(path: empty.path, place: .file, kind: .noSessionMeta)])
        var noID = Self.paginatedLines()
        noID[0] = noID[0].replacingOccurrences(of: #""id": "\#(Self.threadID)", "#, with: "")
        #expect(try read(Self.text(noID)).defects.map(\.kind) == [.sessionMetaWithoutID])
    }

    @Test(.tags(.unit)) func aFileThatCannotBeOpenedStopsTheRead() {
        let rollout = RolloutReader(path: "/nonexistent/rollout-x.jsonl").read()
        #expect(!rollout.isReadWhole)
        #expect(rollout.defects == [RolloutDefect(path: "/nonexistent/rollout-x.jsonl", place: .file, kind: .unreadable(.cannotOpen(errno: 2)))])
    }

    @Test(.tags(.unit)) func aFileOfGarbageKeepsItsFirstDefectsAndCountsTheRest() throws {
        let rollout = try read(Array(String(repeating: "not json\n", count: 250).utf8))
        #expect(rollout.defects.count == Rollout.keptDefects)
        #expect(rollout.defectsNotKept == 250 - Rollout.keptDefects)
        #expect(rollout.lineCount == 250)
    }

    // MARK: - the projection against the rollout

    func projection(cursor: (Int, Int)?, turns: [(String, Int, Int?)], messages: Int) -> CodexProjection {
        var projection = CodexProjection(threadID: Self.threadID)
        projection.cursor = cursor.map { CodexProjection.Cursor(byteOffset: $0.0, ordinal: $0.1) }
        projection.turns = turns.map { ProjectedTurn(turnID: $0.0, ordinal: $0.1, byteOffset: $0.2, endOrdinal: nil, endByteOffset: nil, status: "completed") }
        // The rollout's own messages (paginatedLines), the first `messages` of them.
        let rolloutMessages = [("t1", "u1", 3), ("t1", "a1", 4), ("t2", "u2", 7), ("t2", "a2", 8)]
        projection.items = rolloutMessages.prefix(messages).map {
            ProjectedItem(turnID: $0.0, itemID: $0.1, ordinal: $0.2, itemType: $0.1.hasPrefix("u") ? "userMessage" : "agentMessage")
        }
        return projection
    }

    @Test(.tags(.unit)) func aProjectionAtTheRolloutsEndHasNoProblem() throws {
        let lines = Self.paginatedLines()
        let starts = Self.offsets(lines)
        let rollout = try read(Self.text(lines))
        let whole = projection(cursor: (rollout.byteSize, 10), turns: [("t1", 1, starts[1]), ("t2", 6, starts[6])], messages: 4)
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: whole) == [])
    }

    @Test(.tags(.unit)) func aProjectionBehindNamesBothExtents() throws {
        let lines = Self.paginatedLines()
        let starts = Self.offsets(lines)
        let rollout = try read(Self.text(lines))
        let behind = projection(cursor: (starts[6], 6), turns: [("t1", 1, starts[1])], messages: 2)
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: behind) == [
            .projectionBehind(projected: ProjectionExtent(byteOffset: starts[6], ordinal: 6, turns: 1, messages: 2),
                              rollout: ProjectionExtent(byteOffset: rollout.byteSize, ordinal: 10, turns: 2, messages: 4)),
        ])
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: nil) == [.noProjection(rolloutTurns: 2)])
    }

    @Test(.tags(.unit)) func aCursorOffItsLineIsTornAndOnePastTheEndIsAhead() throws {
        let lines = Self.paginatedLines()
        let starts = Self.offsets(lines)
        let rollout = try read(Self.text(lines))
        let turns = [("t1", 1, Optional(starts[1])), ("t2", 6, Optional(starts[6]))]
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: projection(cursor: (starts[6] + 3, 6), turns: turns, messages: 4))
                == [.cursorOffLineBoundary(CodexProjection.Cursor(byteOffset: starts[6] + 3, ordinal: 6))])
        let ahead = projection(cursor: (rollout.byteSize + 100, 11), turns: turns, messages: 4)
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: ahead).map(\.check) == [.projectionAhead])
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: ahead).first?.status == .diverged)
    }

    @Test(.tags(.unit)) func aProjectedTurnWhereTheRolloutHasNoneDisagrees() throws {
        let lines = Self.paginatedLines()
        let starts = Self.offsets(lines)
        let rollout = try read(Self.text(lines))
        let moved = projection(cursor: (rollout.byteSize, 10), turns: [("t1", 1, starts[1]), ("t2", 7, starts[7])], messages: 4)
        #expect(CodexThreadCheck.projectionProblems(of: rollout, projection: moved)
                == [.projectedTurnDisagrees(moved.turns[1], rolloutTurn: rollout.turns[1])])
    }

    // MARK: - homes

    @Test(.tags(.store)) func anIndexWithoutAThreadsTableIsNoCodexIndex() throws {
        let directory = TemporaryDirectory("codex-index")
        try SQLiteConnection(path: directory.file("state_5.sqlite"), mode: .create).execute("CREATE TABLE sessions (id TEXT)")
        #expect {
            _ = try CodexStateReader.threads(in: directory.file("state_5.sqlite"))
        } throws: { error in
            guard case .unknownSchema(_, let detail) = error as? FsckError else { return false }
            return detail == "no table threads"
        }
    }

    @Test(.tags(.unit)) func codexHomeIsTakenAsCodexTakesIt() throws {
        let directory = TemporaryDirectory("codex-home")
        try FileManager.default.createDirectory(atPath: directory.file("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.file("link"), withDestinationPath: directory.file("real"))
        let resolved = POSIX.resolved(directory.file("real"))
        #expect(CodexHome.resolve(home: nil, environment: ["CODEX_HOME": directory.file("link"), "HOME": "/h"]) == resolved)
        #expect(CodexHome.resolve(home: nil, environment: ["CODEX_HOME": "", "HOME": "/h"]) == "/h/.codex")
        #expect(CodexHome.resolve(home: nil, environment: ["HOME": "/h"]) == "/h/.codex")
        #expect(CodexHome.resolve(home: directory.file("link"), environment: ["CODEX_HOME": "/elsewhere"]) == resolved)
    }

    @Test(.tags(.unit)) func aHomeIsRecognisedByItsIndexOrARolloutAndAHermesHomeIsNot() throws {
        let rollout = "rollout-2026-12-03T08-45-23-\(Self.threadID).jsonl"
        let index = TemporaryDirectory("codex-index")
        try index.write("state_5.sqlite", [])
        #expect(CodexHome.recognize(index.path)?.hasStateDatabase == true)
        let dated = TemporaryDirectory("codex-dated")
        try FileManager.default.createDirectory(atPath: dated.file("sessions/2026/12/03"), withIntermediateDirectories: true)
        try dated.write("sessions/2026/12/03/" + rollout, Self.text(Self.paginatedLines()))
        let home = try #require(CodexHome.recognize(dated.path))
        #expect(!home.hasStateDatabase && !home.hasHistoryDatabase && home.hasSessions && !home.hasArchivedSessions)
        #expect(try home.discoverRollouts().rollouts.map(\.threadIDInName) == [Self.threadID])
        let archived = TemporaryDirectory("codex-archived")
        try FileManager.default.createDirectory(atPath: archived.file("archived_sessions"), withIntermediateDirectories: true)
        try archived.write("archived_sessions/" + rollout, [])
        #expect(try CodexHome.recognize(archived.path)?.discoverRollouts().rollouts.map(\.place) == [.archivedSessions])
        let hermes = TemporaryDirectory("hermes-home")
        try FileManager.default.createDirectory(atPath: hermes.file("sessions"), withIntermediateDirectories: true)
        try hermes.write("state.db", [])
        try hermes.write("sessions/20260301_101010_abc.jsonl", Array(#"{"role": "user", "content": "hi"}"#.utf8))
        #expect(CodexHome.recognize(hermes.path) == nil)
        #expect(CodexHome.recognize(TemporaryDirectory("empty").path) == nil)
    }

    @Test(.tags(.unit)) func aRolloutsThreadIDIsTheUUIDItsNameEndsIn() {
        #expect(RolloutFile.threadID(inName: "rollout-2026-12-03T08-45-23-\(Self.threadID).jsonl") == Self.threadID)
        #expect(RolloutFile.threadID(inName: "rollout-2026-12-03T08-45-23-\(Self.threadID).jsonl.zst") == Self.threadID)
        #expect(RolloutFile.threadID(inName: "rollout-2026-12-03T08-45-23-not-a-uuid-at-all-here-xxxxxxxxx.jsonl") == nil)
        #expect(RolloutFile.threadID(inName: "rollout-x.jsonl") == nil)
    }

    // MARK: - homes the released codex made

    /// Every thread's checks that found something, by the thread's name in the home (one, two, archived, restored).
    func findings(_ audit: CodexHomeAudit, names: [String: String]) -> [String: [CodexProblem.Check]] {
        let byID = Dictionary(names.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        return Dictionary(audit.findings.map { (byID[$0.threadID] ?? $0.threadID, $0.problems.map(\.check)) }, uniquingKeysWith: { $0 + $1 })
    }

    func audit(_ version: String, _ experiment: String) throws -> (CodexHomeAudit, CodexHomes.Made.Experiment) {
        let made = try CodexHomes.of(version).experiment(experiment)
        let path = try #require(made.home, "\(experiment) on \(version): \(made.notApplicable ?? "no home")")
        let home = try #require(CodexHome.recognize(path), "\(path) is not recognised as a Codex home")
        return (try CodexThreadCheck.audit(home), made)
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexHomes.versions)
    func anUndamagedHomeOfTheReleasedCodexHasNoFindings(version: String) throws {
        let (audit, made) = try audit(version, "baseline")
        #expect(audit.homeProblems == [])
        #expect(audit.findings == [])
        #expect(Set(audit.threads.map(\.threadID)) == Set(made.threads.values))
        #expect(audit.home.hasHistoryDatabase == (version == "0.163.0"))
        // The rows as codex wrote them, 0.133.0's archive flag read from the WAL it left (CODEX-FORMAT.md, section 2).
        let state = try CodexStateReader.read(audit.home)
        let rows = Dictionary(uniqueKeysWithValues: (state.rows ?? []).map { ($0.id, $0) })
        #expect(made.threads.mapValues { rows[$0]?.archived } == ["one": false, "two": false, "archived": true])
        #expect(rows.values.allSatisfy { $0.historyMode == (version == "0.163.0" ? "paginated" : nil) && $0.cliVersion == version })
        #expect(state.projections.map { Set($0.keys) } == (version == "0.163.0" ? Set(made.threads.values) : nil))
        let rollouts = Dictionary(uniqueKeysWithValues: try audit.home.discoverRollouts().rollouts.map { ($0.threadIDInName ?? "", RolloutReader(path: $0.path).read()) })
        let turns = made.threads.mapValues { rollouts[$0]?.turns.count }
        #expect(turns == ["one": 1, "two": 2, "archived": 1])
        #expect(rollouts.values.allSatisfy { $0.historyMode == (version == "0.163.0" ? "paginated" : nil) && $0.endsOnLineBoundary })
        // Every item codex completed on 0.163.0 is one its projection holds; 0.133.0 writes no item_completed lines.
        #expect(rollouts.values.map(\.completedMessageCount).reduce(0, +) == (version == "0.163.0" ? 8 : 0))
    }

    /// A damage of Docs/CODEX-FORMAT.md's table (section 10) on one version's home, and what the check must find.
    struct Damage: Sendable, CustomTestStringConvertible {
        let version: String
        let experiment: String
        /// Thread name to the checks that find something there; every other thread is ok.
        let threads: [String: [CodexProblem.Check]]
        var stateDatabaseMissing = false

        var testDescription: String { "\(experiment) on \(version)" }
    }

    static let damages: [Damage] = ["0.163.0", "0.133.0"].flatMap { version -> [Damage] in
        let new = version == "0.163.0"
        return [
            Damage(version: version, experiment: "a", threads: ["one": [.noIndexRow]]),
            Damage(version: version, experiment: "b", threads: ["restored": new ? [.noIndexRow, .noProjection] : [.noIndexRow]]),
            Damage(version: version, experiment: "d", threads: ["one": [.staleRow]]),
            Damage(version: version, experiment: "e", threads: ["one": [.pathDisagrees, .archiveFlagDisagrees]]),
            Damage(version: version, experiment: "f", threads: [:], stateDatabaseMissing: true),
            Damage(version: version, experiment: "g", threads: ["one": [.pathDisagrees], "two": [.pathDisagrees], "archived": [.pathDisagrees]]),
        ]
    } + [
        Damage(version: "0.163.0", experiment: "b3", threads: ["restored": [.noIndexRow, .projectionBehind]]),
        Damage(version: "0.163.0", experiment: "c", threads: ["two": [.projectionBehind]]),
        Damage(version: "0.163.0", experiment: "c2", threads: [:]),
        Damage(version: "0.163.0", experiment: "c3", threads: ["two": [.projectionBehind]]),
        Damage(version: "0.163.0", experiment: "f2", threads: ["one": [.noProjection], "two": [.noProjection], "archived": [.noProjection]],
               stateDatabaseMissing: true),
        Damage(version: "0.163.0", experiment: "f3", threads: ["one": [.noProjection], "archived": [.noProjection]]),
    ]

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: damages)
    func eachDamageOfTheReleasedCodexsHomeIsFoundAsItsFinding(damage: Damage) throws {
        let (audit, made) = try audit(damage.version, damage.experiment)
        #expect(findings(audit, names: made.threads) == damage.threads, "\(audit.findings)")
        #expect(audit.homeProblems.isEmpty != damage.stateDatabaseMissing, "\(audit.homeProblems)")
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aProjectionSetBackNamesTheCursorAndTheTurnItLacks() throws {
        let (audit, made) = try audit("0.163.0", "c")
        let two = try #require(audit.threads.first { $0.threadID == made.threads["two"] })
        let path = try #require(two.rolloutPath)
        let rollout = RolloutReader(path: path).read()
        let firstTurnEnd = try #require(rollout.turns.first?.endByteOffset)
        #expect(two.status == .truncated)
        #expect(two.status.sessionStatus == .truncated)
        #expect(two.problems == [.projectionBehind(
            projected: ProjectionExtent(byteOffset: firstTurnEnd, ordinal: try #require(rollout.turns.first?.endOrdinal) + 1, turns: 1, messages: 2),
            rollout: ProjectionExtent(byteOffset: rollout.byteSize, ordinal: rollout.lineCount, turns: 2, messages: 4))])
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexHomes.versions)
    func aRolloutMovedIntoTheArchiveByHandNamesBothPlaces(version: String) throws {
        let (audit, made) = try audit(version, "e")
        let one = try #require(audit.threads.first { $0.threadID == made.threads["one"] })
        let moved = try #require(one.rolloutPath)
        #expect(moved.hasPrefix(audit.home.archivedSessions + "/"))
        guard case .pathDisagrees(let rowPath, let rolloutPath)? = one.problems.first else {
            Issue.record("\(one.problems)")
            return
        }
        #expect(rowPath.hasPrefix(audit.home.sessions + "/2"))
        #expect(rolloutPath == moved)
        #expect(one.problems.last == .archiveFlagDisagrees(rowArchived: false, inArchivedSessions: true))
        #expect(one.status == .misplaced && one.status.sessionStatus == nil)
    }
}
