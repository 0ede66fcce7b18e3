import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// The repair lock beside the database: never followed through a link, and owned as the database is.
@Suite(.tags(.store)) struct RepairLockTests {
    @Test func aLinkPlantedAtTheLocksNameIsRefusedAndNothingIsCreatedWhereItPoints() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 70)
        let target = session.directory.file("nologin")
        try FileManager.default.createSymbolicLink(atPath: session.databasePath + ".repair.lock", withDestinationPath: target)
        let repair = try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"])
        #expect(repair.status == 2)
        #expect(repair.standardError.contains("the repair lock is a symbolic link"), "\(repair.standardError)")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM messages") == 2)
        let doctor = try CommandRunner.fsck(["doctor", "--home", session.home])
        #expect(doctor.standardOutput.contains("is a symbolic link: a repair refuses to follow it"), "\(doctor.standardOutput)")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: it gives the store to another user"))
    func aRepairRunAsRootLeavesALockTheDatabasesOwnerCanTake() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 71)
        let lock = session.databasePath + ".repair.lock"
        // An earlier root run's lock, root:root 0644, then the store given to the agent's user.
        #expect(FileManager.default.createFile(atPath: lock, contents: nil, attributes: [.posixPermissions: 0o644]))
        for path in [session.home, session.databasePath, session.databasePath + "-wal", session.databasePath + "-shm"]
            where FileManager.default.fileExists(atPath: path) {
            Nobody.give(path)
        }
        let repair = try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"])
        #expect(repair.status == 0, "\(repair.standardOutput)\(repair.standardError)")
        var status = stat()
        #expect(stat(lock, &status) == 0)
        #expect(status.st_uid == 65534 && status.st_gid == 65534)
        // A lock the repair makes anew takes the database's owner and mode too.
        unlink(lock)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite)
            .execute("DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT 3)")
        #expect(try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"]).status == 0)
        var database = stat()
        #expect(stat(lock, &status) == 0 && stat(session.databasePath, &database) == 0)
        #expect(status.st_uid == 65534 && status.st_mode & 0o777 == database.st_mode & 0o666)
    }
}
