import Foundation
import Testing
@testable import TranscriptFsck

/// `doctor`: each failure, made on real files, gets the fix for what is actually wrong; and `--format json`.
@Suite(.tags(.store)) struct DoctorTests {
    private func doctorAsNobody(_ home: String) throws -> CommandResult { try Nobody.fsck(["doctor", "--home", home]) }

    /// The fix line printed under the check named `name`, nil when it has none. A check's line is its result in 7
    /// columns, two spaces, then its name.
    private func fix(of name: String, in output: String) -> String? {
        let lines = output.split(separator: "\n").map(String.init)
        guard let index = lines.firstIndex(where: { $0.dropFirst(9).hasPrefix(name + " ") }), index + 1 < lines.count else { return nil }
        let next = lines[index + 1].trimmingCharacters(in: .whitespaces)
        return next.hasPrefix("fix: ") ? String(next.dropFirst(5)) : nil
    }

    @Test func aMissingHomeIsToBeNamedNotRunAsAnotherUser() throws {
        let directory = TemporaryDirectory("doctor")
        let doctor = try CommandRunner.fsck(["doctor", "--home", directory.file("nowhere")])
        #expect(doctor.status == 1)
        let output = doctor.standardOutput
        #expect(fix(of: "database", in: output) == "pass --db FILE or --home DIR (default $HERMES_HOME or ~/.hermes)", "\(output)")
        #expect(fix(of: "transcripts", in: output) == "pass --transcripts DIR or --home DIR", "\(output)")
        #expect(output.contains("nowhere: no such directory, so there is no store here to repair"), "\(output)")
        #expect(fix(of: "permissions", in: output)?.hasPrefix("point --home at the agent's home") == true, "\(output)")
        #expect(!output.contains("run as the user that owns"), "\(output)")
    }

    /// A path is printed as it is named, but an escape sequence in it never reaches the terminal raw.
    @Test func aPathWithAnEscapeSequenceIsPrintedEscaped() throws {
        let directory = TemporaryDirectory("doctor")
        let doctor = try CommandRunner.fsck(["doctor", "--home", directory.file("no\u{1B}[31mwhere")])
        #expect(doctor.status == 1)
        #expect(!doctor.standardOutput.contains("\u{1B}"), "\(doctor.standardOutput)")
        #expect(doctor.standardOutput.contains("no\\u{1B}[31mwhere"), "\(doctor.standardOutput)")
    }

    @Test func aFileThatIsNotADatabaseIsToBeCheckedNotPointedAtAgain() throws {
        let directory = TemporaryDirectory("doctor")
        let database = try directory.write("state.db", text: "not a database, but text\n")
        let doctor = try CommandRunner.fsck(["doctor", "--db", database, "--transcripts", directory.path])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains("state.db: not a SQLite database"), "\(doctor.standardOutput)")
        #expect(fix(of: "database", in: doctor.standardOutput) == "check that --db or --home names the agent's state.db")
    }

    @Test(.asNobody)
    func aSharedMemoryFileThisUserCannotMakeSaysToRunAsTheAgentsUser() throws {
        let copy = try TruncatedSession.closedCopy(seed: 301)
        #expect(chmod(copy.file("state.db"), 0o666) == 0)  // readable and writable: only the -shm beside it cannot be made
        let doctor = try doctorAsNobody(copy.path)
        #expect(doctor.status == 1)
        let output = doctor.standardOutput
        #expect(output.contains("it is in WAL mode, and SQLite must create or write its -shm file beside it"), "\(output)")
        #expect(fix(of: "database", in: output) == "run as the agent's user (or one with write access to the directory)", "\(output)")
        #expect(!output.contains("point --db"), "\(output)")
        #expect(fix(of: "permissions", in: output) == "run as root, who owns it", "\(output)")
    }

    @Test(.asNobody)
    func aDatabaseThisUserCannotReadIsSaidSoNotTakenForAReadOnlyMount() throws {
        let copy = try TruncatedSession.closedCopy(seed: 302)
        Nobody.give(copy.path)
        #expect(chmod(copy.file("state.db"), 0o600) == 0)
        let doctor = try doctorAsNobody(copy.path)
        #expect(doctor.status == 1)
        let output = doctor.standardOutput
        #expect(output.contains("state.db: cannot read the database as this user (Permission denied)"), "\(output)")
        #expect(fix(of: "database", in: output) == "run as the agent's user, or make it readable", "\(output)")
        #expect(!output.contains("file system is read-only"), "\(output)")
        #expect(fix(of: "permissions", in: output) == "run as root, who owns it (or, if it was made read-only on purpose, leave it be)",
                "\(output)")
        let scan = try Nobody.fsck(["scan", "--home", copy.path])
        #expect(scan.status == 2)
        #expect(scan.standardError.contains("cannot read the database as this user (Permission denied); run as the agent's user"),
                "\(scan.standardError)")
    }

    @Test(.asNobody)
    func aReadOnlyDatabaseItsOwnerMayNotWriteGetsItsPermissionBack() throws {
        let copy = try TruncatedSession.closedCopy(seed: 303)
        Nobody.give(copy.path, copy.file("state.db"))
        #expect(chmod(copy.file("state.db"), 0o444) == 0)
        let output = try doctorAsNobody(copy.path).standardOutput
        #expect(fix(of: "permissions", in: output)
                == "this user owns it but may not write it: chmod u+w '\(copy.file("state.db"))' (or, if it was made read-only on purpose, leave it be)",
                "\(output)")
    }

    @Test(.asNobody)
    func aTranscriptsDirectoryThisUserCannotReadIsToBeMadeReadable() throws {
        let copy = try TruncatedSession.closedCopy(seed: 304)
        Nobody.give(copy.path, copy.file("state.db"))
        #expect(chmod(copy.file("sessions"), 0o700) == 0)
        let output = try doctorAsNobody(copy.path).standardOutput
        #expect(output.contains("sessions: cannot read this transcripts directory (Permission denied)"), "\(output)")
        #expect(fix(of: "transcripts", in: output) == "run as the agent's user, or make it readable", "\(output)")
    }

    @Test func jsonGivesEveryCheckWithItsResultAndFixAndTheCounts() throws {
        let copy = try TruncatedSession.closedCopy(seed: 305)  // that no process has open, this one included
        let healthy = try CommandRunner.fsck(["doctor", "--home", copy.path, "--format", "json"])
        #expect(healthy.status == 0, "\(healthy.standardOutput)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(healthy.standardOutput.utf8)) as? [String: Any])
        #expect(Array(document.keys).sorted() == ["checks", "stores", "summary"])
        let machine = try #require(document["checks"] as? [[String: Any]])
        #expect(machine.first?["name"] as? String == "sqlite" && machine.first?["result"] as? String == "ok")
        let stores = try #require(document["stores"] as? [[String: Any]])
        #expect(stores.count == 1)
        #expect(stores[0]["database"] as? String == copy.file("state.db"))
        #expect(stores[0]["profile"] as? String == "default" && stores[0]["root"] as? String == copy.path)
        let checks = try #require(stores[0]["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["journal", "schema", "integrity", "transcripts", "disk", "permissions",
                                                         "repair lock", "agent"])
        for check in machine + checks {
            #expect(Set(check.keys) == ["name", "result", "detail", "fix"], "\(check)")
            #expect(check["fix"] is NSNull, "\(check)")
        }
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary == ["stores": 1, "checks": machine.count + checks.count, "ok": machine.count + checks.count, "warning": 0, "failure": 0])

        try SQLiteConnection(path: copy.file("state.db"), mode: .readWrite).execute("PRAGMA journal_mode = DELETE")
        let warned = try CommandRunner.fsck(["doctor", "--home", copy.path, "--format", "json"])
        #expect(warned.status == 1)
        let warnedDocument = try #require(try JSONSerialization.jsonObject(with: Data(warned.standardOutput.utf8)) as? [String: Any])
        let journal = try #require(((warnedDocument["stores"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]])?.first)
        #expect(journal["result"] as? String == "warning")
        #expect((journal["fix"] as? String)?.contains("PRAGMA journal_mode=WAL") == true, "\(journal)")
        #expect((warnedDocument["summary"] as? [String: Int])?["warning"] == 1)
    }

    @Test func jsonOfAStoreThatCannotBeReadIsStillOneDocumentWithTheFailure() throws {
        let directory = TemporaryDirectory("doctor")
        let doctor = try CommandRunner.fsck(["doctor", "--home", directory.file("nowhere"), "--format", "json"])
        #expect(doctor.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(doctor.standardOutput.utf8)) as? [String: Any])
        let checks = try #require((document["stores"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]])
        let database = try #require(checks.first { $0["name"] as? String == "database" })
        #expect(database["result"] as? String == "failure")
        #expect(database["fix"] as? String == "pass --db FILE or --home DIR (default $HERMES_HOME or ~/.hermes)")
        #expect((document["summary"] as? [String: Int])?["failure"] == checks.filter { $0["result"] as? String == "failure" }.count)
    }

    @Test func jsonOfARootHasAStoreEntryForEachProfileInTheSameShape() throws {
        let root = try ProfiledRoot([("default", 6, 6), ("coder", 5, 5), ("fresh", 0, 0)])
        let doctor = try CommandRunner.fsck(["doctor", "--home", root.root, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(doctor.standardOutput.utf8)) as? [String: Any])
        let stores = try #require(document["stores"] as? [[String: Any]])
        #expect(stores.map { $0["profile"] as? String } == ["default", "coder", "fresh"])
        #expect(stores.allSatisfy { $0["root"] as? String == root.root })
        #expect(stores[1]["database"] as? String == root.database("coder"))
        let fresh = try #require(stores[2]["checks"] as? [[String: Any]])
        #expect(fresh.count == 1 && fresh[0]["name"] as? String == "profile" && fresh[0]["result"] as? String == "ok", "\(fresh)")
        let machine = try #require(document["checks"] as? [[String: Any]])
        #expect(machine.map { $0["name"] as? String } == ["sqlite", "profiles"])
        #expect((document["summary"] as? [String: Int])?["stores"] == 3)
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let doctor = try CommandRunner.fsck(["doctor", "--format", "markdown"])
        #expect(doctor.status == 2)
        #expect(doctor.standardError.contains("--format"), "\(doctor.standardError)")
    }
}
