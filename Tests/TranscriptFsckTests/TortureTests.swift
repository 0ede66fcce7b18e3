import Foundation
import Testing
@testable import TranscriptFsck

/// `make torture`: the long fault runs, off unless TRANSCRIPT_FSCK_TORTURE is set. `make test` runs short versions
/// of each (RepairCommandTests, LiveWriterTests, ReliabilityTests).
@Suite(.tags(.store),
       .enabled(if: ProcessInfo.processInfo.environment["TRANSCRIPT_FSCK_TORTURE"] != nil, "set TRANSCRIPT_FSCK_TORTURE=1 (make torture)"))
struct TortureTests {
    /// Kill points over one large repair; each is a fresh copy of the store killed after a seeded number of committed rows.
    @Test func repairSurvivesFiftyKillPoints() throws {
        let directory = TemporaryDirectory("torture")
        let pristine = directory.path + "/pristine"
        let sessions = try KillFixture.build(home: pristine, sessions: 200)
        let initial = try #require(try AgentView.integer(pristine + "/state.db", "SELECT count(*) FROM messages"))
        let missing = Int64(sessions.reduce(0) { $0 + $1.messages.count - $1.surviving })
        var seed: UInt64 = 0x5EED
        var survived = 0
        var partial = 0
        for point in 0..<50 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let target = initial + Int64(seed >> 33) % missing
            let home = directory.path + "/run-\(point)"
            try FileManager.default.copyItem(atPath: pristine, toPath: home)
            let database = home + "/state.db"
            _ = try KillFixture.killRepair(home: home, atRows: target)
            let whole = try KillFixture.checkWholeOrUntouched(home: home, sessions)
            if whole > 0, whole < sessions.count { partial += 1 }
            #expect(try CommandRunner.fsck(["repair", "--home", home, "--no-backup"]).status == 0)
            for session in sessions.prefix(20) { #expect(try AgentView.matches(database, session: session.id, session.messages)) }
            #expect(try CommandRunner.fsck(["scan", "--home", home]).status == 0)
            survived += 1
            try FileManager.default.removeItem(atPath: home)
        }
        print("torture: \(survived) kill points survived, \(partial) of them in the middle of the write phase")
        #expect(survived == 50)
    }

    @Test func scanAndRepairBesideAWriterForLonger() throws {
        let session = try TruncatedSession("live", count: 400, keepNewest: 3, seed: 61)
        let writer = try CommandRunner.start("fsck-fixtures", ["append-messages", session.databasePath, "live", "400",
                                                                "--interval", "0.01", "--transcript", session.home + "/sessions/live.jsonl"])
        var rounds = 0
        while writer.process.isRunning {
            LiveWriterOutcome.expectExplained(try CommandRunner.fsck(["scan", "--home", session.home, "--format", "json"]))
            LiveWriterOutcome.expectExplained(try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup", "--format", "json"]))
            rounds += 1
        }
        writer.process.waitUntilExit()
        #expect(try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"]).status == 0)
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM messages WHERE session_id = 'live'") == 800)
        #expect(try CommandRunner.fsck(["scan", "--home", session.home]).status == 0)
        print("torture: \(rounds) scan+repair rounds beside a writer of 400 messages; all 800 messages kept once")
    }
}
