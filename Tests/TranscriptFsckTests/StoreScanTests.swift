import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Whole-store scans on real SQLite files built with each schema generation.
@Suite(.tags(.store)) struct StoreScanTests {
    @Test(arguments: FixtureSchema.allCases)
    func demoStoreGetsEveryPlantedStatus(schema: FixtureSchema) async throws {
        let directory = TemporaryDirectory("demo")
        let planted = try DemoStore.build(home: directory.path, schema: schema)
        let report = try await StoreRun.scan(directory.path, jobs: 2)
        let statuses = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.sessionID.text, $0.status) })
        for session in planted {
            #expect(statuses[session.sessionID] == session.status, "\(session.sessionID): \(session.what)")
        }
        #expect(report.findings.count == planted.count)
        #expect(Set(planted.map(\.status)) == Set(SessionStatus.allCases))
        #expect(report.hasProblems)
    }

    @Test func pathATruncationCountsTheOlderMessagesAsMissing() async throws {
        let session = try TruncatedSession(count: 50, keepNewest: 4, seed: 1)
        let finding = try #require(try await StoreRun.scan(session.home, jobs: 2).findings.first)
        #expect(finding.status == .truncated)
        #expect(finding.missingMessages == 46)
        #expect(finding.problem == .truncated(kept: 4, of: 50, lost: .older))
    }

    @Test func pathBWithAGzipArchiveCountsTheOlderMessagesAsMissing() async throws {
        let session = try TruncatedSession(count: 996, keepNewest: 2, seed: 2, format: .gzip(members: 1), flushDelay: 86_400)
        let finding = try #require(try await StoreRun.scan(session.home, jobs: 2).findings.first)
        #expect(finding.status == .truncated)
        #expect(finding.transcriptMessages == 996)
        #expect(finding.databaseMessages == 2)
        #expect(finding.missingMessages == 994)
    }

    @Test(arguments: ["it's \"quoted\"", "with spaces", "x'; DROP TABLE messages; --", "日本語-セッション", "..dots.."])
    func unusualSessionIDsAreBoundAsValues(id: String) async throws {
        let session = try TruncatedSession(id, count: 6, keepNewest: 2, seed: 3)
        for sessions in [[], [id]] {
            let report = try await StoreRun.scan(session.home, sessions: sessions, jobs: 2)
            #expect(report.findings.map(\.sessionID) == [id])
            #expect(report.findings.first?.status == .truncated)
        }
    }

    @Test func sessionFilterScansOnlyTheNamedSessions() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let report = try await StoreRun.scan(directory.path, sessions: ["20260302_101500_d4e5f6", "20260309_170000_cli001"], jobs: 2)
        #expect(report.findings.map(\.status) == [.truncated, .databaseOnly])
    }

    @Test func oneJobAndTwoJobsAgree() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let one = try await StoreRun.scan(directory.path, jobs: 1)
        let two = try await StoreRun.scan(directory.path, jobs: 2)
        #expect(one.findings == two.findings)
    }

    @Test func scanWorksWhileAnotherProcessWritesTheDatabase() async throws {
        let directory = TemporaryDirectory("live")
        let planted = try DemoStore.build(home: directory.path)
        let writer = try CommandRunner.start("fsck-fixtures", ["append-messages", directory.path + "/state.db", "live-session", "200",
                                                                "--interval", "0.005"])
        var scans = 0
        while writer.process.isRunning || scans == 0 {
            let report = try await StoreRun.scan(directory.path, jobs: 2)
            let statuses = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.sessionID.text, $0.status) })
            for session in planted { #expect(statuses[session.sessionID] == session.status) }
            scans += 1
        }
        writer.process.waitUntilExit()
        #expect(writer.process.terminationStatus == 0)
        let final = try await StoreRun.scan(directory.path, jobs: 2)
        let live = try #require(final.findings.first { $0.sessionID == "live-session" })
        #expect(live.status == .databaseOnly)
        #expect(live.databaseMessages == 200)
    }

    @Test func snapshotReadsRowsInTheAgentsIDOrder() throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        var generator = ConversationGenerator(seed: 4)
        let messages = generator.conversation(count: 10, start: 1_772_000_000)
        try store.addMessages("s", Array(messages[5...]))
        try store.addMessages("s", Array(messages[..<5]))   // older messages written later, with higher ids
        // The whole-store pass keeps fingerprints only; a session read in detail has ids and times, in the same order.
        let whole = try #require(try DatabaseReader.snapshot(path: store.databasePath).sessions["s"])
        let detailed = try #require(try DatabaseReader.snapshot(path: store.databasePath, sessionIDs: ["s"]).sessions["s"])
        #expect(!whole.hasDetails)
        #expect(detailed.hasDetails)
        #expect(whole.fingerprints == detailed.fingerprints)
        // Every released agent reads by id ("id is true insertion order, timestamps are not monotonic").
        #expect(detailed.rowIDs == Array(1...10))
        #expect(detailed.timestamps != detailed.timestamps.sorted())
    }
}
