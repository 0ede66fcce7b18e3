import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A backup cut short leaves no full-size partial copy, and one a killed run left is named until it is removed.
@Suite struct InterruptedBackupTests {
    @Test func aPartialCopyLeftByAKilledRunIsNamedByDoctorAndTheNextRepair() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 80)
        #expect(kill(999_999, 0) != 0)  // no such process
        let partial = session.databasePath + ".bak-20261201-120000.partial-999999"
        for suffix in ["", "-wal"] { FileManager.default.createFile(atPath: partial + suffix, contents: Data(count: 4096)) }
        let doctor = try CommandRunner.fsck(["doctor", "--home", session.home])
        #expect(doctor.standardOutput.contains("\(partial), \(partial)-wal: left by a backup that was interrupted"), "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains("rm '\(partial)' '\(partial)-wal'"))
        let repair = try CommandRunner.fsck(["repair", "--home", session.home])
        #expect(repair.standardOutput.contains("warning: \(partial): a partial copy left by a backup that was interrupted"), "\(repair.standardOutput)")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringTheBackupLeavesNoPartialCopy(signal: Int32) throws {
        let directory = TemporaryDirectory("interrupt")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        // 256 MiB of pages for the backup to copy, so that it is still copying when the signal comes.
        try SQLiteConnection(path: database, mode: .readWrite).execute("""
            CREATE TABLE padding (b BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 256) INSERT INTO padding SELECT zeroblob(1 << 20) FROM n;
            """)
        let repair = try CommandRunner.start("transcript-fsck", ["repair", "--home", directory.path, "--create-missing"])
        var partials: [String] = []
        for _ in 0..<4_000 where partials.isEmpty {
            usleep(2_000)
            partials = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".partial-") }
        }
        try #require(!partials.isEmpty, "the backup never started")
        usleep(20_000)
        kill(repair.process.processIdentifier, signal)
        let result = repair.finish()
        #expect(result.status == signal, "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".bak-") })
        #expect(try AgentView.integer(database, "SELECT count(*) FROM messages WHERE session_id = '20260302_101500_d4e5f6'") == 6)
    }
}
