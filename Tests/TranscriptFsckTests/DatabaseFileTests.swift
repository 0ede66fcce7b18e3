import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A database with a damaged page is called damaged, in one line that says what to do, by scan and repair alike.
@Suite(.tags(.store)) struct DamagedDatabaseTests {
    @Test func onePageOverwrittenIsADamagedDatabaseNotAnotherFile() throws {
        let session = try TruncatedSession(count: 400, keepNewest: 300, seed: 72)
        let connection = try SQLiteConnection(path: session.databasePath, mode: .readWrite)
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let pageSize = try connection.prepare("PRAGMA page_size").singleInteger() ?? 4096
        // The messages' b-tree pages: fill a few with garbage, as a bad sector or a torn copy leaves them.
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: session.databasePath))
        try file.seek(toOffset: UInt64(pageSize * 3))
        try file.write(contentsOf: Data(repeating: 0xA5, count: Int(pageSize) * 8))
        try file.close()
        for command in ["scan", "repair"] {
            let result = try CommandRunner.fsck([command, "--home", session.home, "--no-backup"].filter { command == "repair" || $0 != "--no-backup" })
            #expect(result.status == 2, "\(command): \(result.standardOutput)")
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].count < 600, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("the database is damaged"), "\(command): \(result.standardError)")
            #expect(!result.standardError.contains("not a SQLite database") && !result.standardError.contains("\\u{"))
        }
    }
}

/// A store on a read-only mount (a backup, a ZFS or LVM snapshot, a restic mount: the safe place to audit).
@Suite(.tags(.store)) struct ReadOnlySnapshotTests {
    @Test(.enabled(if: geteuid() == 0, "needs root: it bind-mounts the store read-only"))
    func aCleanlyClosedWALStoreOnAReadOnlyMountIsAudited() throws {
        let directory = TemporaryDirectory("snapshot")
        let mountPoint = TemporaryDirectory("mount")
        try DemoStore.build(home: directory.path)
        // Cleanly closed: the WAL checkpointed and gone, as the agent leaves it when it stops.
        let close = try CommandRunner.shell("python3 -c \"import sqlite3; c = sqlite3.connect('\(directory.path)/state.db'); "
                                            + "c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()\"")
        try #require(close.status == 0)
        try? FileManager.default.removeItem(atPath: directory.path + "/state.db-wal")
        try? FileManager.default.removeItem(atPath: directory.path + "/state.db-shm")
        let mount = try CommandRunner.shell("mount --bind '\(directory.path)' '\(mountPoint.path)' && mount -o remount,bind,ro '\(mountPoint.path)'")
        try #require(mount.status == 0, "cannot bind-mount read-only here: \(mount.standardError)")
        defer { _ = try? CommandRunner.shell("umount '\(mountPoint.path)'") }
        let scan = try CommandRunner.fsck(["scan", "--home", mountPoint.path, "--format", "json"])
        #expect(scan.status == 1, "\(scan.standardError)")
        #expect(scan.standardOutput.contains("\"truncated\": 4"), "\(scan.standardOutput)")
        let doctor = try CommandRunner.fsck(["doctor", "--home", mountPoint.path])
        #expect(doctor.standardOutput.contains("read as a snapshot that cannot change"), "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains("is on a read-only file system: scan works"), "\(doctor.standardOutput)")
        #expect(!doctor.standardOutput.contains("run as the user that owns"))
    }
}

/// The export writes the database's rows back as the agent's transcript: exactly as stored, or not at all.
@Suite(.tags(.store)) struct ExportExactnessTests {
    @Test func aRowThatIsNotUTF8IsRefusedWithItsIDNotAltered() throws {
        let session = try TruncatedSession(count: 4, keepNewest: 4, seed: 81)
        try session.store.connection.execute("INSERT INTO messages (session_id, role, content, timestamp) "
                                             + "VALUES ('s', 'user', CAST(X'6361666580ff' AS TEXT), 1772000100)")
        let id = try AgentView.integer(session.databasePath, "SELECT max(id) FROM messages") ?? 0
        let target = session.directory.file("out.jsonl")
        let export = try CommandRunner.fsck(["export", "--home", session.home, "--session", "s", "--output", target])
        #expect(export.status == 2)
        #expect(export.standardError.contains("row id \(id): its content is not valid UTF-8 at byte 4"), "\(export.standardError)")
        #expect(export.standardError.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
