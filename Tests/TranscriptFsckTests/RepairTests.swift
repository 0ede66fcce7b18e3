import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Backfills on real SQLite files with the Hermes schema and its FTS triggers.
@Suite struct RepairTests {
    @discardableResult
    func repair(_ home: String, _ options: StoreRepairer.Options = .init(makeBackup: false)) async throws -> RepairReport {
        let location = StoreLocation.resolve(home: home, database: nil, transcriptRoots: [], environment: [:])
        return try await StoreRepairer(location: location, options: options).repair()
    }

    func scan(_ home: String) async throws -> ScanReport {
        try await StoreScanner(location: .resolve(home: home, database: nil, transcriptRoots: [], environment: [:])).scan()
    }

    func conversation(_ count: Int, seed: UInt64 = 11) -> [FixtureMessage] {
        var generator = ConversationGenerator(seed: seed)
        return generator.conversation(count: count, start: 1_772_000_000)
    }

    @Test(arguments: FixtureSchema.allCases)
    func pathAIsRepairedToTheExactSequence(schema: FixtureSchema) async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: schema)
        let messages = conversation(120)
        try store.writeTranscript("a", messages: messages)
        try store.addMessages("a", Array(messages.suffix(6)), flushDelay: 0.4)
        let report = try await repair(directory.path)
        #expect(report.sessions.map(\.action) == [.backfilled])
        #expect(report.insertedMessages == 114)
        #expect(try AgentView.matches(store.databasePath, session: "a", messages))
    }

    @Test(arguments: FixtureSchema.allCases)
    func pathBIsRepairedToTheExactSequence(schema: FixtureSchema) async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: schema)
        let messages = conversation(996)
        try store.writeTranscript("b", messages: messages, format: .gzip(members: 2), subdirectory: "archive")
        // Flushed a day later: the surviving rows' timestamps are far after every transcript time.
        try store.addMessages("b", Array(messages.suffix(2)), flushDelay: 86_400)
        let report = try await repair(directory.path)
        #expect(report.insertedMessages == 994)
        #expect(try AgentView.matches(store.databasePath, session: "b", messages))
    }

    @Test func rowsMissingInTheMiddleGoBetweenTheirNeighbours() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(60)
        try store.writeTranscript("m", messages: messages)
        try store.addMessages("m", Array(messages[..<20]) + Array(messages[30..<45]) + Array(messages[50...]))
        #expect(try await repair(directory.path).insertedMessages == 15)
        #expect(try AgentView.matches(store.databasePath, session: "m", messages))
    }

    @Test func messagesWithoutTimestampsAreOrderedByTheirNeighbours() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        var messages = conversation(30)
        for index in [0, 1, 7, 8, 9, 28] { messages[index].timestamp = nil }
        try store.writeTranscript("t", messages: messages)
        try store.addMessages("t", Array(messages[10..<20]))
        try await repair(directory.path)
        #expect(try AgentView.matches(store.databasePath, session: "t", messages))
    }

    @Test func transcriptTimesLaterThanTheSurvivingRowsAreClampedBeforeThem() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(20)
        try store.writeTranscript("c", messages: messages)
        // Clocks disagree: the database rows carry times an hour before the transcript's.
        try store.addMessages("c", Array(messages.suffix(3)), flushDelay: -3_600)
        try await repair(directory.path)
        #expect(try AgentView.matches(store.databasePath, session: "c", messages))
    }

    @Test func missingSessionGetsItsRowFromSessionMetaAndEveryMessage() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(25)
        try store.writeTranscript("legacy", messages: messages,
                                  sessionMeta: #"{"role": "session_meta", "platform": "discord", "model": "hermes-4", "timestamp": "2026-02-01T10:00:00"}"#)
        let report = try await repair(directory.path)
        #expect(report.sessions.map(\.action) == [.created])
        #expect(try AgentView.matches(store.databasePath, session: "legacy", messages))
        let connection = try SQLiteConnection(path: store.databasePath, mode: .readOnly)
        let row = try connection.prepare("SELECT source, model, started_at, message_count FROM sessions WHERE id = 'legacy'")
        #expect(try row.step())
        #expect(row.text(0) == "discord")
        #expect(row.text(1) == "hermes-4")
        #expect(row.integer(3) == 25)
    }

    @Test(arguments: FixtureSchema.allCases)
    func countersAreRightAfterTheBackfill(schema: FixtureSchema) async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: schema)
        let messages = conversation(80)
        try store.writeTranscript("k", messages: messages)
        try store.addMessages("k", Array(messages.suffix(10)))
        try await repair(directory.path)
        let database = store.databasePath
        #expect(try AgentView.integer(database, "SELECT message_count FROM sessions WHERE id = 'k'") == 80)
        #expect(try AgentView.integer(database, "SELECT tool_call_count FROM sessions WHERE id = 'k'")
                == Int64(messages.reduce(0) { $0 + $1.toolCalls.count }))
    }

    @Test(arguments: FixtureSchema.allCases)
    func fullTextSearchFindsWordsThatOnlyBackfilledRowsHold(schema: FixtureSchema) async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: schema)
        var messages = conversation(30)
        messages[2].content = .text("the zyxwvutsrq incident report")
        try store.writeTranscript("f", messages: messages)
        try store.addMessages("f", Array(messages.suffix(5)))
        let search = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zyxwvutsrq'"
        #expect(try AgentView.integer(store.databasePath, search) == 0)
        let report = try await repair(directory.path)
        #expect(try AgentView.integer(store.databasePath, search) == 1)
        #expect(!report.fullTextChecks.isEmpty)
        #expect(report.fullTextChecks.allSatisfy { $0.failure == nil })
    }

    @Test func secondRunInsertsNothingAndScanIsClean() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(50)
        try store.writeTranscript("s", messages: messages)
        try store.addMessages("s", Array(messages.suffix(5)))
        try store.writeTranscript("legacy", messages: conversation(10, seed: 3))
        #expect(try await repair(directory.path).insertedMessages == 55)
        let again = try await repair(directory.path)
        #expect(again.insertedMessages == 0)
        #expect(again.sessions.allSatisfy { $0.action == .unchanged })
        #expect(try await scan(directory.path).hasProblems == false)
    }

    @Test func demoStoreIsConsistentAfterRepairExceptWhatNeedsAPerson() async throws {
        let directory = TemporaryDirectory("demo")
        let planted = try DemoStore.build(home: directory.path)
        let report = try await repair(directory.path)
        let after = try await scan(directory.path)
        for session in planted {
            let status = after.findings.first { $0.sessionID == session.sessionID }?.status
            let expected: SessionStatus = [.truncated, .missing].contains(session.status) ? .ok : session.status
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
        let report = try await repair(directory.path)
        #expect(report.sessions.map(\.action) == [.refused])
        #expect(report.sessions[0].reason?.hasPrefix("diverged") == true)
        #expect(try AgentView.rows(store.databasePath, session: "d") == before)
    }

    @Test func unusualSessionIDsAreRepaired() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let id = "x'); DELETE FROM messages; -- \"quoted\" and spaced"
        let messages = conversation(12)
        try store.writeTranscript(id, messages: messages)
        try store.addMessages(id, Array(messages.suffix(2)))
        try store.addMessages("bystander", conversation(4, seed: 5))
        try await repair(directory.path)
        #expect(try AgentView.matches(store.databasePath, session: id, messages))
        #expect(try AgentView.rows(store.databasePath, session: "bystander").count == 4)
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
        let report = try await repair(directory.path, .init(backupPath: directory.path + "/before.db"))
        #expect(report.backupPath == directory.path + "/before.db")
        #expect(try dump(directory.path + "/before.db") == before)
        #expect(try dump(database).count == before.count + report.insertedMessages)
        #expect(try AgentView.text(directory.path + "/before.db", "PRAGMA integrity_check") == "ok")
    }

    @Test func defaultBackupIsNamedWithTheTimeBesideTheDatabase() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let report = try await repair(directory.path, .init())
        let backup = try #require(report.backupPath)
        #expect(backup.hasPrefix(directory.path + "/state.db.bak-"))
        #expect(backup.count == (directory.path + "/state.db.bak-YYYYmmdd-HHMMSS").count)
        #expect(FileManager.default.fileExists(atPath: backup))
    }

    @Test func nothingToRepairMakesNoBackup() async throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        let messages = conversation(5)
        try store.writeTranscript("s", messages: messages)
        try store.addMessages("s", messages)
        let report = try await repair(directory.path, .init())
        #expect(report.backupPath == nil)
    }

    @Test func dryRunPlansWithoutWriting() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let report = try await repair(directory.path, .init(dryRun: true))
        #expect(report.dryRun)
        #expect(report.insertedMessages == 1188)
        #expect(report.backupPath == nil)
        #expect(try await scan(directory.path).summary[.truncated] == 4)
    }
}

/// Where backfilled rows' timestamps go.
@Suite struct TimestampPlacementTests {
    @Test func ownTimesAreKeptWhenTheyFit() {
        #expect(TimestampPlacement.place([1, 2, 3], after: nil, before: 10, fallback: 0) == [1, 2, 3])
    }

    @Test func timesAfterTheNextRowAreClampedJustBeforeIt() {
        let times = TimestampPlacement.place([20, 30], after: nil, before: 10, fallback: 0)!
        #expect(times.allSatisfy { $0 < 10 })
        #expect(times == times.sorted())
    }

    @Test func unknownTimesFollowTheirNeighbours() {
        #expect(TimestampPlacement.place([nil, 5, nil, 7], after: 4, before: nil, fallback: 0) == [4, 5, 5, 7])
        #expect(TimestampPlacement.place([nil, nil], after: nil, before: nil, fallback: 42) == [42, 42])
    }

    @Test func timesGoingBackwardsAreMadeNonDecreasing() {
        #expect(TimestampPlacement.place([5, 3, 6], after: nil, before: nil, fallback: 0) == [5, 5, 6])
    }

    @Test func noRoomBetweenRowsSharingATimestamp() {
        #expect(TimestampPlacement.place([1], after: 10, before: 10, fallback: 0) == nil)
    }
}
