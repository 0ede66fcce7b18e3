import Foundation
import Testing
@testable import TranscriptFsck
import StoreFixtures

/// Repairing a Codex home. The projection rows the repair derives are compared, column for column, with the rows the
/// released codex 0.163.0 wrote for the same rollouts; each damage of Docs/CODEX-FORMAT.md's table is repaired in a
/// copy of a home codex made (Support/CodexHomes.swift), and what the repair wrote is read back from the databases.
/// Whether codex then shows every thread whole is judged by codex itself, in CodexInteropTests.
@Suite struct CodexRepairTests {
    // MARK: - the projection, from rollouts written by hand

    func project(_ lines: [String]) throws -> Result<CodexProjectionRows, CodexProjector.CannotProject> {
        let directory = TemporaryDirectory("projector")
        let path = try directory.write("rollout-2026-12-03T08-45-23-\(CodexReadingTests.threadID).jsonl", CodexReadingTests.text(lines))
        return CodexProjector.project(rolloutAt: path)
    }

    /// A turn of the shapes 0.163.0 writes, its lines from `first` on.
    static func turn(_ id: String, from first: Int, user: String = "hi", agent: String = "hello") -> [String] {
        func line(_ ordinal: Int, _ type: String, _ payload: String) -> String {
            #"{"timestamp":"2026-12-03T08:45:23.041Z","ordinal":\#(ordinal),"type":"\#(type)","payload":\#(payload)}"#
        }
        return [
            line(first, "event_msg", #"{"type":"task_started","turn_id":"\#(id)","root_turn_id":"\#(id)","started_at":1796287523}"#),
            line(first + 1, "event_msg", #"{"type":"item_completed","turn_id":"\#(id)","item":{"type":"UserMessage","id":"u-\#(id)","#
                 + #""content":[{"type":"text","text":"\#(user)","text_elements":[]}]},"started_at_ms":1796287523075,"completed_at_ms":1796287523076}"#),
            line(first + 2, "event_msg", #"{"type":"item_completed","turn_id":"\#(id)","item":{"type":"AgentMessage","id":"a-\#(id)","#
                 + #""content":[{"type":"Text","text":"\#(agent)"}]},"started_at_ms":1796287523120,"completed_at_ms":1796287523121}"#),
            line(first + 3, "event_msg", #"{"type":"task_complete","turn_id":"\#(id)","started_at":1796287523,"completed_at":1796287524,"duration_ms":91}"#),
        ]
    }

    static let meta = #"{"timestamp":"2026-12-03T08:45:23.041Z","ordinal":0,"type":"session_meta","payload":{"id":"\#(CodexReadingTests.threadID)","history_mode":"paginated"}}"#

    @Test(.tags(.unit)) func aTurnGivesTheRowsCodexWritesForIt() throws {
        let lines = [Self.meta] + Self.turn("t1", from: 1, user: #"line\nwith \"quotes\" and é"#, agent: "ok")
        let rows = try project(lines).get()
        let bytes = CodexReadingTests.text(lines)
        let starts = CodexReadingTests.offsets(lines)
        #expect(rows.turns == [CodexProjectionRows.Turn(
            turnID: "t1", rolloutOrdinal: 1, rolloutByteOffset: starts[1], rolloutEndOrdinal: 4, rolloutEndByteOffset: bytes.count,
            status: "completed", errorJSON: nil, startedAt: 1796287523, completedAt: 1796287524, durationMs: 91,
            firstUserItemID: "u-t1", finalAgentItemID: "a-t1", rootTurnID: "t1")])
        #expect(rows.items.map(\.itemJSON) == [
            #"{"type":"userMessage","id":"u-t1","clientId":null,"content":[{"type":"text","text":"line\nwith \"quotes\" and é","text_elements":[]}]}"#,
            #"{"type":"agentMessage","id":"a-t1","text":"ok","phase":null,"memoryCitation":null,"delivery":null,"questions":null}"#,
        ])
        #expect(rows.items.map(\.createdAtMs) == [1796287523075, 1796287523120])
        #expect(rows.items.map(\.completedAtMs) == [1796287523076, 1796287523121])
        #expect(rows.items.map(\.updatedAtOrdinal) == [2, 3])
        #expect(rows.cursor == CodexProjection.Cursor(byteOffset: bytes.count, ordinal: 5))
    }

    @Test(.tags(.unit)) func aShapeCodexProjectsOtherwiseIsNotProjectedAtAll() throws {
        let turn = Self.turn("t1", from: 1)
        let aborted = #"{"timestamp":"x","ordinal":5,"type":"event_msg","payload":{"type":"turn_aborted","turn_id":"t1"}}"#
        #expect(try project([Self.meta] + turn + [aborted]) == .failure(.unknownLine(ordinal: 5, kind: "event_msg/turn_aborted")))
        let tool = turn[2].replacingOccurrences(of: #""type":"AgentMessage""#, with: #""type":"CommandExecution""#)
        #expect(try project([Self.meta, turn[0], turn[1], tool, turn[3]]) == .failure(.unknownItem(ordinal: 3, kind: "CommandExecution")))
        let phased = turn[2].replacingOccurrences(of: #""content":"#, with: #""phase":"final_answer","content":"#)
        #expect(try project([Self.meta, turn[0], turn[1], phased, turn[3]]) == .failure(.unknownItem(ordinal: 3, kind: "AgentMessage")))
        #expect(try project([Self.meta] + turn.dropLast()) == .failure(.turnNotEnded(turnID: "t1")))
        #expect(try project([Self.meta, Self.turn("t1", from: 0)[1]]) == .failure(.turnOutOfOrder(ordinal: 1, turnID: "t1")))
        let shifted = turn[0].replacingOccurrences(of: #""ordinal":1"#, with: #""ordinal":7"#)
        #expect(try project([Self.meta, shifted]) == .failure(.ordinalOutOfStep(ordinal: 1)))
        // Twice the same item: one row holds it (the key is thread, turn, item); inserting both failed the whole run.
        let again = turn[2].replacingOccurrences(of: #""ordinal":3"#, with: #""ordinal":4"#)
        let twice = [Self.meta, turn[0], turn[1], turn[2], again, turn[3].replacingOccurrences(of: #""ordinal":4"#, with: #""ordinal":5"#)]
        #expect(try project(twice) == .failure(.itemRepeated(ordinal: 4, itemID: "a-t1")))
        let directory = TemporaryDirectory("projector")
        let unfinished = try directory.write("r.jsonl", Array((Self.meta + "\n" + turn[0]).utf8))
        #expect(CodexProjector.project(rolloutAt: unfinished) == .failure(.unfinishedLastLine))
    }

    // MARK: - homes the released codex made

    /// A copy of a home codex made, its rows' `rollout_path` moved into the copy (codex writes them absolute).
    static func copy(_ home: String, into directory: TemporaryDirectory) throws -> String {
        let copy = directory.path + "/home"
        try FileManager.default.copyItem(atPath: home, toPath: copy)
        guard FileManager.default.fileExists(atPath: copy + "/" + CodexHome.stateDatabaseName) else { return copy }
        let index = try SQLiteConnection(path: copy + "/" + CodexHome.stateDatabaseName, mode: .readWrite)
        try index.prepare("UPDATE threads SET rollout_path = ?1 || substr(rollout_path, ?2) WHERE substr(rollout_path, 1, ?3) = ?4")
            .run([.text(copy + "/"), .integer(Int64(home.utf8.count + 2)), .integer(Int64(home.utf8.count + 1)), .text(home + "/")])
        return copy
    }

    static func made(_ version: String, _ experiment: String) throws -> CodexHomes.Made.Experiment {
        try CodexHomes.of(version).experiment(experiment)
    }

    /// Every row of `table` as text, in a stable order: what a repair must leave alone, compared before and after.
    static func dump(_ database: String, _ table: String, orderBy: String) throws -> [String] {
        let connection = try SQLiteConnection(path: database, mode: .readOnly)
        let names = try connection.prepare("SELECT name FROM pragma_table_info(?1)")
        try names.bind([.text(table)])
        var columns: [String] = []
        while try names.step() { columns.append("\"" + (names.text(0) ?? "") + "\"") }
        let select = try connection.prepare("SELECT json_array(\(columns.joined(separator: ", "))) FROM \(table) ORDER BY \(orderBy)")
        var rows: [String] = []
        while try select.step() { rows.append(select.text(0) ?? "") }
        return rows
    }

    /// The projection's rows of each thread, as the repair's writer reads them.
    static func projection(in home: String, of threads: some Sequence<String>) throws -> [String: CodexProjectionRows] {
        let writer = CodexProjectionWriter(connection: try SQLiteConnection(path: home + "/" + CodexHome.historyDatabaseName, mode: .readOnly))
        var found: [String: CodexProjectionRows] = [:]
        for thread in threads {
            found[thread] = CodexProjectionRows(turns: try writer.turns(of: thread), items: try writer.items(of: thread),
                                                cursor: try writer.cursor(of: thread) ?? CodexProjection.Cursor(byteOffset: 0, ordinal: 0))
        }
        return found
    }

    static func rollout(of thread: String, in home: String) throws -> String {
        try #require(try CodexHome(path: home).discoverRollouts().rollouts.first { $0.threadIDInName == thread }?.path)
    }

    /// The experiments whose projection codex itself wrote: the undamaged home, a turn written after the projection was
    /// set behind (c2), and every thread projected from nothing by codex's writer (f3).
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: ["baseline", "c2", "f3"])
    func theProjectorGivesCodexsOwnRowsColumnForColumn(experiment: String) throws {
        let made = try Self.made("0.163.0", experiment)
        let home = try #require(made.home)
        let codexRows = try Self.projection(in: home, of: made.threads.values)
        var compared = 0
        for (name, thread) in made.threads.sorted(by: { $0.key < $1.key }) {
            guard let written = codexRows[thread], !written.turns.isEmpty else { continue }
            let derived = try CodexProjector.project(rolloutAt: Self.rollout(of: thread, in: home)).get()
            #expect(derived == written, "\(experiment), thread \(name)")
            compared += 1
        }
        #expect(compared == (experiment == "f3" ? 1 : 3))
    }

    /// What a repair of one damage must write, read back from the databases.
    struct Damage: Sendable, CustomTestStringConvertible {
        let version: String
        let experiment: String
        /// The thread names handed to codex's next start, projected, removed and deferred.
        var handed: Set<String> = []
        var projected: Set<String> = []
        var removed: Set<String> = []
        var deferred: Set<String> = []
        var testDescription: String { "\(experiment) on \(version)" }
    }

    static let damages: [Damage] = [
        Damage(version: "0.163.0", experiment: "a", handed: ["one"]),
        Damage(version: "0.133.0", experiment: "a", handed: ["one"]),
        Damage(version: "0.163.0", experiment: "b", handed: ["restored"], projected: ["restored"]),
        Damage(version: "0.133.0", experiment: "b", handed: ["restored"]),
        Damage(version: "0.163.0", experiment: "c", projected: ["two"]),
        Damage(version: "0.163.0", experiment: "d", removed: ["one"]),
        Damage(version: "0.133.0", experiment: "d", removed: ["one"]),
        Damage(version: "0.163.0", experiment: "e", handed: ["one"]),
        Damage(version: "0.133.0", experiment: "e", handed: ["one"]),
        Damage(version: "0.163.0", experiment: "f"),
        Damage(version: "0.163.0", experiment: "f2", deferred: ["one", "two", "archived"]),
        Damage(version: "0.163.0", experiment: "g", handed: ["one", "two", "archived"]),
        Damage(version: "0.133.0", experiment: "g", handed: ["one", "two", "archived"]),
    ]

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: damages)
    func aRepairWritesWhatEachDamageLacksAndNothingElse(damage: Damage) throws {
        let made = try Self.made(damage.version, damage.experiment)
        let directory = TemporaryDirectory("codex-repair")
        let home = try Self.copy(try #require(made.home), into: directory)
        let names = Dictionary(made.threads.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        let state = home + "/" + CodexHome.stateDatabaseName
        let hasState = FileManager.default.fileExists(atPath: state)
        let rowsBefore = hasState ? try Self.dump(state, "threads", orderBy: "id") : []

        let report = try CodexRepairer(homePath: home, options: .init(removeStale: true)).repair()
        func verdicts(_ wanted: (CodexRepairReport.Outcome) -> Bool) -> Set<String> {
            Set(report.plan.threads.indices.filter { report.outcomes[$0].map(wanted) == true && report.refusal(at: $0) == nil }
                .map { names[report.plan.threads[$0].threadID] ?? $0.description })
        }
        #expect(verdicts(\.handedToCodexStart) == damage.handed)
        #expect(verdicts { ($0.projected?.turns ?? 0) > 0 } == damage.projected)
        #expect(verdicts(\.removed) == damage.removed)
        #expect(Set(report.plan.threads.filter(\.isDeferred).map { names[$0.threadID] ?? $0.threadID }) == damage.deferred)
        #expect(report.backfillReset == (damage.handed.isEmpty ? nil : true))
        let writesIndex = !damage.handed.isEmpty || !damage.removed.isEmpty
        let writesHistory = !damage.projected.isEmpty || (!damage.removed.isEmpty && damage.version == "0.163.0")
        #expect(report.backups.count == (writesIndex ? 1 : 0) + (writesHistory ? 1 : 0))

        if hasState {
            // No row is written but by codex: a removed one goes, and the backfill is left for codex's next start.
            let removedIDs = Set(made.threads.filter { damage.removed.contains($0.key) }.values)
            let rowsAfter = try Self.dump(state, "threads", orderBy: "id")
            #expect(rowsAfter == rowsBefore.filter { row in !removedIDs.contains { row.hasPrefix("[\"\($0)\"") } }, "removed \(removedIDs)")
            #expect(try Self.dump(state, "backfill_state", orderBy: "id").isEmpty == !damage.handed.isEmpty)
        }
        if damage.experiment == "c" {
            // The turn the damage took is back, as codex wrote it in the home it was copied from.
            let thread = try #require(made.threads["two"])
            let baseline = try #require(try Self.made("0.163.0", "baseline").home)
            #expect(try Self.projection(in: home, of: [thread]) == Self.projection(in: baseline, of: [thread]))
        }
        for name in damage.projected {
            let thread = try #require(made.threads[name])
            let derived = try CodexProjector.project(rolloutAt: Self.rollout(of: thread, in: home)).get()
            #expect(try Self.projection(in: home, of: [thread])[thread] == derived)
        }

        // Run again before codex starts: what was handed to codex is not handed twice, and nothing else is left.
        let again = try CodexRepairer(homePath: home, options: .init(removeStale: true)).repair()
        #expect(again.backups == [])
        #expect(again.backfillReset != true)
        #expect(again.outcomes.values.allSatisfy { ($0.projected?.turns ?? 0) + ($0.projected?.items ?? 0) == 0 && !$0.removed })
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aStaleRowIsKeptUnlessAskedAndTheRunSaysSo() throws {
        let made = try Self.made("0.163.0", "d")
        let directory = TemporaryDirectory("codex-stale")
        let home = try Self.copy(try #require(made.home), into: directory)
        let state = home + "/" + CodexHome.stateDatabaseName
        let before = try Self.dump(state, "threads", orderBy: "id")
        let report = try CodexRepairer(homePath: home, options: .init()).repair()
        #expect(report.needsAttention)
        #expect(report.plan.threads.count == 1)
        #expect(report.plan.threads.allSatisfy { if case .staleKept = $0.refusal { true } else { false } })
        #expect(report.backups == [])
        #expect(try Self.dump(state, "threads", orderBy: "id") == before)
    }

    /// SQLite opens a database it may not write read-only without a word: the repair wrote the projections, then
    /// failed at the backfill's reset (exit 2, no report). It now stops before any backup or write.
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aDatabaseThatCannotBeWrittenStopsTheRunBeforeAnyWrite() throws {
        let made = try Self.made("0.163.0", "f3")
        let directory = TemporaryDirectory("codex-read-only")
        let home = try Self.copy(try #require(made.home), into: directory)
        let state = home + "/" + CodexHome.stateDatabaseName
        try SQLiteConnection(path: state, mode: .readWrite).execute("DELETE FROM threads WHERE id = '\(try #require(made.threads["one"]))'")
        // Root writes a file whatever its mode: the immutable flag stops it.
        let asRoot = geteuid() == 0
        let protect = asRoot ? try CommandRunner.shell("chattr +i '\(state)'").status : chmod(state, 0o444)
        defer { _ = asRoot ? try? CommandRunner.shell("chattr -i '\(state)'") : nil; chmod(state, 0o644) }
        try #require(protect == 0, "cannot make \(state) read-only here")
        let before = try Self.contents(of: home)
        let error = #expect(throws: FsckError.self) { try CodexRepairer(homePath: home, options: .init()).repair() }
        #expect(error.map { if case .databaseNotWritable(state) = $0 { true } else { false } } == true, "\(String(describing: error))")
        #expect(try Self.contents(of: home) == before)
    }

    /// A rollout cut between the plan and the write (the backup between them may take minutes) was projected as it
    /// had been: a turn and a cursor past the end of the file.
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aRolloutCutAfterThePlanIsNotProjectedFromWhatItWas() throws {
        let made = try Self.made("0.163.0", "c")
        let directory = TemporaryDirectory("codex-cut")
        let home = try Self.copy(try #require(made.home), into: directory)
        let thread = try #require(made.threads["two"])
        let before = try Self.projection(in: home, of: [thread])
        let repairer = CodexRepairer(homePath: home, options: .init())
        let plan = CodexRepairPlan(audit: try CodexThreadCheck.audit(CodexHome(path: home)), options: .init())
        let place = try #require(plan.threads.firstIndex { $0.threadID == thread })
        #expect(plan.threads[place].actions.contains { if case .project = $0 { true } else { false } })
        let rollout = try Self.rollout(of: thread, in: home)
        let lines = try String(contentsOfFile: rollout, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n").write(toFile: rollout, atomically: false, encoding: .utf8)
        let report = try repairer.carryOut(plan)
        #expect(report.refusal(at: place) == .rolloutChangedSinceAudit)
        #expect(report.needsAttention)
        #expect(try Self.projection(in: home, of: [thread]) == before)
    }

    /// A trigger codex never made would fire on the repair's inserts (this one deleted every other thread's turns).
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aProjectionTableWithATriggerNotCodexsIsNotWritten() throws {
        let made = try Self.made("0.163.0", "c")
        let directory = TemporaryDirectory("codex-trigger")
        let home = try Self.copy(try #require(made.home), into: directory)
        let history = home + "/" + CodexHome.historyDatabaseName
        try SQLiteConnection(path: history, mode: .readWrite).execute(
            "CREATE TRIGGER t AFTER INSERT ON thread_turns BEGIN DELETE FROM thread_turns WHERE thread_id <> NEW.thread_id; END")
        let before = try Self.dump(history, "thread_turns", orderBy: "thread_id, turn_id")
        let report = try CodexRepairer(homePath: home, options: .init()).repair()
        #expect(report.needsAttention)
        #expect(report.plan.threads.indices.contains {
            report.refusal(at: $0) == .unknownProjectionSchema(detail: "a trigger t on thread_turns, which codex does not make")
        })
        #expect(try Self.dump(history, "thread_turns", orderBy: "thread_id, turn_id") == before)

        // An empty file: a database with no tables, which the refusal now says ("has columns " said nothing).
        let other = TemporaryDirectory("codex-empty-history")
        let empty = try Self.copy(try #require(made.home), into: other)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: empty + "/" + CodexHome.historyDatabaseName + suffix) }
        #expect(FileManager.default.createFile(atPath: empty + "/" + CodexHome.historyDatabaseName, contents: Data()))
        let refused = try CodexRepairer(homePath: empty, options: .init()).repair()
        #expect(refused.plan.threads.indices.contains {
            refused.refusal(at: $0) == .unknownProjectionSchema(detail: "it has no thread_turns table")
        })
    }

    /// A FIFO where a stale row's rollout was: the audit finds no rollout, but the path is taken, so the row stays.
    /// It was kept before too, yet reported "row already gone", exit 0.
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aStaleRowWhosePathIsTakenIsKeptAndTheRunSaysWhy() throws {
        let made = try Self.made("0.163.0", "d")
        let directory = TemporaryDirectory("codex-stale-fifo")
        let home = try Self.copy(try #require(made.home), into: directory)
        let state = home + "/" + CodexHome.stateDatabaseName
        let before = try Self.dump(state, "threads", orderBy: "id")
        let select = try SQLiteConnection(path: state, mode: .readOnly).prepare("SELECT rollout_path FROM threads WHERE id = ?1")
        try select.bind([.text(try #require(made.threads["one"]))])
        #expect(try select.step())
        let gone = try #require(select.text(0))
        #expect(mkfifo(gone, 0o600) == 0)
        let report = try CodexRepairer(homePath: home, options: .init(removeStale: true)).repair()
        #expect(report.needsAttention)
        #expect(report.plan.threads.map(\.refusal) == [.rowPathTaken(rolloutPath: gone)])
        #expect(report.backups == [])
        #expect(try Self.dump(state, "threads", orderBy: "id") == before)

        // The rollout compressed beside the row's path: --remove-stale removed the row, "its rollout is gone". A
        // `.jsonl.zst` is read as the thread's rollout now, and this one, cut after its magic number, is not whole.
        #expect(unlink(gone) == 0)
        #expect(FileManager.default.createFile(atPath: gone + ".zst", contents: Data([0x28, 0xB5, 0x2F, 0xFD])))
        let compressed = try CodexRepairer(homePath: home, options: .init(removeStale: true)).repair()
        #expect(compressed.plan.threads.count == 1)
        #expect(compressed.plan.threads.allSatisfy { if case .rolloutNotWhole = $0.refusal { true } else { false } })
        #expect(try Self.dump(state, "threads", orderBy: "id") == before)
    }

    /// A backfill a stopped codex left `running` made 0.163.0 wait 30 s and fail to start, and an index without
    /// `backfill_state` fails its start at once; both were reported as "already pending", handed to codex, exit 0.
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aBackfillLeftRunningIsResetAndAnIndexWithoutOneIsRefused() throws {
        let made = try Self.made("0.163.0", "a")
        let directory = TemporaryDirectory("codex-backfill")
        let running = try Self.copy(try #require(made.home), into: directory)
        let state = running + "/" + CodexHome.stateDatabaseName
        try SQLiteConnection(path: state, mode: .readWrite).execute("UPDATE backfill_state SET status = 'running'")
        let reset = try CodexRepairer(homePath: running, options: .init()).repair()
        #expect(reset.backfillReset == true)
        #expect(!reset.needsAttention)
        #expect(try Self.dump(state, "backfill_state", orderBy: "id").isEmpty)

        let other = TemporaryDirectory("codex-backfill")
        let missing = try Self.copy(try #require(made.home), into: other)
        let index = missing + "/" + CodexHome.stateDatabaseName
        try SQLiteConnection(path: index, mode: .readWrite).execute("DROP TABLE backfill_state")
        let before = try Self.contents(of: missing)
        let refused = try CodexRepairer(homePath: missing, options: .init()).repair()
        #expect(refused.needsAttention)
        #expect(refused.plan.threads.indices.allSatisfy { refused.refusal(at: $0) == .noBackfillState })
        #expect(refused.outcomes.values.allSatisfy { !$0.handedToCodexStart })
        #expect(!refused.renderedTable(colored: false).contains("next:"), "\(refused.renderedTable(colored: false))")
        #expect(try Self.contents(of: missing) == before)
    }

    /// Every file of the home, by path, with its bytes; not the `-shm` files, which every reader writes its read marks
    /// into, nor an empty `-wal`, which SQLite leaves where a reader opened a WAL database (as codex leaves it too).
    static func contents(of home: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: home) where !path.hasSuffix("-shm") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: home + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
               let bytes = FileManager.default.contents(atPath: home + "/" + path), !(path.hasSuffix("-wal") && bytes.isEmpty) {
                files[path] = bytes
            }
        }
        return files
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: ["a", "b", "c", "d"])
    func aDryRunSaysWhatItWouldWriteAndLeavesEveryFileAsItWas(experiment: String) throws {
        let made = try Self.made("0.163.0", experiment)
        let directory = TemporaryDirectory("codex-dry-run")
        let home = try Self.copy(try #require(made.home), into: directory)
        let before = try Self.contents(of: home)
        let report = try CodexRepairer(homePath: home, options: .init(dryRun: true, removeStale: true)).repair()
        #expect(report.needsAttention)
        #expect(report.plan.writes)
        #expect(report.outcomes.values.contains { $0.handedToCodexStart || ($0.projected?.turns ?? 0) > 0 || $0.removed })
        #expect(try Self.contents(of: home) == before)
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aRepairRefusesWhileCodexWritesAThreadAndWritesNothing() throws {
        let made = try Self.made("0.163.0", "c")
        let directory = TemporaryDirectory("codex-running")
        let home = try Self.copy(try #require(made.home), into: directory)
        let lock = home + "/" + CodexHome.writerLocksName + "/" + (made.threads["two"] ?? "two") + ".lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: nil))
        let ready = directory.file("ready")
        let holder = try LockHolder(["flock", lock, "sh", "-c", "touch '\(ready)'; cat >/dev/null"], ready: ready)
        defer { holder.release() }
        let seen = CodexHome(path: home).activity() != nil
        #expect(seen)
        let before = try Self.contents(of: home)
        #expect {
            _ = try CodexRepairer(homePath: home, options: .init()).repair()
        } throws: { error in
            if case FsckError.codexRunning(let path, writingThread: true) = error { return path == lock }
            return false
        }
        #expect(try Self.contents(of: home) == before)
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aProjectionRowCodexWroteOtherwiseRefusesTheThreadAndWritesNothingOfIt() throws {
        let made = try Self.made("0.163.0", "c")
        let directory = TemporaryDirectory("codex-differs")
        let home = try Self.copy(try #require(made.home), into: directory)
        let thread = try #require(made.threads["two"])
        let history = home + "/" + CodexHome.historyDatabaseName
        try SQLiteConnection(path: history, mode: .readWrite).prepare(
            "UPDATE thread_items SET item_json = replace(item_json, 'mock reply', 'another reply') WHERE thread_id = ?1").run([.text(thread)])
        let before = try Self.dump(history, "thread_items", orderBy: "thread_id, rollout_ordinal")
        let report = try CodexRepairer(homePath: home, options: .init()).repair()
        let place = try #require(report.plan.threads.firstIndex { $0.threadID == thread })
        guard case .projectionRowDiffers(table: "thread_items", _)? = report.refusal(at: place) else {
            Issue.record("expected the thread refused for its item row, got \(String(describing: report.refusal(at: place)))")
            return
        }
        #expect(report.needsAttention)
        #expect(try Self.dump(history, "thread_items", orderBy: "thread_id, rollout_ordinal") == before)
        #expect(try Self.projection(in: home, of: [thread])[thread]?.cursor.ordinal ?? 0 < 25)
    }

    // MARK: - the command

    @Test(.tags(.store)) func aRolloutThatCannotBeReadIsRefusedWithItsReasonAndNothingIsWritten() throws {
        let directory = TemporaryDirectory("codex-home")
        try FileManager.default.createDirectory(atPath: directory.file("sessions/2026/12/03"), withIntermediateDirectories: true)
        let rollout = "sessions/2026/12/03/rollout-2026-12-03T08-00-00-01a23b37-8e1d-74b1-b8b8-9070f24333af.jsonl"
        try directory.write(rollout, text: "{}\n")
        let dryRun = try CommandRunner.fsck(["repair", "--home", directory.path, "--dry-run"])
        #expect(dryRun.status == 1, "\(dryRun.standardError)")
        #expect(dryRun.standardOutput.contains("01a23b37-8e1d-74b1-b8b8-9070f24333af  corrupt  refused: the rollout cannot be read whole"),
                "\(dryRun.standardOutput)")
        let json = try CommandRunner.fsck(["repair", "--home", directory.path, "--format", "json"])
        #expect(json.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["agent"] as? String == "codex")
        #expect(summary["refused"] as? Int == 1)
        #expect(summary["backups"] as? [String] == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sessions"])
        let notADirectory = try CommandRunner.fsck(["repair", "--home", directory.path, "--backup", directory.file(rollout)])
        #expect(notADirectory.status == 2)
        #expect(notADirectory.standardError.contains("--backup names no directory"), "\(notADirectory.standardError)")
    }

    /// A thread id is what a rollout's session_meta says: with a newline, `|` and backticks it broke the Markdown
    /// table (the id went in raw), and the home's problems and the backups were missing from that format.
    @Test(.tags(.store)) func aHostileThreadIDStaysInItsMarkdownCell() throws {
        let directory = TemporaryDirectory("codex-markdown")
        try FileManager.default.createDirectory(atPath: directory.file("sessions/2026/12/03"), withIntermediateDirectories: true)
        let rollout = "sessions/2026/12/03/rollout-2026-12-03T08-00-00-01a23b37-8e1d-74b1-b8b8-9070f24333af.jsonl"
        let meta = #"{"timestamp":"2026-12-03T08:45:23.041Z","ordinal":0,"type":"session_meta","payload":{"id":"a|b`c\nd","history_mode":"paginated"}}"#
        try directory.write(rollout, text: meta + "\n")
        let markdown = try CommandRunner.fsck(["repair", "--home", directory.path, "--dry-run", "--format", "markdown"])
        #expect(markdown.status == 1, "\(markdown.standardError)")
        let rows = markdown.standardOutput.split(separator: "\n").filter { $0.hasPrefix("| ``") }
        #expect(rows.count == 1, "\(markdown.standardOutput)")
        #expect(rows.first?.hasPrefix(#"| ``a\|b`c\u{A}d`` | refused | "#) == true, "\(markdown.standardOutput)")
        #expect(markdown.standardOutput.contains("there is no state_5.sqlite"), "\(markdown.standardOutput)")
        // Not a database where the projection database goes: the remedy was to check --db, which names no Codex file.
        try directory.write(CodexHome.historyDatabaseName, text: "not a database, not at all, whatever its name says\n")
        let garbage = try CommandRunner.fsck(["repair", "--home", directory.path])
        #expect(garbage.status == 2)
        #expect(garbage.standardError.contains("this is codex's own file: move it aside"), "\(garbage.standardError)")
        try FileManager.default.removeItem(atPath: directory.file(CodexHome.historyDatabaseName))
        let typo = try CommandRunner.fsck(["repair", "--home", directory.path, "--session", "01a23b37-8e1d-74b1-b8b8-9070f24333ae"])
        #expect(typo.status == 2)
        #expect(typo.standardError.contains(#"no session "01a23b37-8e1d-74b1-b8b8-9070f24333ae" in "#), "\(typo.standardError)")
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func theCommandRepairsInEveryFormatAndSaysWhatCodexDoesNext() throws {
        let made = try Self.made("0.163.0", "b")
        let directory = TemporaryDirectory("codex-command")
        let home = try Self.copy(try #require(made.home), into: directory)
        let backups = directory.file("backups")
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
        let junit = try CommandRunner.fsck(["repair", "--home", home, "--dry-run", "--format", "junit", "--output", directory.file("plan.xml")])
        #expect(junit.status == 1)
        let validation = try CommandRunner.shell("xmllint --noout --schema '\(FixtureSchema.fixturesDirectory)/junit.xsd' '\(directory.file("plan.xml"))'")
        #expect(validation.status == 0, "\(validation.standardError)")
        let repair = try CommandRunner.fsck(["repair", "--home", home, "--backup", backups])
        #expect(repair.status == 0, "\(repair.standardError)")
        #expect(repair.standardOutput.contains("projected 1 turn and 2 items"), "\(repair.standardOutput)")
        #expect(repair.standardOutput.contains("next: start codex once"), "\(repair.standardOutput)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups).count == 2)
        let again = try CommandRunner.fsck(["repair", "--home", home, "--format", "jsonl"])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains(#""verdict":"handed_to_codex""#), "\(again.standardOutput)")
    }

    /// A write SQLite refuses part way (here a CHECK the table was rebuilt with; a full disk does the same) stops the
    /// run: the report comes first, with the backup, then the error, exit 2; the thread whose write failed is as it was.
    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason))
    func aWriteThatFailsPartWayStopsTheRunAfterItsReport() throws {
        let made = try Self.made("0.163.0", "c")
        let directory = TemporaryDirectory("codex-stopped")
        let home = try Self.copy(try #require(made.home), into: directory)
        let history = home + "/" + CodexHome.historyDatabaseName
        // Closed before the repair runs: an open connection of this process is another process's to the repair.
        try SQLiteConnection(path: history, mode: .readWrite).execute("""
            CREATE TABLE thread_items_new (thread_id TEXT NOT NULL, turn_id TEXT NOT NULL, item_id TEXT NOT NULL,
                rollout_ordinal INTEGER NOT NULL CHECK (rollout_ordinal < 15), created_at_ms INTEGER NOT NULL, item_json TEXT NOT NULL,
                item_type TEXT NOT NULL DEFAULT '', updated_at_ordinal INTEGER NOT NULL DEFAULT 0, started_at_ms INTEGER, completed_at_ms INTEGER,
                PRIMARY KEY (thread_id, turn_id, item_id));
            INSERT INTO thread_items_new SELECT thread_id, turn_id, item_id, rollout_ordinal, created_at_ms, item_json, item_type,
                updated_at_ordinal, started_at_ms, completed_at_ms FROM thread_items;
            DROP TABLE thread_items;
            ALTER TABLE thread_items_new RENAME TO thread_items;
            """)
        let before = try Self.dump(history, "thread_turns", orderBy: "thread_id, rollout_ordinal")
        let result = try CommandRunner.fsck(["repair", "--home", home, "--format", "json"])
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("CHECK constraint failed"), "\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((document["stopped"] as? String)?.contains("CHECK constraint failed") == true, "\(result.standardOutput)")
        #expect(((document["summary"] as? [String: Any])?["backups"] as? [String])?.count == 1)
        #expect(try Self.dump(history, "thread_turns", orderBy: "thread_id, rollout_ordinal") == before)
    }
}
