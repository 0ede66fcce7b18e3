/// Why a command could not run at all (exit status 2); prints as one line with what to do.
public enum FsckError: Error, CustomStringConvertible, Sendable {
    case databaseNotFound(path: String)
    case notADatabase(path: String, detail: String)
    /// The database file itself cannot be opened for reading by this user (its mode or owner), before SQLite is asked.
    case databaseUnreadable(path: String, errno: Int32)
    case unknownSchema(path: String, detail: String)
    case transcriptsNotFound(path: String)
    case transcriptsUnreadable(path: String, errno: Int32)
    /// A WAL database SQLite cannot open where it is: its `-wal` and `-shm` cannot be read or made (a read-only mount).
    case walFilesUnavailable(path: String, message: String)
    /// A WAL database this user cannot read: SQLite must create or write its `-shm`, and cannot.
    case sharedMemoryUnwritable(path: String)
    case database(SQLiteError)
    case io(path: String, detail: String)
    case repairLockBusy(path: String, seconds: Double)
    case invalidArgument(String)
    case repairStopped(path: String, reason: RepairReason, sessionsRepaired: Int)
    case damagedDatabase(path: String, verdict: String)
    case output(FileFailure)
    case databaseReplaced(path: String)
    case notAProfileName(String)
    case profileNotFound(root: String, name: String, available: [String])
    case homesFileUnreadable(path: String, errno: Int32)
    case homesFileDefect(path: String, line: Int?, defect: HomesFileDefect)
    case profilesUnlistable(path: String, errno: Int32)
    /// A repair of several stores was asked to stop (SIGINT, SIGTERM, SIGHUP) before it came to this one.
    case interruptedBeforeStore(signal: Int32)

    /// What is wrong with a `--homes-from` file.
    public enum HomesFileDefect: Sendable { case nulByte, noHomes }

    public var description: String {
        let (problem, remedy) = parts
        return remedy.map { "\(problem); \($0)" } ?? problem
    }

    /// The error as what is wrong and, apart, what to do about it, for a reader that puts the second on a line of its own
    /// (`doctor`'s fix lines). The remedy is nil where the line says only what is wrong, or words both in one sentence.
    public var parts: (problem: String, remedy: String?) {
        switch self {
        case .databaseNotFound(let path):
            ("\(path): no such database", "pass --db FILE or --home DIR (default $HERMES_HOME or ~/.hermes)")
        case .notADatabase(let path, let detail):
            ("\(path): not a SQLite database (\(detail))", "check that --db or --home names the agent's state.db")
        case .databaseUnreadable(let path, let code):
            ("\(path): cannot read the database as this user (\(POSIX.describe(code)))", "run as the agent's user, or make it readable")
        case .transcriptsNotFound(let path):
            ("\(path): no such transcripts directory", "pass --transcripts DIR or --home DIR")
        case .transcriptsUnreadable(let path, let code):
            ("\(path): cannot read this transcripts directory (\(POSIX.describe(code))), so its sessions cannot be audited",
             "run as the agent's user, or make it readable")
        case .walFilesUnavailable(let path, let message):
            ("\(path): SQLite cannot open it here (\(message)): in WAL mode it needs its -wal and -shm beside it, and this file "
                + "system is read-only or they are not readable",
             "audit a copy on a writable disk, or a snapshot taken with the agent stopped (no -wal left), which is read as it is")
        case .sharedMemoryUnwritable(let path):
            ("\(path): cannot read it as this user: it is in WAL mode, and SQLite must create or write its -shm file beside it, "
                + "where this user cannot write",
             "run as the agent's user (or one with write access to the directory)")
        case .repairLockBusy(let path, let seconds):
            ("\(path): another repair holds this lock (waited \(Int(seconds)) s)", "wait for it to finish, then run again")
        case .interruptedBeforeStore(let signal):
            ("interrupted (\(SignalName.of(signal))) before this store was come to: nothing of it was read or written",
             "run the repair again")
        default:
            (wholeLine, nil)
        }
    }

    /// The errors worded as one line.
    private var wholeLine: String {
        switch self {
        case .databaseNotFound, .notADatabase, .databaseUnreadable, .transcriptsNotFound, .transcriptsUnreadable, .walFilesUnavailable,
             .sharedMemoryUnwritable, .repairLockBusy, .interruptedBeforeStore:
            parts.problem  // worded in two parts above
        case .unknownSchema(let path, let detail):
            "\(path): unknown schema: \(detail); this does not look like a Hermes state.db, so nothing was read or written"
        case .database(let error):
            "\(error)"
        case .io(let path, let detail):
            "\(path): \(detail)"
        case .invalidArgument(let detail):
            detail
        case .repairStopped(let path, let reason, let repaired):
            "\(path): repair stopped: \(reason.sentence); \(Counted(repaired, "session").with("was", "were")) repaired before, each whole; "
                + "every other session is untouched. Fix the cause (free space, permissions), then run the repair again"
        case .output(let failure):
            "\(failure.path): " + Self.describe(failure.reason)
        case .databaseReplaced(let path):
            "\(path): the database was removed or replaced while it was being read, so no report was made of a file that "
                + "is gone; nothing was written. Run again once the file stays put (a restore or migration in progress?)"
        case .notAProfileName(let name):
            "--profile '\(name)': not a profile name (the agent's are [a-z0-9][a-z0-9_-]{0,63}, and default); nothing was read"
        case .profileNotFound(let root, let name, _) where !POSIX.isDirectory(root):
            "\(root): no such directory, so no profile '\(name)' here; point --home at the agent's root"
        case .profileNotFound(let root, let name, let available):
            "\(root): no profile '\(name)' here (its profiles: \(available.isEmpty ? "none" : available.joined(separator: ", "))); "
                + "name one of them, or point --home at the root that holds it"
        case .homesFileUnreadable(let path, let code):
            "\(path): cannot read this list of homes: \(POSIX.describe(code)); nothing was read"
        case .homesFileDefect(let path, let line, .nulByte):
            "\(path): line \(line ?? 0) holds a NUL byte, which no path can; is this a list of homes, one a line? nothing was read"
        case .homesFileDefect(let path, _, .noHomes):
            "\(path): lists no home (only blank lines and comments); list one home a line, or leave out --homes-from; nothing was read"
        case .profilesUnlistable(let path, let code):
            "\(path): cannot list the profiles here: \(POSIX.describe(code)), so they would go unaudited; run as the agent's user"
        case .damagedDatabase(let path, let verdict):
            "\(path): the database is damaged (\(Self.firstLines(of: verdict))), so what it says it holds cannot be trusted: "
                + "no report was made, nothing was written. Stop the agent; if only indexes are named, sqlite3 \(path) REINDEX "
                + "mends them, else restore it from a backup or rebuild it with sqlite3's .recover; then run again"
        }
    }
}

extension FsckError {
    /// SQLite's integrity report, one problem a line, as the first three on one line and how many more.
    private static func firstLines(of verdict: String) -> String {
        let lines = verdict.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty && !$0.hasPrefix("***") }
        let shown = lines.prefix(3).map { $0.count > 100 ? $0.prefix(100) + "..." : $0[...] }.joined(separator: "; ")
        return lines.count > 3 ? "\(shown); and \(lines.count - 3) more" : shown
    }

    /// A file the tool could not write, in words, with what to do.
    private static func describe(_ reason: FileFailure.Reason) -> String {
        let unchanged = "the previous file, if any, is unchanged"
        return switch reason {
        case .symbolicLink: "is a symbolic link to a file; name the file it points to, nothing was written"
        case .storeFile(let name): "is the store's own \(name); name another file for the output, nothing was written"
        case .directory: "is a directory; name a file, nothing was written"
        case .open(let code): "cannot open: \(POSIX.describe(code)); nothing was written"
        case .create(let code): "cannot create: \(POSIX.describe(code)); nothing was written"
        case .createTemporary(let code): "cannot create a temporary file beside it: \(POSIX.describe(code)); nothing was written"
        case .write(let code): "cannot write: \(POSIX.describe(code)); \(unchanged)"
        case .flush(let temporary?, let code): "cannot flush \(temporary): \(POSIX.describe(code)); \(unchanged)"
        case .flush(nil, let code): "cannot finish writing: \(POSIX.describe(code))"
        case .rename(let temporary, let code): "cannot rename \(temporary) over it: \(POSIX.describe(code)); \(unchanged)"
        }
    }

    /// What a SQLite failure on the database at `path` means to the operator.
    init(_ error: SQLiteError, path: String) {
        if error.isNotADatabase {
            self = .notADatabase(path: path, detail: error.message)
        } else if error.isCannotOpen {
            self = .walFilesUnavailable(path: path, message: error.message)
        } else if error.isCorrupt {
            self = .damagedDatabase(path: path, verdict: error.message)
        } else if error.isUnwritableSharedMemory {
            self = .sharedMemoryUnwritable(path: path)
        } else {
            self = .database(error)
        }
    }

    /// The same for any error thrown while reading the database.
    init(reading error: any Error, path: String) {
        switch error {
        case let error as FsckError: self = error
        case let error as SQLiteError: self.init(error, path: path)
        default: self = .io(path: path, detail: "\(error)")
        }
    }
}
