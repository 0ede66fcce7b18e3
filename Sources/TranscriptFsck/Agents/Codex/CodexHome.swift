/// A Codex CLI home (`CODEX_HOME`, else `~/.codex`), recognised by the layout the released codex leaves in it
/// (Docs/CODEX-FORMAT.md, section 2): the thread index `state_5.sqlite`, the rollouts under `sessions/YYYY/MM/DD/` and,
/// flat, `archived_sessions/`, and from 0.163.0 the projection `thread_history_1.sqlite`.
///
/// ```swift
/// let path = CodexHome.resolve(home: nil, environment: environment)
/// if let home = CodexHome.recognize(path) { let found = try home.discoverRollouts() }
/// ```
public struct CodexHome: Sendable, Equatable {
    static let stateDatabaseName = "state_5.sqlite"
    static let historyDatabaseName = "thread_history_1.sqlite"
    static let sessionsName = "sessions"
    static let archivedSessionsName = "archived_sessions"
    /// A rollout's name ends in one of these, longest first; `.jsonl.zst` is compressed (CODEX-FORMAT.md, section 2).
    static let rolloutSuffixes = [".jsonl.zst", ".jsonl"]

    public let path: String
    /// Which of codex's files are there: a home need not have all (0.133.0 never makes the history database; a
    /// deleted index is rebuilt by codex's next start).
    let hasStateDatabase: Bool
    let hasHistoryDatabase: Bool
    let hasSessions: Bool
    let hasArchivedSessions: Bool

    var stateDatabase: String { path + "/" + Self.stateDatabaseName }
    var historyDatabase: String { path + "/" + Self.historyDatabaseName }
    var sessions: String { path + "/" + Self.sessionsName }
    var archivedSessions: String { path + "/" + Self.archivedSessionsName }

    /// The home codex itself would use: `home` or a non-empty `CODEX_HOME`, each made absolute with its links resolved
    /// as codex canonicalises it (the rows' `rollout_path` are written under that spelling), else `$HOME/.codex` as it is.
    public static func resolve(home: String?, environment: [String: String]) -> String {
        if let given = home ?? environment["CODEX_HOME"].flatMap({ $0.isEmpty ? nil : $0 }) { return POSIX.resolved(given) }
        return (environment["HOME"] ?? ".") + "/.codex"
    }

    /// The home at `path` when it has codex's layout: a `state_5.sqlite` file, or a rollout file (`rollout-*.jsonl`)
    /// under `sessions/` or `archived_sessions/`; nil otherwise. A Hermes home has a `sessions/` too, of `<id>.jsonl`
    /// transcripts, and a `state.db`: neither makes a Codex home.
    public static func recognize(_ path: String) -> CodexHome? {
        let home = CodexHome(path: path)
        guard home.hasStateDatabase || Self.holdsRollout(home.sessions, depth: 4) || Self.holdsRollout(home.archivedSessions, depth: 1)
        else { return nil }
        return home
    }

    /// What is at `path` now, recognised or not.
    init(path: String) {
        self.path = path
        hasStateDatabase = (try? FileStatus(path: path + "/" + Self.stateDatabaseName))?.isRegularFile == true
        hasHistoryDatabase = (try? FileStatus(path: path + "/" + Self.historyDatabaseName))?.isRegularFile == true
        hasSessions = POSIX.isDirectory(path + "/" + Self.sessionsName)
        hasArchivedSessions = POSIX.isDirectory(path + "/" + Self.archivedSessionsName)
    }

    /// True for a path that names one of codex's two databases, by its file name.
    static func isDatabase(_ path: String) -> Bool {
        [stateDatabaseName, historyDatabaseName].contains { path == $0 || path.hasSuffix("/" + $0) }
    }

    /// True for the names codex gives rollouts: `rollout-<timestamp>-<thread id>.jsonl`, or `.jsonl.zst` compressed.
    static func isRolloutName(_ name: String) -> Bool {
        name.hasPrefix("rollout-") && rolloutSuffixes.contains { name.hasSuffix($0) }
    }

    /// Whether a rollout lies in `directory` or below it, at most `depth` levels down (codex's dated folders are three).
    private static func holdsRollout(_ directory: String, depth: Int) -> Bool {
        guard depth > 0, let names = try? POSIX.entryNames(in: directory) else { return false }
        var subdirectories: [String] = []
        for name in names {
            let path = directory + "/" + name
            guard let status = try? FileStatus(linkAt: path) else { continue }
            if status.isRegularFile, isRolloutName(name) { return true }
            if status.isDirectory { subdirectories.append(path) }
        }
        return subdirectories.contains { holdsRollout($0, depth: depth - 1) }
    }

    /// Every rollout file under `sessions/` and `archived_sessions/`, in path order, found as the transcript discovery
    /// finds transcripts (symbolic links not followed, names that are not UTF-8 not read and named in `unread`).
    /// Compressed rollouts (`.jsonl.zst`) are found as well, though codex was not seen to write one (CODEX-FORMAT.md,
    /// section 12): its source can, and a home that has one must not hide the thread.
    func discoverRollouts() throws(FsckError) -> RolloutDiscovery {
        let roots = [(sessions, RolloutFile.Place.sessions), (archivedSessions, .archivedSessions)].filter { POSIX.isDirectory($0.0) }
        var found = RolloutDiscovery()
        for (root, place) in roots {
            let discovery = try TranscriptDiscovery.find(roots: [root], suffixes: Self.rolloutSuffixes)
            found.unread += discovery.unread
            for path in discovery.transcripts.values.joined() {
                let name = String(path.split(separator: "/").last ?? "")
                guard Self.isRolloutName(name), let stamp = discovery.stamps[path] else { continue }
                found.rollouts.append(RolloutFile(path: path, place: place, threadIDInName: RolloutFile.threadID(inName: name),
                                                  size: stamp.size))
            }
        }
        found.rollouts.sort { $0.path < $1.path }
        return found
    }
}

/// One rollout file found in a home.
struct RolloutFile: Sendable, Equatable {
    /// Where in the home it lies: which of codex's lists it belongs to.
    enum Place: Sendable, Equatable {
        case sessions, archivedSessions
        /// Outside both folders: a row's `rollout_path` that names a file elsewhere.
        case elsewhere
    }

    let path: String
    let place: Place
    /// The thread id the name ends in, as codex finds a thread's file by id; nil when the name ends in no UUID.
    let threadIDInName: String?
    /// The file's size on disk: for a compressed rollout, the compressed bytes (its text's extent is the `Rollout`'s).
    let size: Int

    /// A `.jsonl.zst` rollout: read through zstd, never projected by the repair (`CodexProjector`).
    var isCompressed: Bool { Self.isCompressed(path) }

    static func isCompressed(_ path: String) -> Bool { path.hasSuffix(".jsonl.zst") }

    /// The UUID before `.jsonl` in `rollout-2026-12-03T08-45-23-01a23b14-68ba-7b73-8589-1f1e27b7f100.jsonl`.
    static func threadID(inName name: String) -> String? {
        var stem = Substring(name)
        for suffix in CodexHome.rolloutSuffixes where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        let id = stem.suffix(36)
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        guard id.count == 36, groups.map(\.count) == [8, 4, 4, 4, 12],
              groups.allSatisfy({ $0.utf8.allSatisfy { JSONScanner.hexValue($0) != nil } }) else { return nil }
        return String(id)
    }
}

/// The rollout files of a home, and what could not be read.
struct RolloutDiscovery: Sendable, Equatable {
    var rollouts: [RolloutFile] = []
    var unread: [UnreadEntry] = []
}
