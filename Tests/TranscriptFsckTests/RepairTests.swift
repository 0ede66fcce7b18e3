import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Backfills on real SQLite files with the Hermes schema and its FTS triggers.
@Suite(.tags(.store)) struct RepairTests {
    func conversation(_ count: Int, seed: UInt64 = 11) -> [FixtureMessage] {
        var generator = ConversationGenerator(seed: seed)
        return generator.conversation(count: count, start: 1_772_000_000)
    }

    @Test(arguments: FixtureSchema.allCases)
    func pathAIsRepairedToTheExactSequence(schema: FixtureSchema) async throws {
        let session = try TruncatedSession(count: 120, keepNewest: 6, seed: 11, schema: schema, flushDelay: 0.4)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.map(\.action) == [.backfilled])
        #expect(report.insertedMessages == 114)
        #expect(try session.isWhole())
    }

    @Test(arguments: FixtureSchema.allCases)
    func pathBIsRepairedToTheExactSequence(schema: FixtureSchema) async throws {
        // Flushed a day later: the surviving rows' timestamps are far after every transcript time.
        let session = try TruncatedSession(count: 996, keepNewest: 2, seed: 12, schema: schema, format: .gzip(members: 2),
                                           flushDelay: 86_400)
        let report = try await StoreRun.repair(session.home)
        #expect(report.insertedMessages == 994)
        #expect(try session.isWhole())
    }

    @Test func rowsMissingInTheMiddleGoBetweenTheirNeighbours() async throws {
        let session = try TruncatedSession(count: 60, seed: 13, kept: { Array($0[..<20]) + Array($0[30..<45]) + Array($0[50...]) })
        #expect(try await StoreRun.repair(session.home).insertedMessages == 15)
        #expect(try session.isWhole())
    }

    @Test func messagesWithoutTimestampsAreOrderedByTheirNeighbours() async throws {
        let session = try TruncatedSession(count: 30, seed: 14, edit: { messages in
            for index in [0, 1, 7, 8, 9, 28] { messages[index].timestamp = nil }
        }, kept: { Array($0[10..<20]) })
        try await StoreRun.repair(session.home)
        #expect(try session.isWhole())
    }

    @Test func transcriptTimesLaterThanTheSurvivingRowsAreClampedBeforeThem() async throws {
        // Clocks disagree: the database rows carry times an hour before the transcript's.
        let session = try TruncatedSession(count: 20, keepNewest: 3, seed: 15, flushDelay: -3_600)
        try await StoreRun.repair(session.home)
        #expect(try session.isWhole())
    }

    @Test func missingSessionGetsItsRowFromSessionMetaAndEveryMessage() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(25)
        try store.writeTranscript("legacy", messages: messages,
                                  sessionMeta: #"{"role": "session_meta", "platform": "discord", "model": "hermes-4", "timestamp": "2026-02-01T10:00:00"}"#)
        let report = try await StoreRun.repair(directory.path, .init(makeBackup: false, createMissing: true))
        #expect(report.sessions.map(\.action) == [.created])
        #expect(try AgentView.matches(store.databasePath, session: "legacy", messages))
        let connection = try SQLiteConnection(path: store.databasePath, mode: .readOnly)
        let row = try connection.prepare("SELECT source, model, started_at, message_count FROM sessions WHERE id = 'legacy'")
        #expect(try row.step())
        #expect(row.text(0) == "discord")
        #expect(row.text(1) == "hermes-4")
        #expect(row.integer(3) == 25)
    }

    @Test func aNullInSessionMetaLeavesTheColumnToItsDefaultAndTheSessionGetsItsRow() async throws {
        // The late schema's archived and session_kind are NOT NULL with a default: a bound null was skipped by
        // INSERT OR IGNORE, and the messages went in without a session row.
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: .late)
        let messages = conversation(12)
        try store.writeTranscript("nulls", messages: messages,
                                  sessionMeta: #"{"role": "session_meta", "platform": "cli", "archived": null, "session_kind": null}"#)
        let report = try await StoreRun.repair(directory.path, .init(makeBackup: false, createMissing: true))
        #expect(report.sessions.map(\.action) == [.created])
        #expect(try AgentView.integer(store.databasePath, "SELECT archived FROM sessions WHERE id = 'nulls'") == 0)
        #expect(try AgentView.text(store.databasePath, "SELECT session_kind FROM sessions WHERE id = 'nulls'") == "chat")
        #expect(try AgentView.matches(store.databasePath, session: "nulls", messages))
        #expect(try await StoreRun.scan(directory.path).summary[.ok] == 1)
    }

    @Test func aSessionRowThatCannotBeCreatedRefusesTheSessionAndWritesNoMessage() async throws {
        // A newer schema with a NOT NULL column, without a default, that the tool knows nothing of.
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        try store.connection.execute("ALTER TABLE sessions ADD COLUMN tenant TEXT NOT NULL DEFAULT 'x'")
        try store.connection.execute(
            "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL DEFAULT ''x''', 'NOT NULL') WHERE name = 'sessions'")
        try store.writeTranscript("strict", messages: conversation(8))
        let report = try await StoreRun.repair(directory.path, .init(makeBackup: false, createMissing: true))
        let result = try #require(report.sessions.first)
        #expect(result.action == .refused)
        guard case .sessionRowRefused(let sqlite)? = result.reason else {
            Issue.record("not refused for the session row: \(String(describing: result.reason))")
            return
        }
        #expect(sqlite.contains("NOT NULL constraint failed: sessions.tenant"), "\(sqlite)")
        #expect(try AgentView.integer(store.databasePath, "SELECT count(*) FROM messages") == 0)
    }

    @Test func messagesWithoutTheirSessionRowAreMissingAndTheRepairGivesThemOne() async throws {
        let session = try TruncatedSession(count: 20, keepNewest: 20, seed: 42)
        try session.store.connection.execute("DELETE FROM sessions WHERE id = 's'")
        let before = try await StoreRun.scan(session.home)
        #expect(before.summary[.missing] == 1)
        #expect(before.findings.first?.problem == .noSessionRow(messages: 20))
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.map(\.action) == [.created])
        #expect(report.insertedMessages == 0)
        #expect(try AgentView.integer(session.databasePath, "SELECT message_count FROM sessions WHERE id = 's'") == 20)
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM messages WHERE session_id = 's'") == 20)
        #expect(try await StoreRun.scan(session.home).summary[.ok] == 1)
    }

    @Test func rowsWithNeitherASessionRowNorATranscriptAreNamedInAWarning() async throws {
        let session = try TruncatedSession(count: 12, keepNewest: 12, seed: 43)
        try session.store.connection.execute("DELETE FROM sessions WHERE id = 's'")
        try FileManager.default.removeItem(atPath: session.store.sessionsDirectory + "/s.jsonl")
        let report = try await StoreRun.scan(session.home)
        let finding = try #require(report.findings.first)
        #expect(finding.status == .databaseOnly)
        #expect(finding.warnings == [.rowsWithoutSessionRow(rows: 12)])
        #expect(try await StoreRun.repair(session.home).sessions.first?.action == .unchanged)
    }

    @Test(arguments: FixtureSchema.allCases)
    func countersAreRightAfterTheBackfill(schema: FixtureSchema) async throws {
        let session = try TruncatedSession(count: 80, keepNewest: 10, seed: 16, schema: schema)
        try await StoreRun.repair(session.home)
        #expect(try AgentView.integer(session.databasePath, "SELECT message_count FROM sessions WHERE id = 's'") == 80)
        #expect(try AgentView.integer(session.databasePath, "SELECT tool_call_count FROM sessions WHERE id = 's'")
                == Int64(session.messages.reduce(0) { $0 + $1.toolCalls.count }))
    }

    @Test(arguments: FixtureSchema.allCases)
    func fullTextSearchFindsWordsThatOnlyBackfilledRowsHold(schema: FixtureSchema) async throws {
        let session = try TruncatedSession(count: 30, keepNewest: 5, seed: 17, schema: schema,
                                           edit: { $0[2].content = .text("the zyxwvutsrq incident report") })
        let search = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zyxwvutsrq'"
        #expect(try AgentView.integer(session.databasePath, search) == 0)
        let report = try await StoreRun.repair(session.home)
        #expect(try AgentView.integer(session.databasePath, search) == 1)
        #expect(!report.fullTextChecks.isEmpty)
        #expect(report.fullTextChecks.allSatisfy { $0.failure == nil })
    }

    @Test func secondRunInsertsNothingAndScanIsClean() async throws {
        let session = try TruncatedSession(count: 50, keepNewest: 5, seed: 18)
        try session.store.writeTranscript("legacy", messages: conversation(10, seed: 3))
        #expect(try await StoreRun.repair(session.home, .init(makeBackup: false, createMissing: true)).insertedMessages == 55)
        let again = try await StoreRun.repair(session.home)
        #expect(again.insertedMessages == 0)
        #expect(again.sessions.allSatisfy { $0.action == .unchanged })
        #expect(try await StoreRun.scan(session.home).hasProblems == false)
    }

    @Test func demoStoreIsConsistentAfterRepairExceptWhatNeedsAPerson() async throws {
        let directory = TemporaryDirectory("demo")
        let planted = try DemoStore.build(home: directory.path)
        let report = try await StoreRun.repair(directory.path, .init(makeBackup: false, createMissing: true))
        let after = try await StoreRun.scan(directory.path)
        for session in planted {
            let status = after.findings.first { $0.sessionID == session.sessionID }?.status
            // A session that went on after its transcript ended holds the transcript and more once repaired.
            let expected: SessionStatus = switch session.status {
            case .truncated, .missing: .ok
            case .continued: .databaseAhead
            default: session.status
            }
            #expect(status == expected, "\(session.sessionID)")
        }
        #expect(report.count(.refused) == 3)
    }

    @Test func divergedSessionIsRefusedAndLeftUntouched() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        var messages = conversation(20)
        try store.addMessages("d", messages)
        messages[4].content = .text("edited later")
        messages.append(contentsOf: conversation(5, seed: 99))
        try store.writeTranscript("d", messages: messages)
        let before = try AgentView.rows(store.databasePath, session: "d")
        let report = try await StoreRun.repair(directory.path)
        #expect(report.sessions.map(\.action) == [.refused])
        guard case .needsAPerson(.diverged(let divergence))? = report.sessions[0].reason else {
            Issue.record("refused without the finding's problem: \(report.sessions[0])")
            return
        }
        #expect(divergence.row == 5 && divergence.databaseRows == 20)
        #expect(try AgentView.rows(store.databasePath, session: "d") == before)
    }

    @Test func unusualSessionIDsAreRepaired() async throws {
        let session = try TruncatedSession("x'); DELETE FROM messages; -- \"quoted\" and spaced", count: 12, keepNewest: 2, seed: 19)
        try session.store.addMessages("bystander", conversation(4, seed: 5))
        try await StoreRun.repair(session.home)
        #expect(try session.isWhole())
        #expect(try AgentView.rows(session.databasePath, session: "bystander").count == 4)
    }

    @Test func backupOpensAndEqualsTheDatabaseBeforeRepair() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        let dump = { (path: String) throws -> [String] in
            let connection = try SQLiteConnection(path: path, mode: .readOnly)
            let rows = try connection.prepare("SELECT id, session_id, role, content, timestamp FROM messages ORDER BY id")
            var lines: [String] = []
            while try rows.step() { lines.append("\(rows.integer(0))|\(rows.text(1) ?? "")|\(rows.text(2) ?? "")|\(rows.text(3) ?? "")|\(rows.real(4))") }
            return lines
        }
        let before = try dump(database)
        let report = try await StoreRun.repair(directory.path, .init(backupPath: directory.path + "/before.db"))
        #expect(report.backupPath == directory.path + "/before.db")
        #expect(try dump(directory.path + "/before.db") == before)
        #expect(try dump(database).count == before.count + report.insertedMessages)
        #expect(try AgentView.text(directory.path + "/before.db", "PRAGMA integrity_check") == "ok")
    }

    @Test func defaultBackupIsNamedWithTheTimeBesideTheDatabase() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let report = try await StoreRun.repair(directory.path, .init())
        let backup = try #require(report.backupPath)
        #expect(backup.hasPrefix(directory.path + "/state.db.bak-"))
        #expect(backup.count == (directory.path + "/state.db.bak-YYYYmmdd-HHMMSS").count)
        #expect(FileManager.default.fileExists(atPath: backup))
    }

    @Test func theBackupIsNoMoreReadableThanTheDatabaseAndNoTemporaryIsLeft() async throws {
        let directory = TemporaryDirectory("private")
        try DemoStore.build(home: directory.path)
        #expect(chmod(directory.path + "/state.db", 0o600) == 0)
        let previous = umask(0o022)
        defer { umask(previous) }
        let report = try await StoreRun.repair(directory.path, .init())
        let backup = try #require(report.backupPath)
        var status = stat()
        #expect(stat(backup, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600, "the backup of a 0600 database is \(String(status.st_mode & 0o777, radix: 8))")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.contains(".partial-") }, "\(names)")
        #expect(try AgentView.text(backup, "PRAGMA integrity_check") == "ok")
    }

    #if os(Linux)
    @Test func aBackupIsWrittenUnderATemporaryNameAndNamedOnlyWhenWhole() async throws {
        // inotify records every name created in the directory, in order, however fast the backup is.
        let directory = TemporaryDirectory("watched")
        try DemoStore.build(home: directory.path)
        let watch = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(watch >= 0)
        defer { close(watch) }
        try #require(inotify_add_watch(watch, directory.path, UInt32(IN_CREATE | IN_MOVED_TO)) >= 0)
        _ = try await StoreRun.repair(directory.path, .init(backupPath: directory.path + "/before.db"))
        var created: [String] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = buffer.withUnsafeMutableBytes { read(watch, $0.baseAddress, $0.count) }
        var offset = 0
        while offset < count {
            let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
            let name = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
            created.append(String(decoding: name, as: UTF8.self))
            offset += 16 + length
        }
        let backups = created.filter { $0.hasPrefix("before.db") && !$0.hasSuffix("-journal") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(backups == ["before.db.partial-\(getpid())", "before.db"], "created, in order: \(created)")
        #expect(try AgentView.text(directory.path + "/before.db", "PRAGMA integrity_check") == "ok")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/before.db.partial-\(getpid())"))
    }
    #endif

    /// Takes the database exclusively (no reader gets in) as the write begins: after the scan, before the backup.
    final class ExclusiveHolder: RepairObserver {
        let database: String
        let held = Locked<(connection: SQLiteConnection?, since: ContinuousClock.Instant?, failure: String?)>((nil, nil, nil))
        init(database: String) { self.database = database }

        func start(sessions: Int, rows: Int) {
            do {
                let connection = try SQLiteConnection(path: database, mode: .readWrite, busyTimeoutMilliseconds: 60_000)
                try connection.execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE")
                held.withLock { $0 = (connection, ContinuousClock.now, nil) }
            } catch {
                held.withLock { $0.failure = "\(error)" }
            }
        }
        func backupMade() {}
        func sessionDone(planned: Int, inserted: Int, deferred: Bool) {}
        func finish() {}
    }

    @Test func aBackupThatCannotReadTheDatabaseGivesUpAfterTheBusyTimeout() async throws {
        let directory = TemporaryDirectory("busy-backup")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        let holder = ExclusiveHolder(database: database)
        let clock = ContinuousClock()
        let repairer = StoreRepairer(location: StoreRun.location(directory.path),
                                     options: .init(busyTimeout: .seconds(1)))
        do {
            _ = try await repairer.repair(writing: holder)
            Issue.record("the backup read a database another connection held exclusively")
        } catch {
            #expect("\(error)".contains("backup failed: database is locked for 1 s (--busy-timeout); nothing was written"), "\(error)")
        }
        let held = holder.held.withLock { $0 }
        #expect(held.failure == nil, "the test could not take the database: \(held.failure ?? "")")
        if let since = held.since { #expect(clock.now - since < .seconds(15), "the backup waited \(clock.now - since)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".bak-") })
    }

    @Test func nothingToRepairMakesNoBackup() async throws {
        let session = try TruncatedSession(count: 5, keepNewest: 5, seed: 20)
        let report = try await StoreRun.repair(session.home, .init())
        #expect(report.backupPath == nil)
    }

    @Test func dryRunPlansWithoutWriting() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let report = try await StoreRun.repair(directory.path, .init(dryRun: true, createMissing: true))
        #expect(report.dryRun)
        #expect(report.insertedMessages == 1234)
        #expect(report.backupPath == nil)
        #expect(try await StoreRun.scan(directory.path).summary[.truncated] == 4)
    }
}

/// Where backfilled rows' timestamps go.
@Suite(.tags(.unit)) struct TimestampPlacementTests {
    @Test func ownTimesAreKeptWhenTheyFit() {
        #expect(TimestampPlacement.place([1, 2, 3], after: nil, before: 10, fallback: 0) == [1, 2, 3])
    }

    @Test func timesAfterTheNextRowAreClampedToIt() {
        let times = TimestampPlacement.place([20, 30], after: nil, before: 10, fallback: 0)
        #expect(times == [10, 10])
    }

    @Test func unknownTimesFollowTheirNeighbours() {
        #expect(TimestampPlacement.place([nil, 5, nil, 7], after: 4, before: nil, fallback: 0) == [4, 5, 5, 7])
        #expect(TimestampPlacement.place([nil, nil], after: nil, before: nil, fallback: 42) == [42, 42])
    }

    @Test func timesGoingBackwardsAreMadeNonDecreasing() {
        #expect(TimestampPlacement.place([5, 3, 6], after: nil, before: nil, fallback: 0) == [5, 5, 6])
    }

    @Test func rowsSharingATimestampStillTakeRowsBetweenThem() {
        // The row after the gap moves behind the new rows, so ids keep them in order where timestamps tie.
        #expect(TimestampPlacement.place([1, 20], after: 10, before: 10, fallback: 0) == [10, 10])
    }
}
