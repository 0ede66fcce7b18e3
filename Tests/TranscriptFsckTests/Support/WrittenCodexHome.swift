import Foundation
@testable import TranscriptFsck

/// A small Codex home written by hand, so that the command-line tests run without the codex binaries: legacy threads
/// (0.133.0's kind, no projection), each a rollout under `sessions/2026/12/03/` and a row in `state_5.sqlite`. Damaged,
/// it has one thread of each kind below: `ok`, `unindexed` (a rollout with no row: missing) and `stale` (a row whose
/// rollout is gone).
struct WrittenCodexHome {
    static let ok = "01a23b14-0000-7000-8000-000000000001"
    static let unindexed = "01a23b14-0000-7000-8000-000000000002"
    static let stale = "01a23b14-0000-7000-8000-000000000003"
    static let dated = "sessions/2026/12/03/"

    let directory = TemporaryDirectory("codex-written-home")
    var path: String { directory.path }
    var stateDatabase: String { directory.file(CodexHome.stateDatabaseName) }

    init(damaged: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: directory.file(Self.dated), withIntermediateDirectories: true)
        let okRollout = try rollout(Self.ok)
        var rows = [(Self.ok, okRollout)]
        if damaged {
            try rollout(Self.unindexed)
            rows.append((Self.stale, directory.file(Self.dated + Self.rolloutName(Self.stale))))
        }
        try SQLiteConnection(path: stateDatabase, mode: .create).execute("""
            CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0,
                                  history_mode TEXT NOT NULL DEFAULT 'legacy');
            \(rows.map { "INSERT INTO threads (id, rollout_path) VALUES ('\($0.0)', '\($0.1)');" }.joined(separator: "\n"))
            """)
    }

    static func rolloutName(_ id: String) -> String { "rollout-2026-12-03T08-45-23-\(id).jsonl" }

    /// A legacy rollout of two turns for thread `id`.
    @discardableResult
    func rollout(_ id: String) throws -> String {
        let lines = CodexReadingTests.paginatedLines(ordinals: false).map {
            $0.replacingOccurrences(of: CodexReadingTests.threadID, with: id).replacingOccurrences(of: #", "history_mode": "paginated""#, with: "")
        }
        return try directory.write(Self.dated + Self.rolloutName(id), CodexReadingTests.text(lines))
    }

    /// The home's entries, deep, for checking that a command wrote nothing.
    func listing() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: path).sorted()
    }
}
