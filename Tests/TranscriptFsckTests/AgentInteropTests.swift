import Foundation
import Testing
@testable import TranscriptFsck

/// The released agent's own code damages a store, the tool repairs it, the agent's own readers read it back
/// (Tests/Interop/interop.py and hermes_driver.py). Pinned versions come from a venv cached outside the clone.
///
/// Every round also carries the scenarios of Tests/Interop/hermes_scenarios.py: compression lineages whose root or
/// child lost rows, /retry, /undo and /compress that half failed under a held lock (to be left as they are), deleted
/// and never-recorded sessions (only `repair --create-missing` or `--session` brings them back), and in rounds that
/// upgrade to 0.16.0 or later an /undo whose target id is read before a repair and written after it.
@Suite(.tags(.interop)) struct AgentInteropTests {
    static let interop = InteropScripts.directory + "/interop.py"

    func round(_ arguments: String) throws -> CommandResult {
        try CommandRunner.shell("python3 '\(Self.interop)' --fsck '\(CommandRunner.path(of: "transcript-fsck"))' \(arguments)")
    }

    /// 0.13.0 and 0.14.0 write both stores; 0.19.0 is the newest release, reading SQLite only. The upgrades differ in
    /// what the agent does next: 0.15.2 compresses into a child and has no undo; 0.16.0 undoes (active) and still
    /// compresses into a child; 0.17.0's CLI /compress after a /resume flushes the whole history into the parent a
    /// second time, and its get_messages_as_conversation reads ORDER BY timestamp, id; 0.18.2 compacts in place.
    @Test(arguments: ["0.13.0", "0.14.0", "0.13.0 -> 0.19.0", "0.14.0 -> 0.19.0", "0.13.0 -> 0.16.0",
                      "0.14.0 -> 0.15.2", "0.13.0 -> 0.17.0", "0.13.0 -> 0.18.2"])
    func theAgentReadsEveryRepairedSessionBackWholeAndInOrder(versions: String) throws {
        let parts = versions.components(separatedBy: " -> ")
        let result = try round("--version \(parts[0])" + (parts.count > 1 ? " --upgrade-to \(parts[1])" : ""))
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
    }

    /// Profiles made by the agent's own create_profile, each damaged through its write paths: one scan of the root
    /// reports the profiles the agent lists, one repair leaves each whole as the agent reads it.
    @Test func aRootsProfilesAreEachAuditedAndRepairedAsTheAgentListsAndReadsThem() throws {
        let result = try round("--version 0.13.0 --upgrade-to 0.19.0 --profiles coder,writer")
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("\"profiles\": [\"default\", \"coder\", \"writer\"]"))
    }

    @Test func theAgentsOwnWritersLoseNothingWhileARepairRuns() throws {
        let result = try round("--version 0.13.0 --upgrade-to 0.19.0 --writers")
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("\"agent_appends\""))
    }
}
