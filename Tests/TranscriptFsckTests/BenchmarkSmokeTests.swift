import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A small run of what `make bench` uses: the generator is deterministic, and the reference audits
/// agree with the scan on the store it makes.
@Suite(.tags(.store)) struct BenchmarkSmokeTests {
    @Test func generatorIsDeterministicAndPlantsBothPaths() throws {
        let first = TemporaryDirectory("bench"), second = TemporaryDirectory("bench")
        let scale = BenchmarkStore.Scale(sessions: 120, megabytes: 2, seed: 7)
        let a = try BenchmarkStore.build(home: first.path + "/store", scale: scale)
        let b = try BenchmarkStore.build(home: second.path + "/store", scale: scale)
        #expect(a.messages == b.messages)
        #expect(a.transcriptBytes == b.transcriptBytes)
        #expect(a.truncatedSessions == b.truncatedSessions)
        #expect(a.missingRows == b.missingRows)
        // Sessions 7, 43, 71 and 107 are planted; one too short to lose rows is left whole.
        #expect(a.truncatedSessions >= 3)
        // Byte for byte the same transcripts, gzip archives included.
        let files = try #require(FileManager.default.subpaths(atPath: first.path + "/store/sessions")).filter { $0.contains(".jsonl") }.sorted()
        #expect(files.count == 120)
        #expect(files == FileManager.default.subpaths(atPath: second.path + "/store/sessions")?.filter { $0.contains(".jsonl") }.sorted())
        for file in files {
            let one = try Data(contentsOf: URL(fileURLWithPath: first.path + "/store/sessions/" + file))
            let two = try Data(contentsOf: URL(fileURLWithPath: second.path + "/store/sessions/" + file))
            #expect(one == two, "\(file) differs between two runs")
        }
    }

    @Test func referenceAuditsAgreeWithTheScan() async throws {
        let directory = TemporaryDirectory("bench")
        let home = directory.path + "/store"
        let summary = try BenchmarkStore.build(home: home, scale: .init(sessions: 60, megabytes: 1, seed: 3))
        let report = try await StoreRun.scan(home)
        #expect(report.summary[.truncated] == summary.truncatedSessions)
        #expect(report.summary.missingMessages == summary.missingRows)
        let script = URL(fileURLWithPath: FixtureSchema.fixturesDirectory).deletingLastPathComponent().path + "/Benchmarks/reference_scan.py"
        let reference = try CommandRunner.shell("python3 '\(script)' '\(home)'")
        #expect(reference.standardOutput == "60 sessions, \(summary.truncatedSessions) with fewer rows than transcript messages\n",
                "\(reference.standardError)")
    }
}
