/// The agents whose homes the tool reads.
public enum Agent: String, Sendable, CaseIterable {
    case hermes, codex
}

/// Which agent's home a run is on when `--agent` does not say, and the Codex home it reads when it is codex's.
///
/// ```swift
/// if let home = try AgentDetection.codexHome(agent: nil, home: nil, environment: environment) { ... audit it ... }
/// ```
public enum AgentDetection {
    /// The agent whose home `home` is, or, with no home named, the one the environment points at: `HERMES_HOME` first,
    /// then Hermes' `~/.hermes` where it exists, then `CODEX_HOME`, then `~/.codex` where it is a Codex home. A run that
    /// read `~/.hermes` before Codex was known reads it still, whatever else the environment holds.
    /// A home named is Codex's only when it has codex's layout and no Hermes `state.db`: Hermes stays the default
    /// wherever there is doubt, so that every run that read a Hermes home before reads it still.
    public static func agent(home: String?, environment: [String: String]) -> Agent {
        if let home { return isCodexHome(home) ? .codex : .hermes }
        if isSet(HermesLayout.homeVariable, in: environment) { return .hermes }
        if POSIX.exists(HermesLayout.defaultHome(environment: environment)) { return .hermes }
        if isSet(codexHomeVariable, in: environment) { return .codex }
        return CodexHome.recognize(CodexHome.resolve(home: nil, environment: environment)) != nil ? .codex : .hermes
    }

    /// The Codex home a run reads, or nil when the run is on a Hermes home: `agent` when given (`--agent`), else the one
    /// `agent(home:environment:)` finds. The home is `home`, else `CODEX_HOME`, else `~/.codex`, as codex resolves it.
    ///
    /// - Throws: ``FsckError/codexHomeNotFound(path:)`` when the run is on Codex and the home has none of codex's files
    ///   (an audit of nothing would say all is well), ``FsckError/codexHomeUnreadable(path:errno:)`` when it cannot be listed.
    public static func codexHome(agent: Agent?, home: String?, environment: [String: String]) throws(FsckError) -> CodexHome? {
        guard (agent ?? self.agent(home: home, environment: environment)) == .codex else { return nil }
        let path = CodexHome.resolve(home: home, environment: environment)
        if let found = CodexHome.recognize(path) { return found }
        // A home this user may not list looks empty: said as what it is, not as no home.
        if POSIX.isDirectory(path) {
            do { _ = try POSIX.entryNames(in: path) } catch where error != .notFound { throw .codexHomeUnreadable(path: path, errno: error.rawValue) } catch {}
        }
        throw .codexHomeNotFound(path: path)
    }

    /// True for a directory with codex's layout and without a Hermes database. The database is looked for first: a
    /// Hermes home is then never walked for rollouts, however many transcripts its `sessions/` holds.
    public static func isCodexHome(_ path: String) -> Bool {
        !POSIX.exists(HermesLayout.database(inHome: path)) && CodexHome.recognize(path) != nil
    }

    static let codexHomeVariable = "CODEX_HOME"

    private static func isSet(_ variable: String, in environment: [String: String]) -> Bool {
        !(environment[variable] ?? "").isEmpty
    }
}
