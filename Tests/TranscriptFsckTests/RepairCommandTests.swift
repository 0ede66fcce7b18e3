import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// `transcript-fsck repair` as a separate process: beside other writers, under SIGKILL, and its exit statuses.
@Suite(.tags(.store)) struct RepairCommandTests {
    @Test func dryRunLeavesTheFileByteIdentical() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        try StoreFiles.checkpoint(database)
        let before = try StoreFiles.bytes(database)
        let result = try CommandRunner.fsck(["repair", "--home", directory.path, "--dry-run"])
        #expect(result.status == 1, "three sessions are refused")
        #expect(result.standardOutput.contains("plan: backfill"))
        #expect(result.standardOutput.contains("994 rows before row id"))
        #expect(try StoreFiles.bytes(database) == before)
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".bak-") }
        #expect(backups.isEmpty)
    }

    @Test func repairOfRepairableProblemsExitsZeroAndScanThenExitsZero() throws {
        let session = try TruncatedSession(count: 40, keepNewest: 3, seed: 21)
        let repair = try CommandRunner.fsck(["repair", "--home", session.home, "--format", "json"])
        #expect(repair.status == 0, "\(repair.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(repair.standardOutput.utf8)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary["inserted_messages"] == 37)
        #expect(summary["backfilled"] == 1)
        let sessions = try #require(document["sessions"] as? [[String: Any]])
        #expect(sessions.first?["action"] as? String == "backfilled")
        #expect(sessions.first?["inserted"] as? Int == 37)
        #expect(try CommandRunner.fsck(["scan", "--home", session.home]).status == 0)
    }

    @Test func backupAndNoBackupTogetherAreABadArgument() throws {
        let result = try CommandRunner.fsck(["repair", "--backup", "/tmp/x.db", "--no-backup"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("exclude each other"))
    }

    @Test func repairWaitsForAnotherWriterAndKeepsItsRows() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        let holder = try CommandRunner.start("fsck-fixtures", ["hold-write-lock", database, "3"])
        let ready = holder.outputPipe.fileHandleForReading.availableData
        #expect(String(decoding: ready, as: UTF8.self).contains("locked"))
        let result = try CommandRunner.fsck(["repair", "--home", directory.path, "--no-backup", "--create-missing", "--busy-timeout", "30", "--jobs", "1"])
        holder.process.waitUntilExit()
        #expect(holder.process.terminationStatus == 0)
        #expect(result.status == 1, "only the three refused sessions")
        #expect(result.standardError.contains("waiting for the write lock"))
        #expect(result.standardOutput.contains("inserted 1234 messages"))
        #expect(try AgentView.rows(database, session: "held-lock-session").count == 1)
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path, "--format", "json"]).standardOutput.contains("\"truncated\": 0"))
    }

    @Test func lockHeldLongerThanTheBusyTimeoutRefusesAndWritesNothing() throws {
        let session = try TruncatedSession(count: 30, keepNewest: 3, seed: 22)
        let holder = try CommandRunner.start("fsck-fixtures", ["hold-write-lock", session.databasePath, "6"])
        _ = holder.outputPipe.fileHandleForReading.availableData
        let result = try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup", "--busy-timeout", "1"])
        holder.process.waitUntilExit()
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("refused"))
        #expect(result.standardOutput.contains("the database stayed locked"))
        #expect(try AgentView.rows(session.databasePath, session: "s").count == 3)
    }

    @Test func anotherRepairHoldingTheRepairLockStopsThisOne() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let lockPath = directory.path + "/state.db.repair.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        let result = try CommandRunner.fsck(["repair", "--home", directory.path, "--busy-timeout", "1"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("another repair holds this lock"))
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".bak-") }
        #expect(backups.isEmpty)
    }

    @Test(arguments: [1, 40, 100])
    func killedRepairLeavesEverySessionWholeOrUntouched(afterSessions: Int) throws {
        let directory = TemporaryDirectory("kill")
        let home = directory.path + "/store"
        let sessions = try KillFixture.build(home: home)
        let database = home + "/state.db"
        // Kill as soon as the commits show that this many sessions are in: always inside the write phase.
        let target = try KillFixture.rows(of: home, onceRepaired: afterSessions, of: sessions)
        #expect(try KillFixture.killRepair(home: home, atRows: target), "the repair finished before it could be killed")
        let repaired = try KillFixture.checkWholeOrUntouched(home: home, sessions)
        #expect(repaired >= afterSessions && repaired < sessions.count, "\(repaired) sessions repaired when killed")
        let finish = try CommandRunner.fsck(["repair", "--home", home, "--no-backup"])
        #expect(finish.status == 0)
        for session in sessions {
            #expect(try AgentView.matches(database, session: session.id, session.messages))
        }
        #expect(try CommandRunner.fsck(["scan", "--home", home]).status == 0)
    }
}
