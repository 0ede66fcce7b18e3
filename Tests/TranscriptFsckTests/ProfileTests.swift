import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A root's profiles are stores of their own (Hermes 0.13.0 on): a scan of the root audits each, a repair repairs each,
/// and one store's damage is that store's finding.
/// Its tests are of two lanes, so each carries its own tag (Support/Tags.swift).
@Suite struct ProfileTests {
    private func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    private func stores(_ document: [String: Any]) throws -> [String: [String: Any]] {
        let stores = try #require(document["stores"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: stores.map { ($0["profile"] as? String ?? "?", $0) })
    }

    // The false all-clear: the root is whole, a profile beside it is not.
    @Test(.tags(.store)) func aRootWhoseProfileLostHistoryFailsTheAuditAndNamesTheProfile() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 30, 4), ("writer", 10, 10)])
        let table = try CommandRunner.fsck(["scan", "--home", root.root])
        #expect(table.status == 1, "\(table.standardOutput)")
        #expect(table.standardOutput.contains("== coder: \(root.database("coder"))"))
        #expect(table.standardOutput.contains("1 store needs attention: coder."))

        let result = try CommandRunner.fsck(["scan", "--home", root.root, "--format", "json"])
        #expect(result.status == 1)
        let document = try json(result)
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary["stores"] == 3 && summary["sessions"] == 3 && summary["truncated"] == 1 && summary["missing_messages"] == 26)
        let sessions = try #require(document["sessions"] as? [[String: Any]])
        let truncated = try #require(sessions.first { $0["status"] as? String == "truncated" })
        #expect(truncated["profile"] as? String == "coder" && truncated["root"] as? String == root.root)
        #expect(try stores(document)["coder"]?["database"] as? String == root.database("coder"))
    }

    @Test(.tags(.store)) func aHomeThatIsOneProfileIsThatProfileAloneAsTheAgentResolvesIt() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 12, 12)])
        for environment in [["HERMES_HOME": root.home("coder")], [:]] {
            let arguments = environment.isEmpty ? ["--home", root.home("coder")] : []
            let result = try CommandRunner.fsck(["scan", "--format", "json"] + arguments, environment: environment)
            #expect(result.status == 0, "\(result.standardOutput)")
            // One store: the report of one store, as before profiles were looked for.
            #expect(try json(result)["database"] as? String == root.database("coder"))
        }
    }

    @Test(.tags(.store)) func profileNarrowsTheRunAsTheAgentSpellsNames() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 12, 12), ("writer", 10, 10)])
        let coder = try CommandRunner.fsck(["scan", "--home", root.root, "--profile", " Coder ", "--format", "json"])
        #expect(coder.status == 0)
        #expect(try json(coder)["database"] as? String == root.database("coder"))
        let two = try CommandRunner.fsck(["scan", "--home", root.root, "--profile", "Default", "--profile", "writer", "--format", "json"])
        #expect(two.status == 1)
        #expect(try Set(stores(json(two)).keys) == ["default", "writer"])
        // From a profile's own home, --profile names the root's profiles, as `hermes -p` does.
        let sibling = try CommandRunner.fsck(["scan", "--home", root.home("coder"), "--profile", "writer", "--format", "json"])
        #expect(try json(sibling)["database"] as? String == root.database("writer"))

        for (name, words) in [("nope", "no profile 'nope' here (its profiles: default, coder, writer)"), ("../etc", "not a profile name")] {
            let result = try CommandRunner.fsck(["scan", "--home", root.root, "--profile", name])
            #expect(result.status == 2)
            #expect(result.standardError.contains(words), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
    }

    @Test(.tags(.store)) func aProfileThatNeverRanIsNothingToAuditAndDirectoriesTheAgentIgnoresAreIgnored() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("fresh", 0, 0), ("coder", 10, 10)])
        for ignored in ["Upper", "-dash", "default"] {
            try FileManager.default.createDirectory(atPath: root.root + "/profiles/\(ignored)/sessions", withIntermediateDirectories: true)
        }
        let result = try CommandRunner.fsck(["scan", "--home", root.root, "--format", "json"])
        #expect(result.status == 0, "\(result.standardOutput)")
        let stores = try stores(json(result))
        #expect(Set(stores.keys) == ["default", "coder", "fresh"])
        #expect(stores["fresh"]?["outcome"] as? String == "never_ran")
        let table = try CommandRunner.fsck(["scan", "--home", root.root])
        #expect(table.standardOutput.contains("this profile has never run a session"))
        #expect(table.standardOutput.contains("Every store is consistent (3 stores)."))
    }

    @Test(.tags(.store)) func aProfileThatNeverRanNamedAloneIsNothingToAuditToo() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("fresh", 0, 0)])
        for arguments in [["--home", root.home("fresh")], ["--home", root.root, "--profile", "fresh"]] {
            let scan = try CommandRunner.fsck(["scan"] + arguments)
            #expect(scan.status == 0, "\(arguments): \(scan.standardError)")
            #expect(scan.standardOutput.contains("this profile has never run a session"))
            #expect(try CommandRunner.fsck(["repair"] + arguments).status == 0)
            let doctor = try CommandRunner.fsck(["doctor"] + arguments)
            #expect(doctor.status == 0, "\(doctor.standardOutput)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.database("fresh")))
    }

    @Test(.tags(.store)) func ofManyHomesOneThatLacksTheProfileNamedIsThatHomesFailure() throws {
        let first = try ProfiledRoot([("default", 12, 12), ("coder", 30, 4)], label: "home-a")
        let second = try ProfiledRoot([("default", 12, 12)], label: "home-b")
        let result = try CommandRunner.fsck(["scan", "--home", first.root, "--home", second.root, "--profile", "coder", "--format", "json"])
        #expect(result.status == 2)
        let document = try json(result)
        let outcomes = try #require(document["stores"] as? [[String: Any]]).map { $0["outcome"] as? String }
        #expect(outcomes == ["read", "failed"])
        #expect((document["summary"] as? [String: Int])?["truncated"] == 1)
        #expect(result.standardError.contains("\(second.root) (coder): \(second.root): no profile 'coder' here (its profiles: default)"))
        // Of one home, it is the run's error.
        #expect(try CommandRunner.fsck(["scan", "--home", second.root, "--profile", "coder"]).status == 2)
    }

    @Test(.tags(.store)) func theNextCommandNamesTheStoreItIsFor() throws {
        let directory = TemporaryDirectory("spaced")
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 30, 4)], in: directory)
        let spaced = directory.path + "/it's here"
        try FileManager.default.moveItem(atPath: root.home("coder"), toPath: spaced)
        let alone = try CommandRunner.fsck(["scan", "--home", spaced])
        #expect(alone.standardOutput.contains("Run transcript-fsck repair --dry-run --home '\(directory.path)/it'\\''s here' to see"),
                "\(alone.standardOutput)")
        try FileManager.default.moveItem(atPath: spaced, toPath: root.home("coder"))
        let all = try CommandRunner.fsck(["scan", "--home", root.root])
        #expect(all.standardOutput.contains("Run transcript-fsck repair --dry-run --home \(root.home("coder")) to see"))
        let files = try CommandRunner.fsck(["scan", "--db", root.database("coder"), "--transcripts", root.home("coder") + "/sessions/"])
        #expect(files.standardOutput.contains("--db \(root.database("coder")) --transcripts \(root.home("coder"))/sessions/ to see"))
    }

    // What the agent could not have made is never "never ran": a link to a state.db that is gone, a home that is not there.
    @Test(.tags(.store)) func aStoreThatCannotBeLookedAtIsAFailureNotAProfileThatNeverRan() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("gone", 0, 0)])
        #expect(symlink("/nonexistent/state.db", root.database("gone")) == 0)
        let linked = try CommandRunner.fsck(["scan", "--home", root.root, "--format", "json"])
        #expect(linked.status == 2, "\(linked.standardOutput)")
        #expect(try stores(json(linked))["gone"]?["outcome"] as? String == "failed")
        let typo = try CommandRunner.fsck(["scan", "--home", root.root, "--home", root.root + "/profiles/nope"])
        #expect(typo.status == 2, "\(typo.standardOutput)")
        #expect(typo.standardError.contains("profiles/nope/state.db: no such database"))
    }

    @Test(.tags(.store), .asNobody)
    func profilesThisUserCannotListOrEnterAreNeverAnAllClear() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 30, 4)])
        #expect(chmod(root.root, 0o755) == 0)
        #expect(chmod(root.root + "/profiles", 0o311) == 0)
        let unlisted = try Nobody.fsck(["scan", "--home", root.root])
        #expect(unlisted.status == 2, "\(unlisted.standardOutput)")
        #expect(unlisted.standardError.contains("/profiles: cannot list the profiles here: Permission denied"), "\(unlisted.standardError)")
        #expect(chmod(root.root + "/profiles", 0o755) == 0 && chmod(root.home("coder"), 0o000) == 0)
        let closed = try Nobody.fsck(["scan", "--home", root.root])
        #expect(closed.status == 2, "\(closed.standardOutput)")
        #expect(!closed.standardOutput.contains("never run"))
        #expect(chmod(root.home("coder"), 0o755) == 0)
    }

    @Test(.tags(.store)) func aListOfHomesThatListsNoneIsAnErrorNotTheDefaultHome() throws {
        let root = try ProfiledRoot([("default", 12, 12)])
        for (name, text) in [("empty", ""), ("comments", "# none found tonight\n\n"), ("nul", "\(root.root)\u{0}junk\n")] {
            let list = root.directory.file(name + ".txt")
            try text.write(toFile: list, atomically: true, encoding: .utf8)
            let result = try CommandRunner.fsck(["scan", "--homes-from", list], environment: ["HERMES_HOME": root.root])
            #expect(result.status == 2, "\(name): \(result.standardOutput)")
            #expect(result.standardError.contains(name == "nul" ? "line 1 holds a NUL byte" : "lists no home"), "\(result.standardError)")
        }
        #expect(try CommandRunner.fsck(["scan", "--home", ""]).status == 2)
    }

    @Test(.tags(.store)) func oneStoreSpeltManyWaysIsAuditedOnce() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 12, 12)])
        let link = root.directory.path + "-link"
        #expect(symlink(root.root, link) == 0)
        defer { unlink(link) }
        let result = try CommandRunner.fsck(["scan", "--home", root.root, "--home", root.root + "/./", "--home", link,
                                             "--home", root.root + "//profiles/coder", "--format", "json"])
        let summary = try #require(try json(result)["summary"] as? [String: Int])
        #expect(summary["stores"] == 2 && summary["missing_messages"] == 26, "\(summary)")
    }

    @Test(.tags(.unit)) func backupNamesOfTwoStoresNeverMeet() {
        func prefix(_ label: String) -> String {
            NamedStore(location: StoreLocation(database: "/x/state.db", transcriptRoots: []), root: nil, profile: nil, label: label,
                       mayNeverHaveRun: false, unavailable: nil).fileNamePrefix
        }
        #expect(prefix("coder") == "coder.")
        #expect(prefix("h.1") != prefix("h_1"))
        #expect(prefix("/srv/a (b)") == "%2Fsrv%2Fa%20%28b%29.")
        #expect(prefix("a%2F") != prefix("a/"))
    }

    @Test(.tags(.store)) func oneStoreThatCannotBeReadIsThatStoresOutcomeAndTheWorstExitStatus() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("broken", 10, 10), ("coder", 10, 10)])
        try Data("this is not a database, it only sits where one should be".utf8).write(to: URL(fileURLWithPath: root.database("broken")))
        let result = try CommandRunner.fsck(["scan", "--home", root.root, "--format", "json"])
        #expect(result.status == 2)
        let stores = try stores(json(result))
        #expect(stores["broken"]?["outcome"] as? String == "failed")
        #expect((stores["broken"]?["error"] as? String)?.contains("not a SQLite database") == true)
        #expect(stores["default"]?["summary"].flatMap { $0 as? [String: Int] }?["truncated"] == 1)
        #expect(result.standardError == "transcript-fsck: error: broken: \(root.database("broken")): not a SQLite database "
                + "(file is not a database); check that --db or --home names the agent's state.db\n")

        let junit = root.directory.file("report.xml")
        #expect(try CommandRunner.fsck(["scan", "--home", root.root, "--format", "junit", "--output", junit]).status == 2)
        let validation = try CommandRunner.shell("xmllint --noout --schema '\(FixtureSchema.fixturesDirectory)/junit.xsd' '\(junit)'")
        #expect(validation.status == 0, "\(validation.standardError)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""))
        #expect(xml.components(separatedBy: "<testsuite ").count - 1 == 3)
    }

    @Test(.tags(.store)) func aRepairOfTheRootRepairsEveryProfileEachWithItsOwnLockAndBackup() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 40, 6), ("writer", 10, 10), ("fresh", 0, 0)])
        let dry = try CommandRunner.fsck(["repair", "--home", root.root, "--dry-run", "--format", "json"])
        #expect(dry.status == 1, "a dry run with something to write exits 1: \(dry.standardError)")
        #expect(try !root.isWhole("coder"))

        let backups = TemporaryDirectory("backups")
        let result = try CommandRunner.fsck(["repair", "--home", root.root, "--backup", backups.path, "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try #require(try json(result)["summary"] as? [String: Int])
        #expect(summary["backfilled"] == 2 && summary["inserted_messages"] == 26 + 34)
        for profile in ["default", "coder", "writer"] { #expect(try root.isWhole(profile), "\(profile)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: backups.path).sorted()
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasPrefix("coder.state.db.bak-") || $0.hasPrefix("default.state.db.bak-") })
        #expect(FileManager.default.fileExists(atPath: root.database("coder") + ".repair.lock"))

        #expect(try CommandRunner.fsck(["scan", "--home", root.root]).status == 0)
        // One file cannot hold several stores' backups.
        let file = try CommandRunner.fsck(["repair", "--home", root.root, "--backup", backups.file("one.db")])
        #expect(file.status == 2 && file.standardError.contains("name a directory for their backups"))
    }

    @Test(.tags(.store)) func sessionNamesASessionOfOneStore() throws {
        let root = try ProfiledRoot([("default", 30, 4), ("coder", 40, 6)])
        let ambiguous = try CommandRunner.fsck(["repair", "--home", root.root, "--session", "s"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.standardError.contains("this run covers 2 (default, coder): add --profile NAME"))
        #expect(try !root.isWhole("default") && !root.isWhole("coder"))
        let narrowed = try CommandRunner.fsck(["repair", "--home", root.root, "--profile", "coder", "--session", "s", "--no-backup"])
        #expect(narrowed.status == 0, "\(narrowed.standardError)")
        #expect(try root.isWhole("coder") && !root.isWhole("default"))
    }

    @Test(.tags(.store)) func sinceKeepsAStateSectionPerStore() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 30, 4)])
        let state = root.directory.file("audit.state")
        #expect(try CommandRunner.fsck(["scan", "--home", root.root, "--since", state]).status == 1)
        let again = try CommandRunner.fsck(["scan", "--home", root.root, "--since", state, "--format", "json"])
        #expect(again.status == 1)
        let stores = try stores(json(again))
        for profile in ["default", "coder"] {
            #expect((stores[profile]?["scan"] as? [String: Any])?["unchanged_skipped"] as? Int == 1, "\(profile)")
        }
        // A run narrowed to one profile reads and replaces its own section, and keeps the other's.
        #expect(try CommandRunner.fsck(["repair", "--home", root.root, "--profile", "coder", "--no-backup"]).status == 0)
        let coder = try CommandRunner.fsck(["scan", "--home", root.root, "--profile", "coder", "--since", state, "--format", "json"])
        #expect(coder.status == 0)
        #expect((try json(coder)["scan"] as? [String: Any])?["unchanged_skipped"] as? Int == 0)
        let sections = try String(contentsOfFile: state, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(sections.count == 2)
        let both = try CommandRunner.fsck(["scan", "--home", root.root, "--since", state, "--format", "json"])
        #expect(both.status == 0)
        #expect(try self.stores(json(both)).values.allSatisfy { ($0["scan"] as? [String: Any])?["unchanged_skipped"] as? Int == 1 })
    }

    @Test(.tags(.store)) func manyHomesInOneRunEachNamedByItsRoot() throws {
        let first = try ProfiledRoot([("default", 12, 12)], label: "home-a")
        let second = try ProfiledRoot([("default", 30, 4), ("coder", 10, 10)], label: "home-b")
        let list = first.directory.file("homes.txt")
        try "# the fleet\n\n  \(second.root)  \n".write(toFile: list, atomically: true, encoding: .utf8)
        let metrics = first.directory.file("fsck.prom")
        let result = try CommandRunner.fsck(["scan", "--home", first.root, "--homes-from", list, "--jobs", "2", "--metrics", metrics])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("transcript-fsck scan: 3 stores in"))
        #expect(result.standardOutput.contains("== \(first.root): \(first.database("default"))"))
        #expect(result.standardOutput.contains("== \(second.root) (coder): \(second.database("coder"))"))
        #expect(result.standardOutput.contains("1 store needs attention: \(second.root)."))
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("transcript_fsck_problem_sessions{database=\"\(second.database("default"))\",root=\"\(second.root)\",profile=\"default\"} 1"))
        #expect(text.contains("transcript_fsck_store_failed{database=\"\(second.database("coder"))\",root=\"\(second.root)\",profile=\"coder\"} 0"))
        let parsed = try CommandRunner.shell("\(InteropScripts.toolsPython) -c \"import sys; from prometheus_client.parser import text_string_to_metric_families as f; "
                                             + "list(f(open(sys.argv[1]).read()))\" '\(metrics)'")
        #expect(parsed.status == 0, "\(parsed.standardError)")

        let unreadable = try CommandRunner.fsck(["scan", "--homes-from", first.directory.file("absent.txt")])
        #expect(unreadable.status == 2 && unreadable.standardError.contains("absent.txt: cannot read this list of homes"))
        let mixed = try CommandRunner.fsck(["scan", "--home", first.root, "--home", second.root, "--db", first.database("default")])
        #expect(mixed.status == 2 && mixed.standardError.contains("--db and --transcripts name one store's files"))
    }

    @Test(.tags(.store)) func doctorListsTheProfilesItFoundAndChecksEach() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 10, 10), ("fresh", 0, 0)])
        try FileManager.default.createDirectory(atPath: root.root + "/profiles/Not.A.Name", withIntermediateDirectories: true)
        let result = try CommandRunner.fsck(["doctor", "--home", root.root])
        #expect(result.standardOutput.contains("profiles  \(root.root): default, coder, fresh; not profiles to the agent, so not audited: Not.A.Name"),
                "\(result.standardOutput)")
        #expect(result.standardOutput.contains("== coder: \(root.database("coder"))"))
        #expect(result.standardOutput.contains("this profile has never run a session"))
    }

    @Test(.tags(.store)) func exportReadsTheProfileItIsGiven() throws {
        let root = try ProfiledRoot([("default", 12, 12), ("coder", 10, 10)])
        let coder = try CommandRunner.fsck(["export", "--home", root.root, "--profile", "coder", "--session", "s"])
        #expect(coder.status == 0, "\(coder.standardError)")
        #expect(coder.standardOutput.split(separator: "\n").count == 10)
        let home = try CommandRunner.fsck(["export", "--home", root.root, "--session", "s"])
        #expect(home.standardOutput.split(separator: "\n").count == 12)
    }

    @Test(.tags(.unit)) func profileNamesAndPlacesAreTheAgents() {
        #expect(HermesProfiles.place(home: "/srv/hermes/profiles/coder").root == "/srv/hermes")
        #expect(HermesProfiles.place(home: "/srv/hermes/profiles/coder/").profile == "coder")
        #expect(HermesProfiles.place(home: "/opt/data").profile == "default")
        #expect(HermesProfiles.place(home: "/srv/hermes/profiles/Coder").profile == "default")
        #expect(HermesProfiles.place(home: "/srv/hermes/profiles/default").root == "/srv/hermes/profiles/default")
        #expect(HermesProfiles.normalized(" Coder ") == "coder")
        #expect(HermesProfiles.normalized("DEFAULT") == "default")
        for name in ["", "-a", "_a", "a.b", "a/b", String(repeating: "a", count: 65), "é"] {
            #expect(HermesProfiles.normalized(name) == nil, "\(name)")
        }
        #expect(HermesProfiles.normalized(String(repeating: "a", count: 64)) != nil)
        #expect(HermesProfiles.normalized("a-b_9") == "a-b_9")
    }
}
