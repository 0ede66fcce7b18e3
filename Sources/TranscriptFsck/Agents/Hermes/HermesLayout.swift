/// Where a Hermes home keeps its two stores, as `hermes_constants.py` and `SessionDB` name them (0.13.0 to 0.19.0
/// alike): `HOME/state.db`, and one transcript a session under `HOME/sessions/`, `<id>.jsonl` or, archived,
/// `<id>.jsonl.gz`. The home is `$HERMES_HOME`, else `~/.hermes`.
enum HermesLayout {
    static let homeVariable = "HERMES_HOME"
    static let databaseName = "state.db"
    static let transcriptsDirectoryName = "sessions"
    /// Longest first, so that `.jsonl.gz` is never read as `.gz` after a `.jsonl` id.
    static let transcriptSuffixes = [".jsonl.gz", ".jsonl"]

    /// The home the agent uses when it is given none: `$HERMES_HOME` when set and not empty, else `~/.hermes`.
    static func defaultHome(environment: [String: String]) -> String {
        environment[homeVariable].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? ".") + "/.hermes"
    }

    static func database(inHome home: String) -> String { home + "/" + databaseName }
    static func transcripts(inHome home: String) -> String { home + "/" + transcriptsDirectoryName }

    /// The home whose database `database` is, when it is named as the agent names it; nil for any other name.
    static func home(ofDatabase database: String) -> String? {
        let suffix = "/" + databaseName
        return database.hasSuffix(suffix) ? String(database.dropLast(suffix.count)) : nil
    }

    /// True for the file names the agent gives transcripts.
    static func isTranscript(_ fileName: String) -> Bool {
        transcriptSuffixes.contains { fileName.hasSuffix($0) }
    }

    /// The session id a transcript's file name stands for.
    static func sessionID(fromFileName fileName: String) -> String {
        for suffix in transcriptSuffixes where fileName.hasSuffix(suffix) {
            return String(fileName.dropLast(suffix.count))
        }
        return fileName
    }
}
