import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// What an operator at a terminal or a script sees of a repair: the dry run's exit status and words, a repair queued
/// behind another, an interrupted repair, the progress line.
@Suite(.tags(.store)) struct OperatorRepairTests {
    @Test func aDryRunWithWorkExitsOneAndSaysWhatWouldHappenThenZeroOnceRepaired() throws {
        let session = try TruncatedSession(count: 40, keepNewest: 3, seed: 22)
        let dryRun = try CommandRunner.fsck(["repair", "--home", session.home, "--dry-run"])
        #expect(dryRun.status == 1, "there is something to write, as git diff --exit-code says")
        #expect(dryRun.standardOutput.contains("would insert 37 messages; would backfill 1, create 0, refuse 0, defer 0; 0 unchanged"))
        #expect(dryRun.standardOutput.contains("Run again without --dry-run to write"))
        #expect(!dryRun.standardOutput.contains("backfilled"))
        #expect(try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"]).status == 0)
        let after = try CommandRunner.fsck(["repair", "--home", session.home, "--dry-run"])
        #expect(after.status == 0, "\(after.standardOutput)")
        #expect(after.standardOutput.contains("Nothing to write"))
    }

    /// Another store's transcripts beside this database: the repair would create every one of their sessions, so the
    /// scan and the dry run say that none of them belongs here; the store's own transcripts raise no such warning.
    @Test func transcriptsOfAnotherStoreAreNamedAsSuchBeforeARepairCreatesThem() throws {
        let ours = TemporaryDirectory("ours"), theirs = try TruncatedSession("theirs", count: 12, keepNewest: 2, seed: 24)
        try DemoStore.build(home: ours.path)
        let arguments = ["--db", ours.path + "/state.db", "--transcripts", theirs.home + "/sessions"]
        let dryRun = try CommandRunner.fsck(["repair", "--dry-run", "--create-missing"] + arguments)
        #expect(dryRun.standardOutput.contains("warning: no session of the 1 transcript in \(theirs.home)/sessions is among the "),
                "\(dryRun.standardOutput)")
        #expect(dryRun.standardOutput.contains("if they are another store's, --transcripts and --db or --home disagree"))
        let scan = try CommandRunner.fsck(["scan", "--format", "json"] + arguments)
        #expect(scan.standardOutput.contains("if they are another store's, --transcripts and --db or --home disagree"))
        let own = try CommandRunner.fsck(["scan", "--home", theirs.home])
        #expect(!own.standardOutput.contains("another store's"))
    }

    /// The second of two repairs waits for the first, then plans from what it left: nothing to write, so no backup
    /// and no session "changed while being repaired".
    @Test func aRepairQueuedBehindAnotherPlansAfterTheWaitAndMakesNoBackupForNothing() throws {
        let session = try TruncatedSession(count: 40, keepNewest: 3, seed: 23)
        let done = TemporaryDirectory("done")
        try FileManager.default.copyItem(atPath: session.home, toPath: done.path + "/home")
        #expect(try CommandRunner.fsck(["repair", "--home", done.path + "/home", "--no-backup"]).status == 0)
        try StoreFiles.checkpoint(done.path + "/home/state.db")

        let lock = open(session.home + "/state.db.repair.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX) == 0)
        let queued = try CommandRunner.start("transcript-fsck", ["repair", "--home", session.home, "--format", "json"])
        var waited = ""
        while !waited.contains("another repair holds it") {
            waited += String(decoding: queued.errorPipe.fileHandleForReading.availableData, as: UTF8.self)
        }
        // Meanwhile the repair holding the lock completes the session: its database takes the store's place.
        for suffix in ["-wal", "-shm"] { unlink(session.databasePath + suffix) }
        #expect(rename(done.path + "/home/state.db", session.databasePath) == 0)
        flock(lock, LOCK_UN)
        let result = queued.finish()
        #expect(result.status == 0, "\(waited)\(result.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(document["backup"] is NSNull)
        #expect((document["summary"] as? [String: Int])?["inserted_messages"] == 0)
        #expect(!result.standardError.contains("planning it again"))
        let backups = try FileManager.default.contentsOfDirectory(atPath: session.home).filter { $0.contains(".bak-") }
        #expect(backups.isEmpty)
    }

    /// SIGINT or SIGTERM in the write: the session in flight is finished, the rest left as they were, the report printed
    /// (by which signal, what was written, the backup), and the process dies of the signal, as its parent expects.
    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptedRepairFinishesTheSessionInFlightReportsAndDiesOfTheSignal(signal: Int32) throws {
        let directory = TemporaryDirectory("interrupt")
        let home = directory.path + "/store"
        let sessions = try KillFixture.build(home: home)
        let target = try KillFixture.rows(of: home, onceRepaired: 20, of: sessions)
        let (process, result) = try KillFixture.signalRepair(home: home, atRows: target, signal, arguments: ["--format", "json"])
        #expect(process.terminationReason == .uncaughtSignal, "\(result.standardOutput)\(result.standardError)")
        #expect(process.terminationStatus == signal)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                                    "the report is printed before the process dies: \(result.standardError)")
        #expect(document["interrupted_by"] as? String == (signal == SIGINT ? "SIGINT" : "SIGTERM"))
        let backup = try #require(document["backup"] as? String)
        #expect(FileManager.default.fileExists(atPath: backup))
        let summary = try #require(document["summary"] as? [String: Int])
        let whole = try KillFixture.checkWholeOrUntouched(home: home, sessions)
        #expect(summary["backfilled"] == whole)
        #expect(whole >= 20 && whole < sessions.count)
        #expect(summary["deferred"] == sessions.count - whole)

        let finish = try CommandRunner.fsck(["repair", "--home", home, "--no-backup"])
        #expect(finish.status == 0)
        #expect(try KillFixture.checkWholeOrUntouched(home: home, sessions) == sessions.count)
    }

    /// A root's profiles repaired one after the other: interrupted in the first, the report still has every store, the
    /// first stopped after its session in flight, the one not begun said to be untouched.
    @Test func anInterruptedRepairOfSeveralStoresReportsEachAndLeavesTheRestUntouched() throws {
        let directory = TemporaryDirectory("interrupt-root")
        let root = directory.path + "/root"
        let sessions = try KillFixture.build(home: root)
        let later = try KillFixture.build(home: root + "/profiles/later", sessions: 10)
        let target = try KillFixture.rows(of: root, onceRepaired: 20, of: sessions)
        let (process, result) = try KillFixture.signalRepair(home: root, atRows: target, SIGINT, arguments: ["--no-backup", "--profile", "default", "--profile", "later"])
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT, "\(result.standardError)")
        #expect(result.standardOutput.contains("Interrupted by SIGINT: "), "\(result.standardOutput)")
        #expect(result.standardError.contains("later: interrupted (SIGINT) before this store was come to: nothing of it was read or written"),
                "\(result.standardError)")
        let whole = try KillFixture.checkWholeOrUntouched(home: root, sessions)
        #expect(whole >= 20 && whole < sessions.count)
        #expect(try KillFixture.checkWholeOrUntouched(home: root + "/profiles/later", later) == 0)
    }

    /// SIGHUP ignored when the repair starts (`nohup`) stays ignored, through the backup and the write.
    @Test func aRepairUnderNohupIgnoresTheHangUp() throws {
        let directory = TemporaryDirectory("nohup")
        let home = directory.path + "/store"
        let sessions = try KillFixture.build(home: home)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' HUP; exec '\(CommandRunner.path(of: "transcript-fsck"))' repair --home '\(home)' --jobs 1 --lock-budget 0 >/dev/null 2>&1"]
        try process.run()
        // The test's own reads below are another process's connection to the repair: with a lock budget, a loaded machine
        // (a session's write past 150 ms) would defer sessions, which is not what this test is about.
        // During the backup (its partial copy is there), then during the write.
        var sent = 0
        while process.isRunning, sent < 2 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []
            if sent == 0, names.contains(where: { $0.contains(".partial-") }) || names.contains(where: { $0.contains(".bak-") }) {
                kill(process.processIdentifier, SIGHUP)
                sent += 1
            } else if sent == 1, try AgentView.integer(home + "/state.db", "SELECT count(*) FROM messages") ?? 0
                        >= KillFixture.rows(of: home, onceRepaired: 1, of: sessions) {
                kill(process.processIdentifier, SIGHUP)
                sent += 1
            }
            usleep(1000)
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(process.terminationStatus)")
        #expect(try KillFixture.checkWholeOrUntouched(home: home, sessions) == sessions.count)
    }

    @Test func anInterruptedRepairSaysSoInWords() throws {
        let directory = TemporaryDirectory("interrupt-words")
        let home = directory.path + "/store"
        let sessions = try KillFixture.build(home: home, sessions: 60)
        let (_, result) = try KillFixture.signalRepair(home: home, atRows: try KillFixture.rows(of: home, onceRepaired: 1, of: sessions), SIGTERM)
        let whole = try KillFixture.checkWholeOrUntouched(home: home, sessions)
        #expect(result.standardOutput.contains("Interrupted by SIGTERM: \(Counted(whole, "session").text) written whole, "
                                               + "\(sessions.count - whole) not come to and left as they were; run the repair again to finish."),
                "\(result.standardOutput)")
        #expect(result.standardOutput.contains("the repair was interrupted (SIGTERM) before it came to this session"))
    }

    /// On a terminal the write shows its progress on standard error; not with --quiet, NO_COLOR or TERM=dumb.
    @Test(arguments: [([String](), ["TERM": "xterm"], true), (["--quiet"], ["TERM": "xterm"], false),
                      ([], ["TERM": "xterm", "NO_COLOR": "1"], false), ([], ["TERM": "dumb"], false)])
    func theWriteShowsProgressOnlyOnATerminalThatWantsIt(arguments: [String], environment: [String: String], shown: Bool) throws {
        let directory = TemporaryDirectory("progress")
        let home = directory.path + "/store"
        try KillFixture.build(home: home, sessions: 60)
        let command = ([CommandRunner.path(of: "transcript-fsck"), "repair", "--home", home, "--no-backup", "--jobs", "1"] + arguments)
            .map { "'\($0)'" }.joined(separator: " ")
        // script(1) gives the repair a terminal; what it wrote there comes back on standard output.
        let variables = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let result = try CommandRunner.shell("env -u NO_COLOR \(variables) script -qec \"\(command) >/dev/null\" /dev/null")
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("writing: ") == shown, "\(result.standardOutput)")
        if shown { #expect(result.standardOutput.contains(" sessions, ") && result.standardOutput.contains(" rows/s,")) }
    }
}
