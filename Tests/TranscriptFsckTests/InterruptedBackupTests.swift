import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A backup cut short leaves no full-size partial copy, and one a killed run left is named until it is removed.
@Suite(.tags(.store)) struct InterruptedBackupTests {
    @Test func aPartialCopyLeftByAKilledRunIsNamedByDoctorAndTheNextRepair() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 80)
        #expect(kill(999_999, 0) != 0)  // no such process
        let partial = session.databasePath + ".bak-20261201-120000.partial-999999"
        for suffix in ["", "-wal"] { #expect(FileManager.default.createFile(atPath: partial + suffix, contents: Data(count: 4096))) }
        let doctor = try CommandRunner.fsck(["doctor", "--home", session.home])
        #expect(doctor.standardOutput.contains("\(partial), \(partial)-wal: left by a backup that was interrupted"), "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains("rm '\(partial)' '\(partial)-wal'"))
        let repair = try CommandRunner.fsck(["repair", "--home", session.home])
        #expect(repair.standardOutput.contains("warning: \(partial): a partial copy left by a backup that was interrupted"), "\(repair.standardOutput)")
    }

    /// `megabytes` of pages for the backup to copy, so that it is still copying when the signal comes.
    private func pad(_ database: String, megabytes: Int) throws {
        try SQLiteConnection(path: database, mode: .readWrite).execute("""
            CREATE TABLE padding (b BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(megabytes)) INSERT INTO padding SELECT zeroblob(1 << 20) FROM n;
            """)
    }

    /// Starts the repair, waits until each of `directories` holds a partial backup, and sends `signal` (`times` times).
    private func interrupt(_ arguments: [String], copyingInto directories: [String], with signal: Int32, times: Int = 1) throws -> CommandResult {
        let repair = try CommandRunner.start("transcript-fsck", ["repair"] + arguments)
        func copying() throws -> Bool {
            try directories.allSatisfy { try FileManager.default.contentsOfDirectory(atPath: $0).contains { $0.contains(".partial-") } }
        }
        var started = false
        for _ in 0..<4_000 where !started {
            usleep(2_000)
            started = try copying()
        }
        try #require(started, "the backups never started")
        for _ in 0..<times {
            usleep(20_000)
            kill(repair.process.processIdentifier, signal)
            // Signals of one kind do not queue: a second sent before the first was taken would merge into it, which a
            // loaded machine did, and the run then finished its backup as after one signal.
            waitUntilTaken(signal, by: repair.process.processIdentifier)
        }
        return repair.finish()
    }

    /// Waits (at most 5 s) until `signal` is no longer pending for the process, in `/proc/PID/status`.
    private func waitUntilTaken(_ signal: Int32, by pid: Int32) {
        let bit = UInt64(1) << UInt64(signal - 1)
        for _ in 0..<2_500 {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return }
            let pending = status.split(separator: "\n").filter { $0.hasPrefix("SigPnd:") || $0.hasPrefix("ShdPnd:") }
                .compactMap { UInt64($0.split(separator: "\t").last.map(String.init) ?? "", radix: 16) }
            if pending.allSatisfy({ $0 & bit == 0 }) { return }
            usleep(2_000)
        }
    }

    /// In `directory`: no partial copy, and every backup there whole.
    private func backups(in directory: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".bak-") }
        #expect(names.allSatisfy { !$0.contains(".partial-") }, "\(names)")
        for name in names { #expect(try AgentView.text(directory + "/" + name, "PRAGMA integrity_check") == "ok") }
        return names
    }

    /// A signal during the backup lets it finish (a backup cannot stop half way), then the run stops before the first
    /// session, says so, and dies of the signal.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalDuringTheBackupStopsTheRunBeforeAnySessionIsWritten(signal: Int32) throws {
        let directory = TemporaryDirectory("interrupt")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        try pad(database, megabytes: 256)
        let result = try interrupt(["--home", directory.path, "--create-missing"], copyingInto: [directory.path], with: signal)
        #expect(result.status == signal, "\(result.standardError)")
        #expect(try backups(in: directory.path).count == 1)
        #expect(result.standardOutput.contains("written whole") && result.standardOutput.contains("backup: "), "\(result.standardOutput)")
        #expect(try AgentView.integer(database, "SELECT count(*) FROM messages WHERE session_id = '20260302_101500_d4e5f6'") == 6)
    }

    /// A second signal stops at once: the partial copy is removed, nothing is written.
    @Test func aSecondSignalDuringTheBackupStopsAtOnceAndLeavesNoPartialCopy() throws {
        let directory = TemporaryDirectory("interrupt-twice")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        try pad(database, megabytes: 256)
        let result = try interrupt(["--home", directory.path], copyingInto: [directory.path], with: SIGINT, times: 2)
        #expect(result.status == SIGINT, "\(result.standardError)")
        #expect(try backups(in: directory.path).isEmpty)
        #expect(try AgentView.integer(database, "SELECT count(*) FROM messages WHERE session_id = '20260302_101500_d4e5f6'") == 6)
    }

    // Two profiles' backups at once (--jobs 2): each finishes whole or goes, none is left partial, nothing is written.
    @Test func aSignalDuringTwoProfilesBackupsAtOnceLeavesNeitherPartialCopy() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 30, 4)])
        for profile in ["default", "coder"] { try pad(root.database(profile), megabytes: 192) }
        let homes = [root.home("default"), root.home("coder")]
        let result = try interrupt(["--home", root.root, "--jobs", "2"], copyingInto: homes, with: SIGINT)
        #expect(result.status == SIGINT, "\(result.standardError)")
        for home in homes { _ = try backups(in: home) }
        #expect(try !root.isWhole("default") && !root.isWhole("coder"))
    }
}
