import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A store written by Python's own json and sqlite3 modules, as FORMAT.md says the agent writes it,
/// read back by Python the way the agent reads it: the Swift fixtures only imitate those encoders.
@Suite(.tags(.store)) struct InteropTests {
    static let scripts = InteropScripts.directory

    @Test func scalarContentAndAnEscapedSessionMetaRoleAreReadAndWrittenAsTheAgentDoes() throws {
        let directory = TemporaryDirectory("scalars")
        let home = directory.file("home")
        let build = try CommandRunner.shell("python3 '\(Self.scripts)/scalar_store.py' '\(home)' '\(FixtureSchema.early.sqlPath)'")
        try #require(build.status == 0, "\(build.standardError)")
        let scan = try CommandRunner.fsck(["scan", "--home", home])
        #expect(scan.status == 0, "\(scan.standardOutput)")
        #expect(scan.standardOutput.contains("ok 11,"), "\(scan.standardOutput)")
        let before = try CommandRunner.shell("python3 '\(Self.scripts)/scalar_store.py' '\(home)' --dump").standardOutput
        // Lose the agent's rows of the scalar messages, then have them written back.
        try SQLiteConnection(path: home + "/state.db", mode: .readWrite).execute("DELETE FROM messages WHERE role = 'user'")
        let repair = try CommandRunner.fsck(["repair", "--home", home, "--no-backup"])
        #expect(repair.status == 0, "\(repair.standardOutput)")
        let after = try CommandRunner.shell("python3 '\(Self.scripts)/scalar_store.py' '\(home)' --dump").standardOutput
        #expect(after == before, "written back: \(after)\nas the agent wrote: \(before)")
        #expect(!after.contains("session_meta"))
    }


    @Test(arguments: [FixtureSchema.early, .late])
    func pythonWrittenStoreIsScannedRepairedAndReadBackByPython(schema: FixtureSchema) throws {
        let directory = TemporaryDirectory("interop")
        let home = directory.path + "/hermes"
        let build = try CommandRunner.shell("python3 '\(Self.scripts)/agent_store.py' '\(home)' '\(schema.sqlPath)'")
        #expect(build.status == 0, "\(build.standardError)")

        let scan = try CommandRunner.fsck(["scan", "--home", home, "--format", "json"])
        let summary = (try JSONSerialization.jsonObject(with: Data(scan.standardOutput.utf8)) as? [String: Any])?["summary"] as? [String: Int]
        #expect(summary?["ok"] == 1)
        #expect(summary?["truncated"] == 2)
        #expect(summary?["missing"] == 1)
        #expect(summary?["missing_messages"] == 195 + 994 + 40)

        #expect(try CommandRunner.fsck(["repair", "--home", home, "--no-backup", "--create-missing"]).status == 0)
        let read = try CommandRunner.shell("python3 '\(Self.scripts)/agent_read.py' '\(home)'")
        let lines = read.standardOutput.split(separator: "\n")
        #expect(lines.count == 4, "\(read.standardError)")
        for line in lines { #expect(line.contains("same=True") && line.contains("counter=True") && line.contains("tools=True"), "\(line)") }
        #expect(try CommandRunner.fsck(["scan", "--home", home]).status == 0)
    }
}
