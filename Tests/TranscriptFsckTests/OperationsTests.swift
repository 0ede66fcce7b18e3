import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// What cron jobs, operators and Makefiles use: report formats, files written atomically, metrics,
/// incremental audits, filters, export, doctor.
@Suite(.tags(.store)) struct OperationsTests {
    @Test(.enabled(if: geteuid() == 0, "makes a character device with mknod: needs root"))
    func aDeviceOrAFifoIsWrittenNotReplaced() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let null = directory.file("null")  // a copy of /dev/null: the real one must not be put at risk
        #expect(mknod(null, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)  // makedev(1, 3), the null device
        let result = try CommandRunner.fsck(["scan", "--home", directory.path, "--output", null])
        #expect(result.status == 1, "\(result.standardError)")
        var status = stat()
        #expect(stat(null, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "the device was replaced by a regular file")
        // What /dev/stdout is, a link to the process's descriptor 1 (here a pipe), made where a failing run harms nothing.
        try FileManager.default.createSymbolicLink(atPath: directory.file("stdout"), withDestinationPath: "/proc/self/fd/1")
        let stdout = try CommandRunner.fsck(["scan", "--home", directory.path, "--format", "json", "--output", directory.file("stdout")])
        #expect(stdout.status == 1)
        #expect(stdout.standardOutput.hasPrefix("{"), "\(stdout.standardError)")
    }

    @Test func theStoresOwnFilesAndSymbolicLinksAreRefusedAsOutputs() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let database = directory.path + "/state.db"
        let rows = try AgentView.integer(database, "SELECT count(*) FROM messages")
        for target in [database, directory.path + "/sessions/../state.db", database + "-wal"] {
            let result = try CommandRunner.fsck(["scan", "--home", directory.path, "--output", target])
            #expect(result.status == 2)
            #expect(result.standardError.contains("is the store's own"), "\(result.standardError)")
        }
        let export = try CommandRunner.fsck(["export", "--home", directory.path, "--session", "20260301_090000_a1b2c3", "--output", database])
        #expect(export.status == 2)
        #expect(try AgentView.integer(database, "SELECT count(*) FROM messages") == rows)

        try directory.write("elsewhere.md", text: "keep me\n")
        try FileManager.default.createSymbolicLink(atPath: directory.file("report.md"), withDestinationPath: directory.file("elsewhere.md"))
        let linked = try CommandRunner.fsck(["scan", "--home", directory.path, "--output", directory.file("report.md")])
        #expect(linked.status == 2)
        #expect(linked.standardError.contains("is a symbolic link"))
        #expect(try String(contentsOfFile: directory.file("elsewhere.md"), encoding: .utf8) == "keep me\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("report.md")) == directory.file("elsewhere.md"))
    }

    @Test func aReplacedReportKeepsItsModeAndLeavesNoTemporaryFile() throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        try directory.write("private.md", text: "old\n")
        #expect(chmod(directory.file("private.md"), 0o600) == 0)
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path, "--output", directory.file("private.md")]).status == 1)
        var status = stat()
        #expect(stat(directory.file("private.md"), &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: directory.file("private.md"), encoding: .utf8).contains("truncated"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".tmp-") })
    }

    let directory = TemporaryDirectory("ops")
    let planted: [DemoStore.Planted]
    var home: String { directory.path }
    var problems: Int { planted.filter { $0.status.isProblem }.count }

    init() throws {
        planted = try DemoStore.build(home: directory.path)
    }

    @Test func jsonlIsOneObjectPerSessionThenTheSummary() throws {
        let result = try CommandRunner.fsck(["scan", "--home", home, "--format", "jsonl"])
        #expect(result.status == 1)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == planted.count + 1)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(Set(objects.dropLast().compactMap { $0["session_id"] as? String }) == Set(planted.map(\.sessionID)))
        let summary = try #require(objects.last?["summary"] as? [String: Int])
        #expect(summary["sessions"] == planted.count)
    }

    @Test func markdownListsTheSessionsThatNeedAttention() throws {
        let result = try CommandRunner.fsck(["scan", "--home", home, "--format", "markdown"])
        #expect(result.standardOutput.hasPrefix("# transcript-fsck scan: \(home)/state.db\n"))
        #expect(result.standardOutput.contains("| truncated | 4 |"))
        let rows = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == problems)
    }

    @Test(arguments: ["scan", "repair"])
    func junitValidatesAgainstTheSchemaCISystemsRead(command: String) throws {
        let report = directory.file("\(command).xml")
        let arguments = command == "repair" ? ["--dry-run"] : []
        let result = try CommandRunner.fsck([command, "--home", home, "--format", "junit", "--output", report] + arguments)
        #expect(result.status == 1)
        let schema = FixtureSchema.fixturesDirectory + "/junit.xsd"
        let validation = try CommandRunner.shell("xmllint --noout --schema '\(schema)' '\(report)'")
        #expect(validation.status == 0, "\(validation.standardError)")
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == planted.count)
        // The repair's failures: the three sessions that need a person, and the missing one it creates only when asked.
        #expect(xml.components(separatedBy: "<failure ").count - 1 == (command == "scan" ? problems : 4))
    }

    @Test func outputWritesTheReportToAFileAndTheSummaryToStandardError() throws {
        let report = directory.file("report.json")
        let result = try CommandRunner.fsck(["scan", "--home", home, "--format", "json", "--output", report])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("transcript-fsck scan: sessions \(planted.count), ok 3, truncated 4"))
        #expect(result.standardError.contains("report in \(report)"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect((document?["sessions"] as? [Any])?.count == planted.count)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func outputIntoADirectoryThatDoesNotExistFailsWithoutAPartialFile() throws {
        let result = try CommandRunner.fsck(["scan", "--home", home, "--output", directory.file("missing/report.txt")])
        #expect(result.status == 2)
        #expect(result.standardError.contains("missing/report.txt"))
    }

    @Test func metricsParseWithPrometheusOwnParser() throws {
        let metrics = directory.file("fsck.prom")
        let result = try CommandRunner.fsck(["scan", "--home", home, "--metrics", metrics])
        #expect(result.status == 1)
        let parse = try CommandRunner.shell("""
            \(InteropScripts.toolsPython) -c 'import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    print(sample.name, sample.labels.get("status", "-"), sample.value)' '\(metrics)'
            """)
        #expect(parse.status == 0, "\(parse.standardError)")
        let samples = parse.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        func value(_ name: String, _ status: String = "-") -> Double? {
            samples.first { $0[0] == name && $0[1] == status }.flatMap { Double($0[2]) }
        }
        #expect(value("transcript_fsck_sessions", "truncated") == 4)
        #expect(value("transcript_fsck_sessions", "database_only") == 1)
        #expect(value("transcript_fsck_missing_messages") == 1235)
        #expect(value("transcript_fsck_problem_sessions") == Double(problems))
        #expect((value("transcript_fsck_last_success_timestamp_seconds") ?? 0) > 1_700_000_000)
        #expect((value("transcript_fsck_transcript_bytes_read") ?? 0) > 0)
    }

    @Test func sinceSkipsWhatDidNotChangeAndRereadsWhatDid() async throws {
        let state = directory.file("state.json")
        func scan() async throws -> ScanReport {
            let scanner = StoreScanner(location: StoreRun.location(home))
            return try await IncrementalAudit(scanner: scanner, statePath: state).run()
        }
        let first = try await scan()
        #expect(first.unchangedSkipped == 0)
        let second = try await scan()
        #expect(second.unchangedSkipped == planted.count)
        #expect(second.transcriptBytes == 0)
        #expect(second.findings.map(\.status) == first.findings.map(\.status))
        #expect(second.findings.map(\.problem) == first.findings.map(\.problem))
        #expect(second.findings.map(\.warnings) == first.findings.map(\.warnings))
        #expect(second.findings.map(\.session) == first.findings.map(\.session))
        // A new message in one transcript, and new rows in another session: only those two are read again.
        let store = try SQLiteConnection(path: home + "/state.db", mode: .readWrite)
        try AgentWriter(connection: store).append(sessionID: "20260309_170000_cli001", role: "user", content: "later")
        let path = home + "/sessions/20260301_090000_a1b2c3.jsonl"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"role\": \"user\", \"content\": \"one more\"}\n".utf8))
        try handle.close()
        let third = try await scan()
        #expect(third.unchangedSkipped == planted.count - 2)
        #expect(third.findings.first { $0.sessionID == "20260301_090000_a1b2c3" }?.status == .truncated)
        #expect(third.findings.first { $0.sessionID == "20260309_170000_cli001" }?.databaseMessages == 13)
    }

    @Test func sinceNeverReplacesAFileThatIsNotAStateFile() throws {
        // It runs from cron, often as root: a mistyped --since (~/.ssh/authorized_keys, /etc/passwd) must stay as it was.
        let text = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG example@host\n"
        let foreign = try directory.write("authorized_keys", text: text)
        let result = try CommandRunner.fsck(["scan", "--home", home, "--since", foreign])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(foreign): is not a transcript-fsck state file"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == text)
    }

    @Test func sinceWithADamagedStateFileReadsEverythingAgain() throws {
        let state = directory.file("state.json")
        #expect(try CommandRunner.fsck(["scan", "--home", home, "--since", state]).status == 1)
        #expect(try CommandRunner.fsck(["scan", "--home", home, "--since", state]).standardOutput.contains("15 sessions unchanged"))
        // Cut short in the middle of a session's line, as a full disk leaves no file of ours, but a copy might.
        let whole = try String(contentsOfFile: state, encoding: .utf8)
        try directory.write("state.json", text: String(whole.prefix(whole.count / 2)))
        let cut = try CommandRunner.fsck(["scan", "--home", home, "--since", state, "--format", "json"])
        #expect(cut.standardOutput.contains("unreadable state file (line "), "\(cut.standardOutput)")
        #expect(cut.standardOutput.contains("not a session entry"))
    }

    @Test func sinceWithAnOlderVersionsStateFileReadsEverythingOnceAndSaysWhy() throws {
        // The header 0.2.0 wrote; its session lines have another shape and are not read.
        let state = try directory.write("state-v2.json", text: #"{"format":"transcript-fsck audit state","version":2,"database":"x"}"# + "\n")
        let first = try CommandRunner.fsck(["scan", "--home", home, "--since", state])
        #expect(first.standardOutput.contains("written by another version of transcript-fsck (state file version 2; this one reads 4)"),
                "\(first.standardOutput)")
        #expect(!first.standardOutput.contains("unchanged since the last audit"))
        let second = try CommandRunner.fsck(["scan", "--home", home, "--since", state])
        #expect(second.standardOutput.contains("15 sessions unchanged since the last audit"))
        #expect(!second.standardOutput.contains("another version"))
    }

    @Test func sinceWithSessionKeepsTheOtherSessionsInTheStateFile() throws {
        let state = directory.file("state-filtered.json")
        _ = try CommandRunner.fsck(["scan", "--home", home, "--since", state])
        _ = try CommandRunner.fsck(["scan", "--home", home, "--since", state, "--session", "20260301_090000_a1b2c3"])
        #expect(try CommandRunner.fsck(["scan", "--home", home, "--since", state]).standardOutput.contains("15 sessions unchanged"))
    }

    @Test func filtersNarrowTheSessionsAndTheExitStatus() throws {
        let store = try SQLiteConnection(path: home + "/state.db", mode: .readWrite)
        try store.execute("UPDATE sessions SET source = 'telegram', started_at = 1900000000 WHERE id = '20260302_101500_d4e5f6'")
        let telegram = try CommandRunner.fsck(["scan", "--home", home, "--source", "telegram", "--format", "json"])
        let ids = (try JSONSerialization.jsonObject(with: Data(telegram.standardOutput.utf8)) as? [String: Any])?["sessions"] as? [[String: Any]]
        // The telegram sessions, and the sessions with no row at all (missing, and deleted: no row says where they came from).
        #expect(Set(ids?.compactMap { $0["session_id"] as? String } ?? [])
                == ["20260301_090000_a1b2c3", "20260302_101500_d4e5f6", "20260305_130000_445566", "20260314_220000_de1e7e"])
        let recent = try CommandRunner.fsck(["scan", "--home", home, "--started-after", "2030-01-01", "--status", "truncated"])
        #expect(recent.status == 1)
        #expect(recent.standardOutput.contains("scan: 1 session,"))
        let clean = try CommandRunner.fsck(["scan", "--home", home, "--status", "ok"])
        #expect(clean.status == 0)
        #expect(try CommandRunner.fsck(["scan", "--home", home, "--started-after", "yesterday"]).status == 2)
    }

    @Test(arguments: ["jsonl", "jsonl.gz"])
    func exportRoundTripsThroughScan(format: String) throws {
        let id = "20260309_170000_cli001"
        let target = home + "/sessions/\(id).\(format)"
        let result = try CommandRunner.fsck(["export", "--home", home, "--session", id, "--format", format, "--output", target])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("12 messages"))
        let scan = try CommandRunner.fsck(["scan", "--home", home, "--session", id, "--format", "json"])
        #expect(scan.status == 0)
        #expect(scan.standardOutput.contains("\"status\": \"ok\""))
    }

    @Test func exportOfAnUnknownSessionWritesNothing() throws {
        let target = directory.file("none.jsonl")
        let result = try CommandRunner.fsck(["export", "--home", home, "--session", "no-such", "--output", target])
        #expect(result.status == 2)
        #expect(result.standardError.contains("has no messages"))
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func doctorPassesOnAHealthyStoreAndNamesTheFixOtherwise() throws {
        let healthy = try CommandRunner.fsck(["doctor", "--home", home])
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        #expect(healthy.standardOutput.contains("with FTS5"))
        let store = try SQLiteConnection(path: home + "/state.db", mode: .readWrite)
        try store.execute("PRAGMA journal_mode = DELETE")
        let warned = try CommandRunner.fsck(["doctor", "--home", home])
        #expect(warned.status == 1)
        #expect(warned.standardOutput.contains("journal mode delete, not WAL"))
        #expect(warned.standardOutput.contains("fix: "))
        let broken = try CommandRunner.fsck(["doctor", "--home", directory.file("nowhere")])
        #expect(broken.status == 1)
        #expect(broken.standardOutput.contains("no such database"))
        let filtered = try CommandRunner.fsck(["doctor", "--home", home, "--session", "20260301_090000_a1b2c3"])
        #expect(filtered.status == 2)  // the checks are of the machine and the whole store: no session filter
        #expect(filtered.standardError.contains("Unknown option '--session'"), "\(filtered.standardError)")
    }

    @Test func quietSaysNothingAndVerboseSaysMore() throws {
        let quiet = try CommandRunner.fsck(["repair", "--home", home, "--quiet", "--no-backup", "--dry-run"])
        #expect(quiet.standardError.isEmpty)
        let verbose = try CommandRunner.fsck(["scan", "--home", home, "--verbose"])
        #expect(verbose.standardError.contains("scanned 15 sessions"))
        #expect(try CommandRunner.fsck(["scan", "--verbose", "--quiet"]).status == 2)
    }

    @Test func coloursOnlyOnATerminalAndNeverWithNoColor() throws {
        let binary = CommandRunner.path(of: "transcript-fsck")
        let piped = try CommandRunner.fsck(["scan", "--home", home])
        #expect(!piped.standardOutput.contains("\u{1B}["))
        // The test runner sets NO_COLOR itself; a terminal without it gets colours.
        let terminal = try CommandRunner.shell("env -u NO_COLOR script -qec \"'\(binary)' scan --home '\(home)'\" /dev/null")
        #expect(terminal.standardOutput.contains("\u{1B}[31mtruncated"))
        let noColor = try CommandRunner.shell("NO_COLOR=1 script -qec \"'\(binary)' scan --home '\(home)'\" /dev/null")
        #expect(!noColor.standardOutput.contains("\u{1B}[3"))
    }
}
