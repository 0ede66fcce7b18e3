import Foundation
import Testing
@testable import TranscriptFsck

/// Which agent's home a run is on without `--agent`: the home named, else the environment, else the user's dot
/// directories; Hermes wherever there is doubt.
@Suite(.tags(.unit)) struct AgentDetectionTests {
    static let rollout = "rollout-2026-12-03T08-45-23-\(CodexReadingTests.threadID).jsonl"

    /// A directory with codex's layout: one rollout in `archived_sessions/`.
    func codexHome(_ directory: TemporaryDirectory, at name: String = "codex") throws -> String {
        try FileManager.default.createDirectory(atPath: directory.file(name + "/archived_sessions"), withIntermediateDirectories: true)
        try directory.write(name + "/archived_sessions/" + Self.rollout, [])
        return directory.file(name)
    }

    @Test func aHomeNamedIsCodexsOnlyWithCodexsLayoutAndNoStateDB() throws {
        let directory = TemporaryDirectory("detect-home")
        let codex = try codexHome(directory)
        #expect(AgentDetection.agent(home: codex, environment: [:]) == .codex)
        // The environment does not overrule the home named.
        #expect(AgentDetection.agent(home: codex, environment: ["HERMES_HOME": directory.path]) == .codex)
        try directory.write("codex/state.db", [])
        #expect(AgentDetection.agent(home: codex, environment: [:]) == .hermes)
        #expect(AgentDetection.agent(home: directory.file("nothing"), environment: ["CODEX_HOME": codex]) == .hermes)
    }

    @Test func withNoHomeHermesHomeComesFirstThenDotHermesThenCodexHome() throws {
        let directory = TemporaryDirectory("detect-environment")
        let codex = try codexHome(directory)
        let user = directory.file("user")
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user, "CODEX_HOME": codex]) == .codex)
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user, "CODEX_HOME": codex, "HERMES_HOME": "/h"]) == .hermes)
        // An empty variable is an unset one, as either agent takes it.
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user, "CODEX_HOME": codex, "HERMES_HOME": ""]) == .codex)
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user, "CODEX_HOME": ""]) == .hermes)
        // CODEX_HOME set is the user's word for it: a home without codex's files there is an error, not Hermes.
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user, "CODEX_HOME": directory.file("none")]) == .codex)
        #expect(throws: FsckError.self) {
            try AgentDetection.codexHome(agent: nil, home: nil, environment: ["HOME": user, "CODEX_HOME": directory.file("none")])
        }
    }

    @Test func withNothingSetDotCodexIsReadOnlyWithoutDotHermes() throws {
        let user = TemporaryDirectory("detect-dot")
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user.path]) == .hermes)
        let codex = try codexHome(user, at: ".codex")
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user.path]) == .codex)
        #expect(try AgentDetection.codexHome(agent: nil, home: nil, environment: ["HOME": user.path])?.path == codex)
        #expect(mkdir(user.file(".hermes"), 0o755) == 0)
        #expect(AgentDetection.agent(home: nil, environment: ["HOME": user.path]) == .hermes)
        #expect(try AgentDetection.codexHome(agent: nil, home: nil, environment: ["HOME": user.path]) == nil)
        #expect(try AgentDetection.codexHome(agent: .codex, home: nil, environment: ["HOME": user.path])?.path == codex)
    }

    @Test func agentHermesIsNeverCodexAndAgentCodexNeedsCodexsFiles() throws {
        let directory = TemporaryDirectory("detect-forced")
        let codex = try codexHome(directory)
        #expect(try AgentDetection.codexHome(agent: .hermes, home: codex, environment: [:]) == nil)
        #expect(try AgentDetection.codexHome(agent: .codex, home: codex, environment: [:])?.path == POSIX.resolved(codex))
        #expect {
            try AgentDetection.codexHome(agent: .codex, home: directory.file("empty"), environment: [:])
        } throws: { error in
            guard case .codexHomeNotFound(let path) = error as? FsckError else { return false }
            return path.hasSuffix("/empty")
        }
    }
}
