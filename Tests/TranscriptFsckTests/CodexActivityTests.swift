import Foundation
import Testing
@testable import TranscriptFsck

/// A repair must never write beside a running codex: these check that the signs codex leaves while it runs are seen,
/// and that what it leaves after a clean exit (its `-wal` and `-shm`) is not taken for one.
@Suite struct CodexActivityTests {
    /// Runs `command` in the background holding `home`'s resource until its standard input closes; waits for `ready`.
    @Test(.tags(.store)) func aWriterLockHeldByAnotherProcessIsATurnBeingWritten() throws {
        let directory = TemporaryDirectory("codex-activity")
        let home = directory.path
        try FileManager.default.createDirectory(atPath: home + "/thread-writer-locks", withIntermediateDirectories: true)
        try directory.write("state_5.sqlite", [])
        let lock = home + "/thread-writer-locks/019a.lock"
        try directory.write("thread-writer-locks/.coordination.lock", [])
        try directory.write("thread-writer-locks/019a.lock", [])
        #expect(CodexHome(path: home).activity() == nil)
        let ready = directory.file("ready")
        let holder = try LockHolder(["flock", lock, "sh", "-c", "touch '\(ready)'; cat >/dev/null"], ready: ready)
        #expect(CodexHome(path: home).activity() == .threadBeingWritten(lockPath: lock))
        holder.release()
        #expect(CodexHome(path: home).activity() == nil)
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexHomes.versions)
    func theReleasedCodexIsSeenWhileItHasTheHomeOpenAndNotAfter(version: String) throws {
        let made = try CodexHomes.of(version).experiment("baseline")
        let original = try #require(made.home)
        // A copy of its own, so that this codex start changes no home another test reads.
        let directory = TemporaryDirectory("codex-activity")
        let home = directory.file("home")
        try FileManager.default.copyItem(atPath: original, toPath: home)
        let ready = directory.file("ready")
        let holder = try LockHolder(["python3", InteropScripts.directory + "/codex/hold_open.py", CodexHomes.binary(version), home, ready],
                                ready: ready)
        #expect(FileManager.default.fileExists(atPath: ready), "codex app-server did not start on \(home)")
        #expect(CodexHome(path: home).activity() == .databaseOpen(path: home + "/state_5.sqlite"))
        holder.release()
        #expect(CodexHome(path: home).activity() == nil)
    }
}
