import Foundation
import Testing
@testable import TranscriptFsck

/// The released agent's own code damages a store, the tool repairs it, the agent's own readers read it back
/// (Tests/Interop/interop.py and hermes_driver.py). Pinned versions come from a venv cached outside the clone.
@Suite struct AgentInteropTests {
    static let interop = InteropScripts.directory + "/interop.py"

    func round(_ arguments: String) throws -> CommandResult {
        try CommandRunner.shell("python3 '\(Self.interop)' --fsck '\(CommandRunner.path(of: "transcript-fsck"))' \(arguments)")
    }

    /// 0.13.0 and 0.14.0 write both stores; 0.19.0 is the newest release, reading SQLite only; 0.16.0 stands for
    /// 0.15.0 to 0.17.0, which undo (active) but compress into a new session and have no compacted column.
    @Test(arguments: ["0.13.0", "0.14.0", "0.13.0 -> 0.19.0", "0.14.0 -> 0.19.0", "0.13.0 -> 0.16.0"])
    func theAgentReadsEveryRepairedSessionBackWholeAndInOrder(versions: String) throws {
        let parts = versions.components(separatedBy: " -> ")
        let result = try round("--version \(parts[0])" + (parts.count > 1 ? " --upgrade-to \(parts[1])" : ""))
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
    }

    @Test func theAgentsOwnWritersLoseNothingWhileARepairRuns() throws {
        let result = try round("--version 0.13.0 --upgrade-to 0.19.0 --writers")
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("\"agent_appends\""))
    }
}
