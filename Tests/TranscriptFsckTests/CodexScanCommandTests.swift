import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// `scan`, `doctor` and `export` on a Codex CLI home, as programs: which agent a run is on, every report format, the
/// exit statuses, and the one-line refusals. Most read a home written by hand (Support/WrittenCodexHome.swift); the
/// interop ones read the homes the released codex made and damaged (Support/CodexHomes.swift).
@Suite(.tags(.store)) struct CodexScanCommandTests {
    /// An environment with neither agent's variable set, whatever the test runner's has, and no home of either agent.
    static func bareEnvironment(_ home: TemporaryDirectory, _ extra: [String: String] = [:]) -> [String: String] {
        ["HERMES_HOME": "", "CODEX_HOME": "", "HOME": home.path].merging(extra) { $1 }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    func json(_ text: String) throws -> [String: Any] { try Self.json(text) }

    func validatesAsJUnit(_ xml: String, in directory: TemporaryDirectory) throws -> Bool {
        let report = try directory.write("report.xml", text: xml)
        let validation = try CommandRunner.shell("xmllint --noout --schema '\(FixtureSchema.fixturesDirectory)/junit.xsd' '\(report)'")
        return validation.status == 0
    }

    // MARK: - the report in every format

    @Test func aHomeWithAMissingAndAStaleThreadExitsOneAndTheTableNamesBoth() throws {
        let home = try WrittenCodexHome()
        let before = try home.listing()
        let result = try CommandRunner.fsck(["scan", "--home", home.path])
        #expect(result.status == 1, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "transcript-fsck scan: Codex home \(home.path): 3 threads in 0.0 s")
        #expect(lines.dropFirst().first == "  ok 1, missing 1, truncated 0, diverged 0, corrupt 0, stale 1, misplaced 0")
        #expect(lines.contains { $0.hasPrefix("missing") && $0.contains(WrittenCodexHome.unindexed) && $0.contains("state_5.sqlite has no row") })
        #expect(lines.contains { $0.hasPrefix("stale") && $0.contains(WrittenCodexHome.stale) && $0.contains("restore the rollout") })
        #expect(!lines.contains { $0.contains(WrittenCodexHome.ok) })
        #expect(result.standardOutput.hasSuffix("2 threads need attention in \(home.path); each problem above says what codex does with it.\n"))
        #expect(try home.listing() == before)
    }

    @Test func anUndamagedHomeExitsZero() throws {
        let home = try WrittenCodexHome(damaged: false)
        let result = try CommandRunner.fsck(["scan", "--home", home.path])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.hasSuffix("Every thread's rollout, index row and projection agree in \(home.path).\n"))
    }

    @Test func jsonListsEveryThreadWithItsChecksUnderCodexsOwnStatuses() throws {
        let home = try WrittenCodexHome()
        let result = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "json"])
        #expect(result.status == 1)
        let document = try json(result.standardOutput)
        #expect(Set(document.keys) == ["agent", "home", "summary", "scan", "home_problems", "warnings", "threads"])
        #expect(document["agent"] as? String == "codex")
        #expect(document["home"] as? String == home.path)
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary == ["threads": 3, "ok": 1, "missing": 1, "truncated": 0, "diverged": 0, "corrupt": 0, "stale": 1, "misplaced": 0])
        let threads = try #require(document["threads"] as? [[String: Any]])
        #expect(threads.map { $0["thread_id"] as? String } == [WrittenCodexHome.ok, WrittenCodexHome.unindexed, WrittenCodexHome.stale])
        for thread in threads { #expect(Set(thread.keys) == ["thread_id", "status", "rollout_path", "problems"]) }
        let checks = threads.map { ($0["problems"] as? [[String: Any]] ?? []).compactMap { $0["check"] as? String } }
        #expect(checks == [[], ["noIndexRow"], ["staleRow"]])
        #expect(threads[1]["rollout_path"] as? String == home.directory.file(WrittenCodexHome.dated + WrittenCodexHome.rolloutName(WrittenCodexHome.unindexed)))
        #expect(threads[2]["rollout_path"] is NSNull)
        #expect((document["home_problems"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonlIsAThreadALineThenTheSummary() throws {
        let home = try WrittenCodexHome()
        let result = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "jsonl"])
        #expect(result.status == 1)
        let objects = try result.standardOutput.split(separator: "\n").map { try json(String($0)) }
        #expect(objects.count == 4)
        #expect(objects.dropLast().map { $0["status"] as? String } == ["ok", "missing", "stale"])
        #expect((objects.last?["summary"] as? [String: Int])?["stale"] == 1)
    }

    @Test func markdownAndJUnitListTheThreadsAndJUnitValidates() throws {
        let home = try WrittenCodexHome()
        let markdown = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "markdown"])
        #expect(markdown.status == 1)
        #expect(markdown.standardOutput.hasPrefix("# transcript-fsck scan: Codex home \(home.path)\n"))
        #expect(markdown.standardOutput.contains("## Threads that need attention\n\n| thread | status | detail |\n"))
        #expect(markdown.standardOutput.split(separator: "\n").filter { $0.hasPrefix("| `") }.count == 2)
        let junit = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "junit"])
        #expect(junit.status == 1)
        #expect(try validatesAsJUnit(junit.standardOutput, in: home.directory))
        #expect(junit.standardOutput.components(separatedBy: "<testcase ").count - 1 == 3)
        #expect(junit.standardOutput.components(separatedBy: "<failure type=\"stale\"").count - 1 == 1)
        #expect(junit.standardOutput.components(separatedBy: "<failure type=\"missing\"").count - 1 == 1)
    }

    @Test func aMissingIndexIsSaidInEveryFormatAndIsNoProblemOfItsOwn() throws {
        let home = try WrittenCodexHome(damaged: false)
        try FileManager.default.removeItem(atPath: home.stateDatabase)
        let words = "there is no state_5.sqlite: codex rebuilds its index from the 1 rollout on its next start"
        let table = try CommandRunner.fsck(["scan", "--home", home.path])
        #expect(table.status == 0, "\(table.standardOutput)")
        #expect(table.standardOutput.contains("warning: " + words))
        let document = try json(try CommandRunner.fsck(["scan", "--home", home.path, "--format", "json"]).standardOutput)
        let problems = try #require(document["home_problems"] as? [[String: String]])
        #expect(problems.map { $0["check"] } == ["stateDatabaseMissing"])
        #expect(problems.first?["problem"]?.hasPrefix(words) == true)
        let lines = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "jsonl"]).standardOutput.split(separator: "\n")
        #expect(((try json(String(lines.last ?? ""))["home_problems"]) as? [Any])?.count == 1)
        #expect(try CommandRunner.fsck(["scan", "--home", home.path, "--format", "markdown"]).standardOutput.contains("## Notes\n\n- " + words))
        let junit = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "junit"]).standardOutput
        #expect(junit.contains("<system-out>" + words))
        #expect(try validatesAsJUnit(junit, in: home.directory))
    }

    @Test func metricsParseWithPrometheusOwnParserAndNameTheHome() throws {
        let home = try WrittenCodexHome()
        let output = TemporaryDirectory("codex-metrics")
        let metrics = output.file("fsck.prom")
        #expect(try CommandRunner.fsck(["scan", "--home", home.path, "--metrics", metrics]).status == 1)
        let parse = try CommandRunner.shell("""
            \(InteropScripts.toolsPython) -c 'import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    print(sample.name, sample.labels["agent"], sample.labels["home"], sample.labels.get("status", "-"), sample.value)' '\(metrics)'
            """)
        #expect(parse.status == 0, "\(parse.standardError)")
        let samples = parse.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(samples.allSatisfy { $0[1] == "codex" && $0[2] == home.path })
        func value(_ name: String, _ status: String = "-") -> Double? {
            samples.first { $0[0] == name && $0[3] == status }.flatMap { Double($0[4]) }
        }
        #expect(value("transcript_fsck_codex_threads", "stale") == 1)
        #expect(value("transcript_fsck_codex_threads", "ok") == 1)
        #expect(value("transcript_fsck_codex_problem_threads") == 2)
        #expect(value("transcript_fsck_codex_home_problems") == 0)
        #expect((value("transcript_fsck_last_success_timestamp_seconds") ?? 0) > 1_700_000_000)
    }

    @Test func outputGoesToItsFileAndTheSummaryToStandardError() throws {
        let home = try WrittenCodexHome()
        let output = TemporaryDirectory("codex-output")
        let result = try CommandRunner.fsck(["scan", "--home", home.path, "--format", "json", "--output", output.file("report.json")])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "transcript-fsck scan: threads 3, ok 1, missing 1, truncated 0, diverged 0, corrupt 0, stale 1, "
                + "misplaced 0; report in \(output.file("report.json"))\n")
        // Never over codex's own database.
        let over = try CommandRunner.fsck(["scan", "--home", home.path, "--output", home.stateDatabase])
        #expect(over.status == 2)
        #expect(over.standardError.contains("is the store's own database"), "\(over.standardError)")
    }

    // MARK: - narrowing the run

    @Test func sessionAndStatusNarrowTheThreadsAndAnUnknownThreadIsAnError() throws {
        let home = try WrittenCodexHome()
        let one = try json(try CommandRunner.fsck(["scan", "--home", home.path, "--session", WrittenCodexHome.ok, "--format", "json"]).standardOutput)
        #expect((one["threads"] as? [[String: Any]])?.map { $0["thread_id"] as? String } == [WrittenCodexHome.ok])
        let clean = try CommandRunner.fsck(["scan", "--home", home.path, "--session", WrittenCodexHome.ok])
        #expect(clean.status == 0)
        let stale = try CommandRunner.fsck(["scan", "--home", home.path, "--status", "stale", "--format", "jsonl"])
        #expect(stale.status == 1)
        #expect(stale.standardOutput.split(separator: "\n").count == 2)
        #expect(stale.standardOutput.contains(WrittenCodexHome.stale))
        let unknown = try CommandRunner.fsck(["scan", "--home", home.path, "--session", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError == "transcript-fsck: no thread \"nope\" in the Codex home \(home.path); "
                + "'transcript-fsck scan --format jsonl' lists the thread ids\n")
    }

    @Test(arguments: [
        (["--db", "x.db"], "--db is for Hermes stores, and HOME is a Codex CLI home, read whole"),
        (["--transcripts", "x"], "--transcripts is for Hermes stores, and HOME is a Codex CLI home, read whole"),
        (["--profile", "work"], "--profile is for Hermes stores, and HOME is a Codex CLI home, read whole"),
        (["--agent", "codex", "--homes-from", "x"], "--agent codex reads one Codex home: give one --home"),
        (["--status", "continued"], "--status continued is a Hermes session's status; a Codex thread's are ok, missing,"),
        (["--source", "cli"], "--source and --started-after pick Hermes sessions"),
    ])
    func optionsThatMeanNothingForCodexAreRefusedInOneLine(arguments: [String], message: String) throws {
        let home = try WrittenCodexHome()
        let result = try CommandRunner.fsck(["scan", "--home", home.path] + arguments)
        #expect(result.status == 2)
        let expected = message.replacingOccurrences(of: "HOME", with: home.path)
        #expect(result.standardError.split(separator: "\n").first?.hasPrefix("Error: " + expected) == true, "\(result.standardError)")
    }

    @Test func sinceKeepsTheStateFileWorkingAndItsOtherStoresSections() throws {
        let home = try WrittenCodexHome()
        let hermes = TemporaryDirectory("codex-since-hermes")
        try DemoStore.build(home: hermes.path)
        let state = hermes.file("audit.state")
        #expect(try CommandRunner.fsck(["scan", "--home", hermes.path, "--since", state]).status == 1)
        let hermesSection = try String(contentsOfFile: state, encoding: .utf8)
        for _ in 0..<2 {
            let result = try CommandRunner.fsck(["scan", "--home", home.path, "--since", state, "--format", "json"])
            #expect(result.status == 1, "\(result.standardError)")
            #expect((try json(result.standardOutput)["summary"] as? [String: Int])?["stale"] == 1)
        }
        let written = try String(contentsOfFile: state, encoding: .utf8)
        #expect(written.hasPrefix(#"{"format":"transcript-fsck audit state","version":4,"database":"\#(home.stateDatabase)"}"# + "\n"))
        #expect(written.hasSuffix(hermesSection))
        // The Hermes run still finds its own section, and reads nothing again.
        let again = try CommandRunner.fsck(["scan", "--home", hermes.path, "--since", state, "--format", "json"])
        #expect((try json(again.standardOutput)["scan"] as? [String: Any])?["unchanged_skipped"] as? Int ?? 0 > 0)
        let notState = try CommandRunner.fsck(["scan", "--home", home.path, "--since", home.stateDatabase])
        #expect(notState.status == 2)
        #expect(notState.standardError.contains("is not a transcript-fsck state file"))
    }

    // MARK: - which agent a run is on

    @Test func codexHomeInTheEnvironmentIsReadWhenHermesHomeIsNotSet() throws {
        let home = try WrittenCodexHome()
        let user = TemporaryDirectory("codex-user")
        let result = try CommandRunner.fsck(["scan"], environment: Self.bareEnvironment(user, ["CODEX_HOME": home.path]))
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix("transcript-fsck scan: Codex home \(home.path): 3 threads"), "\(result.standardOutput)")
    }

    @Test func hermesHomeInTheEnvironmentComesBeforeCodexHome() throws {
        let home = try WrittenCodexHome()
        let hermes = TemporaryDirectory("codex-precedence")
        try DemoStore.build(home: hermes.path)
        let result = try CommandRunner.fsck(["scan", "--format", "json"],
                                            environment: Self.bareEnvironment(hermes, ["CODEX_HOME": home.path, "HERMES_HOME": hermes.path]))
        #expect(try json(result.standardOutput)["database"] as? String == hermes.file("state.db"))
        // --agent codex takes CODEX_HOME all the same.
        let forced = try CommandRunner.fsck(["scan", "--agent", "codex", "--format", "json"],
                                            environment: Self.bareEnvironment(hermes, ["CODEX_HOME": home.path, "HERMES_HOME": hermes.path]))
        #expect(try json(forced.standardOutput)["home"] as? String == home.path)
    }

    @Test func withNoVariableDotCodexIsReadOnlyWhenThereIsNoDotHermes() throws {
        let user = TemporaryDirectory("codex-dot-home")
        let home = try WrittenCodexHome()
        try FileManager.default.moveItem(atPath: home.path, toPath: user.file(".codex"))
        let codex = try CommandRunner.fsck(["scan", "--format", "json"], environment: Self.bareEnvironment(user))
        #expect(try json(codex.standardOutput)["home"] as? String == user.file(".codex"))
        #expect(mkdir(user.file(".hermes"), 0o755) == 0)
        let hermes = try CommandRunner.fsck(["scan"], environment: Self.bareEnvironment(user))
        #expect(hermes.status == 2)
        #expect(hermes.standardError.contains("\(user.path)/.hermes/state.db: no such database"), "\(hermes.standardError)")
    }

    @Test func aHomeWithAHermesDatabaseIsHermesEvenWithRollouts() throws {
        let hermes = TemporaryDirectory("codex-both")
        try DemoStore.build(home: hermes.path)
        try FileManager.default.createDirectory(atPath: hermes.file("sessions/2026/12/03"), withIntermediateDirectories: true)
        try hermes.write("sessions/2026/12/03/" + WrittenCodexHome.rolloutName(WrittenCodexHome.ok), text: "{}\n")
        let result = try CommandRunner.fsck(["scan", "--home", hermes.path, "--format", "json"])
        #expect(try json(result.standardOutput)["database"] as? String == hermes.file("state.db"))
        let forced = try CommandRunner.fsck(["scan", "--home", hermes.path, "--agent", "codex", "--format", "json"])
        #expect(try json(forced.standardOutput)["agent"] as? String == "codex")
    }

    @Test func agentCodexOnADirectoryWithoutCodexsFilesIsAnErrorNotAnAllClear() throws {
        let empty = TemporaryDirectory("codex-empty")
        let result = try CommandRunner.fsck(["scan", "--agent", "codex", "--home", empty.path])
        #expect(result.status == 2)
        #expect(result.standardError == "transcript-fsck: \(empty.path): no Codex CLI home here (no state_5.sqlite, no rollout under "
                + "sessions/ or archived_sessions/); pass --home DIR or set CODEX_HOME to the home codex uses; nothing was read\n")
    }

    @Test func agentHermesOnACodexHomeNamesItForWhatItIs() throws {
        let home = try WrittenCodexHome()
        let result = try CommandRunner.fsck(["scan", "--agent", "hermes", "--home", home.path])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("transcript-fsck: \(home.path): a Codex CLI home (state_5.sqlite, rollouts), not a Hermes one"))
    }

    // MARK: - repair, export and doctor

    @Test func repairTakesACodexHomeHoweverItIsNamed() throws {
        let home = try WrittenCodexHome()
        let user = TemporaryDirectory("codex-repair-user")
        let before = try home.listing()
        let runs: [([String], [String: String])] = [
            (["repair", "--dry-run", "--home", home.path], [:]), (["repair", "--dry-run", "--agent", "codex", "--home", home.path], [:]),
            (["repair", "--dry-run"], Self.bareEnvironment(user, ["CODEX_HOME": home.path])),
        ]
        for (arguments, environment) in runs {
            let result = try CommandRunner.fsck(arguments, environment: environment)
            #expect(result.status != 2, "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.hasPrefix("transcript-fsck repair --dry-run: Codex home \(home.path)\n"), "\(arguments): \(result.standardOutput)")
        }
        #expect(try home.listing() == before)
    }

    @Test func exportNamesTheRolloutThatIsTheTranscriptAlready() throws {
        let home = try WrittenCodexHome()
        let output = TemporaryDirectory("codex-export")
        let result = try CommandRunner.fsck(["export", "--home", home.path, "--session", WrittenCodexHome.ok, "--output", output.file("x.jsonl")])
        #expect(result.status == 2)
        let rollout = home.directory.file(WrittenCodexHome.dated + WrittenCodexHome.rolloutName(WrittenCodexHome.ok))
        #expect(result.standardError == "transcript-fsck: export reads Hermes homes: thread \"\(WrittenCodexHome.ok)\" of the Codex home "
                + "\(home.path) needs no export, its rollout \(rollout) is a JSONL transcript already; nothing was written\n")
        #expect(!FileManager.default.fileExists(atPath: output.file("x.jsonl")))
        let unknown = try CommandRunner.fsck(["export", "--home", home.path, "--session", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("has no thread \"nope\""))
    }

    @Test func doctorChecksTheCodexHomeInBothFormats() throws {
        let home = try WrittenCodexHome()
        let table = try CommandRunner.fsck(["doctor", "--home", home.path])
        #expect(table.status == 0, "\(table.standardOutput)")
        let names = table.standardOutput.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
        #expect(names == ["sqlite", "home", "index", "history", "rollouts", "codex"])
        #expect(table.standardOutput.contains("ok       index     \(home.stateDatabase): 2 thread rows\n"))
        #expect(table.standardOutput.contains("ok       history   no thread_history_1.sqlite: codex 0.133.0 makes none"))
        #expect(table.standardOutput.contains("ok       rollouts  2 rollouts under sessions/, 0 under archived_sessions/\n"))
        #expect(table.standardOutput.contains("ok       codex     no codex process uses \(home.path) now\n"))
        let document = try json(try CommandRunner.fsck(["doctor", "--home", home.path, "--format", "json"]).standardOutput)
        let stores = try #require(document["stores"] as? [[String: Any]])
        #expect(stores.map { $0["agent"] as? String } == ["codex"])
        #expect(stores.first?["home"] as? String == home.path)
        #expect((document["summary"] as? [String: Int])?["checks"] == 6)
    }

    // MARK: - hostile homes

    @Test func anIndexThatIsNotADatabaseStopsTheScanWithOneLineAndTheDoctorFailsIt() throws {
        let home = try WrittenCodexHome()
        try home.directory.write(CodexHome.stateDatabaseName, text: "not a database, at all, for sure: some text longer than a header\n")
        let scan = try CommandRunner.fsck(["scan", "--home", home.path])
        #expect(scan.status == 2)
        #expect(scan.standardError == "transcript-fsck: \(home.stateDatabase): not a SQLite database (file is not a database); this is "
                + "codex's own file: move it aside and restore it from a backup (codex rebuilds it from the rollouts at its next start); "
                + "nothing was written\n")
        let doctor = try CommandRunner.fsck(["doctor", "--home", home.path])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains("failure  index     \(home.stateDatabase): not a SQLite database"), "\(doctor.standardOutput)")
    }

    @Test(.asNobody) func aHomeThisUserCannotReadIsSaidSo() throws {
        let home = try WrittenCodexHome()
        #expect(chmod(home.path, 0o700) == 0)
        let result = try Nobody.fsck(["scan", "--agent", "codex", "--home", home.path])
        #expect(result.status == 2)
        #expect(result.standardError == "transcript-fsck: \(home.path): cannot read this Codex home as this user (Permission denied); "
                + "run as the user codex runs as, or make it readable; nothing was read\n")
        #expect(chmod(home.path, 0o755) == 0)
        #expect(chmod(home.stateDatabase, 0o600) == 0)
        let index = try Nobody.fsck(["scan", "--home", home.path])
        #expect(index.status == 2)
        #expect(index.standardError.hasPrefix("transcript-fsck: \(home.stateDatabase): cannot read the database as this user"), "\(index.standardError)")
    }

}

/// The same commands on the homes the released codex binaries made, each damaged as Docs/CODEX-FORMAT.md's table says.
@Suite struct CodexScanOfReleasedHomesTests {
    func json(_ text: String) throws -> [String: Any] { try CodexScanCommandTests.json(text) }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexReadingTests.damages)
    func eachDamageOfTheReleasedCodexsHomeIsReportedAsTheLibraryFindsIt(damage: CodexReadingTests.Damage) throws {
        let made = try CodexHomes.of(damage.version).experiment(damage.experiment)
        let home = try #require(made.home, "\(damage): \(made.notApplicable ?? "no home")")
        let result = try CommandRunner.fsck(["scan", "--home", home, "--format", "json"])
        let expectsProblems = !damage.threads.isEmpty
        #expect(result.status == (expectsProblems ? 1 : 0), "\(result.standardError)")
        let document = try json(result.standardOutput)
        let names = Dictionary(uniqueKeysWithValues: made.threads.map { ($1, $0) })
        var found: [String: [CodexProblem.Check]] = [:]
        for thread in document["threads"] as? [[String: Any]] ?? [] {
            let checks = (thread["problems"] as? [[String: Any]] ?? []).compactMap { ($0["check"] as? String).flatMap(CodexProblem.Check.init) }
            if !checks.isEmpty { found[names[thread["thread_id"] as? String ?? ""] ?? "?", default: []] += checks }
        }
        #expect(found == damage.threads)
        #expect(((document["home_problems"] as? [Any])?.isEmpty ?? true) != damage.stateDatabaseMissing)
    }

    @Test(.tags(.interop), .enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexHomes.versions)
    func anUndamagedHomeOfTheReleasedCodexScansCleanAndItsDoctorPasses(version: String) throws {
        let home = try #require(try CodexHomes.of(version).experiment("baseline").home)
        let scan = try CommandRunner.fsck(["scan", "--home", home])
        #expect(scan.status == 0, "\(scan.standardOutput)")
        #expect(scan.standardOutput.contains(": 3 threads in "))
        let doctor = try CommandRunner.fsck(["doctor", "--home", home])
        #expect(doctor.status == 0, "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains(version == "0.163.0" ? "3 paginated threads projected" : "no thread_history_1.sqlite"))
    }
}
