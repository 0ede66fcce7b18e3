import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// `transcript-fsck scan` as a program: exit status, output formats, and its one-line errors.
@Suite(.tags(.store)) struct ScanCommandTests {
    @Test func cleanStoreExitsZero() throws {
        let session = try TruncatedSession(count: 12, keepNewest: 12, seed: 5)
        let result = try CommandRunner.fsck(["scan", "--home", session.home])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ok 1"))
    }

    @Test func problemsExitOneAndJSONListsEverySession() throws {
        let directory = TemporaryDirectory("demo")
        let planted = try DemoStore.build(home: directory.path)
        let result = try CommandRunner.fsck(["scan", "--home", directory.path, "--format", "json"])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(document["database"] as? String == directory.path + "/state.db")
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary["sessions"] == planted.count)
        #expect(summary["truncated"] == 4)
        #expect(summary["continued"] == 1)
        #expect(summary["missing_messages"] == 114 + 994 + 10 + 30 + 40 + 1 + 46)
        let sessions = try #require(document["sessions"] as? [[String: Any]])
        #expect(sessions.count == planted.count)
        let keys: Set<String> = ["session_id", "status", "transcript_path", "transcript_messages", "database_messages",
                                 "missing_messages", "problems", "warnings"]
        for session in sessions { #expect(Set(session.keys) == keys) }
    }

    @Test func aCodexHomeIsNamedForWhatItIsAndNothingIsWrittenToIt() throws {
        let directory = TemporaryDirectory("codex-home")
        try FileManager.default.createDirectory(atPath: directory.file("sessions/2026/12/03"), withIntermediateDirectories: true)
        try directory.write("sessions/2026/12/03/rollout-2026-12-03T08-00-00-01a23b37-8e1d-74b1-b8b8-9070f24333af.jsonl", text: "{}\n")
        // Held to Hermes, every command names the home for what it is.
        for command in [["scan", "--agent", "hermes"], ["repair", "--dry-run", "--agent", "hermes"], ["repair", "--agent", "hermes"]] {
            let result = try CommandRunner.fsck(command + ["--home", directory.path])
            #expect(result.status == 2, "\(command): \(result.standardError)")
            #expect(result.standardError == "transcript-fsck: \(directory.path): a Codex CLI home (state_5.sqlite, rollouts), not a Hermes "
                    + "one; scan, doctor and repair take it named alone (--home DIR, or --agent codex); runs over several homes "
                    + "read Hermes homes only; nothing was read or written\n", "\(command)")
        }
        // scan, doctor and repair read it as codex's (CodexScanCommandTests, CodexRepairTests): its one rollout is no rollout, and it has no index.
        #expect(try CommandRunner.fsck(["repair", "--home", directory.path]).standardOutput.contains("corrupt  refused"))
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path]).standardOutput.contains("corrupt"))
        #expect(try CommandRunner.fsck(["export", "--home", directory.path, "--session", "x"]).status == 2)
        let doctor = try CommandRunner.fsck(["doctor", "--home", directory.path])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains("warning  index     \(directory.path)/state_5.sqlite: not there"), "\(doctor.standardOutput)")
        #expect(!doctor.standardOutput.contains("transcripts"), "\(doctor.standardOutput)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sessions"])
        // A Hermes home's missing database is still said as before.
        let empty = TemporaryDirectory("no-home")
        #expect(try CommandRunner.fsck(["scan", "--home", empty.path]).standardError.contains("state.db: no such database"))
    }

    @Test func hermesHomeFromTheEnvironmentIsTheDefault() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let result = try CommandRunner.fsck(["scan", "--session", "20260301_090000_a1b2c3"], environment: ["HERMES_HOME": directory.path])
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test func anUnknownSessionIsAnErrorNotACleanResult() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let rows = try AgentView.integer(directory.path + "/state.db", "SELECT count(*) FROM messages")
        for command in [["scan"], ["repair"], ["scan", "--since", directory.file("since.json")]] {
            let result = try CommandRunner.fsck(command + ["--home", directory.path, "--session", "nope", "--session", "20260301_090000_a1b2c3"])
            #expect(result.status == 2, "\(command): \(result.standardOutput)")
            #expect(result.standardError.contains("no session \"nope\" in "), "\(command): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
        #expect(try AgentView.integer(directory.path + "/state.db", "SELECT count(*) FROM messages") == rows)
    }

    @Test(arguments: [
        (["scan", "--jobs", "1000000"], "--jobs must be 1 to 256"), (["scan", "--jobs", "0"], "--jobs must be 1 to 256"),
        (["repair", "--jobs", "257"], "--jobs must be 1 to 256"),
        (["repair", "--busy-timeout", "1e16"], "--busy-timeout must be 0 to 86400"),
        (["repair", "--busy-timeout", "nan"], "--busy-timeout must be 0 to 86400"),
        (["repair", "--lock-budget", "600001"], "--lock-budget must be 0 to 600000"),
    ])
    func numbersOutOfRangeAreUsageErrorsThatSayWhatIsAllowed(arguments: [String], message: String) throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let result = try CommandRunner.fsck(arguments + ["--home", directory.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func sessionIDsWithEscapesOrNewlinesCannotDriveTheTerminalOrForgeALine() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 4, seed: 54)
        let evil = "x\u{1B}]0;owned\u{07}\u{1B}[2J\nok         20260301_000000_forged"
        try session.store.writeTranscript(evil, messages: session.messages)
        for format in ["table", "markdown"] {
            let result = try CommandRunner.fsck(["scan", "--home", session.home, "--format", format])
            #expect(result.status == 1)
            #expect(!result.standardOutput.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(format)")
            #expect(!result.standardOutput.split(separator: "\n").contains { $0.hasPrefix("ok ") || $0.hasPrefix("| `ok") }, "\(format): a forged line")
            #expect(result.standardOutput.contains(#"x\u{1B}]0;owned\u{7}\u{1B}[2J\u{A}ok"#), "\(format): \(result.standardOutput)")
        }
        let json = try CommandRunner.fsck(["scan", "--home", session.home, "--format", "json"])
        #expect(json.standardOutput.contains(#"x\u001b]0;owned\u0007\u001b[2J\nok"#))
    }

    // Markdown shows an id exactly: a backtick in it fences the code span longer, never becomes another character.
    @Test func markdownShowsIDsWithBackticksAsTheyAre() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 4, seed: 56)
        for id in ["a`b``c", "`x", "p|q"] { try session.store.writeTranscript(id, messages: session.messages) }
        let result = try CommandRunner.fsck(["scan", "--home", session.home, "--format", "markdown"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("| ```a`b``c``` | missing |"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("| `` `x `` | missing |"))
        #expect(result.standardOutput.contains("| `p\\|q` | missing |"))
        #expect(!result.standardOutput.contains("a'b"))
    }

    // A path typed relative or absolute names one store: the same metric series, the same --since section.
    @Test func relativeAndAbsolutePathsNameOneStore() throws {
        let session = try TruncatedSession(count: 12, keepNewest: 4, seed: 57)
        let fsck = CommandRunner.path(of: "transcript-fsck")
        let state = session.directory.file("audit.state")
        let relative = try CommandRunner.shell("cd '\(session.home)' && '\(fsck)' scan --home . --since '\(state)' --metrics m.prom")
        #expect(relative.status == 1, "\(relative.standardError)")
        let metrics = try String(contentsOfFile: session.directory.file("m.prom"), encoding: .utf8)
        #expect(metrics.contains("transcript_fsck_problem_sessions{database=\"\(session.databasePath)\"} 1"), "\(metrics)")
        let absolute = try CommandRunner.fsck(["scan", "--home", session.home, "--since", state, "--format", "json"])
        let scan = try #require(try JSONSerialization.jsonObject(with: Data(absolute.standardOutput.utf8)) as? [String: Any])["scan"]
        #expect((scan as? [String: Any])?["unchanged_skipped"] as? Int == 1, "\(absolute.standardOutput)")
    }

    // A cron line cut short to the bare command must not read as success.
    @Test func noCommandIsAUsageErrorNotASuccess() throws {
        let result = try CommandRunner.fsck([])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("SUBCOMMANDS:") && result.standardError.contains("scan"), "\(result.standardError)")
        #expect(try CommandRunner.fsck(["--help"]).status == 0)
    }

    @Test func fileThatIsNotADatabaseExitsTwoWithOneClearLine() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("sessions"), withIntermediateDirectories: true)
        try directory.write("state.db", text: String(repeating: "this is not sqlite\n", count: 300))
        let result = try CommandRunner.fsck(["scan", "--home", directory.path])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.standardError.contains("\(directory.path)/state.db: not a SQLite database"))
    }

    @Test func missingDatabaseExitsTwo() throws {
        let directory = TemporaryDirectory()
        let result = try CommandRunner.fsck(["scan", "--home", directory.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no such database"))
    }

    @Test func databaseWithoutTheHermesTablesExitsTwo() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("sessions"), withIntermediateDirectories: true)
        let connection = try SQLiteConnection(path: directory.file("state.db"), mode: .create)
        try connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        let result = try CommandRunner.fsck(["scan", "--home", directory.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("unknown schema: no table sessions"))
    }

    @Test func badArgumentsExitTwo() throws {
        #expect(try CommandRunner.fsck(["scan", "--jobs", "0"]).status == 2)
        #expect(try CommandRunner.fsck(["scan", "--format", "xml"]).status == 2)
        #expect(try CommandRunner.fsck(["frobnicate"]).status == 2)
    }

    @Test func helpExitsZero() throws {
        let result = try CommandRunner.fsck(["scan", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("--transcripts"))
    }

    /// Sanitizers' shadow memory and quarantine make resident size meaningless, so make sanitize skips this one.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["TRANSCRIPT_FSCK_SANITIZER"] != nil, "RSS under a sanitizer"))
    func scanningALargeTranscriptUsesBoundedMemory() throws {
        let directory = TemporaryDirectory("memory")
        let store = try StoreBuilder(home: directory.path)
        var generator = ConversationGenerator(seed: 6)
        let block = generator.conversation(count: 2_000, start: 1_772_000_000).map { $0.transcriptLine() }.joined(separator: "\n") + "\n"
        let writer = try GzipFileWriter(path: store.sessionsDirectory + "/big.jsonl.gz")
        let bytes = Array(block.utf8)
        var written = 0
        while written < 128 << 20 {
            try writer.write(bytes)
            written += bytes.count
        }
        try writer.close()
        _ = store
        let result = try CommandRunner.fsck(["scan", "--home", directory.path, "--jobs", "1", "--format", "json"])
        #expect(result.status == 1, "the transcript has no rows: missing")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let scan = try #require(document["scan"] as? [String: Any])
        #expect(scan["transcript_bytes"] as? Int == written)
        let peak = try #require(scan["peak_rss_bytes"] as? Int)
        #expect(peak < 64 << 20, "peak RSS \(peak >> 20) MiB scanning \(written >> 20) MiB")
    }
}
