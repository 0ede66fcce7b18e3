/// Why a command could not run at all (exit status 2); prints as one line with what to do.
public enum FsckError: Error, Sendable {
    case databaseNotFound(path: String)
    /// The home given is a Codex CLI home (`CodexHome.recognize`), and the command (repair, a run over several homes,
    /// `--agent hermes`) reads Hermes homes only.
    case codexHome(path: String)
    /// A codex process has the home's database open (`path`), or holds a thread's writer lock (`writingThread`).
    case codexRunning(path: String, writingThread: Bool)
    /// The run is on Codex (`--agent codex`, `CODEX_HOME`), and the home has none of codex's files.
    case codexHomeNotFound(path: String)
    /// The Codex home's directory cannot be listed by this user.
    case codexHomeUnreadable(path: String, errno: Int32)
    /// `--session` names a thread the Codex home does not hold.
    case threadNotFound(id: String, home: String)
    /// `export` was asked for a Codex thread: codex's rollout is the transcript already (nil: no such thread).
    case codexExport(threadID: String, rolloutPath: String?, home: String)
    /// A database the repair must write that SQLite can only open read-only; found before the first write.
    case databaseNotWritable(path: String)
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
    /// The database's owner and permission bits, which the repair lock and the backup take, cannot be read.
    case databaseModeUnreadable(path: String, errno: Int32)
    /// `stat(2)` of the database failed other than by its absence.
    case databaseUnstatable(path: String, errno: Int32)
    case repairLockBusy(path: String, seconds: Double)
    case repairLockUnusable(path: String, RepairLockDefect)
    case backupFailed(path: String, BackupFailure)
    /// `--since` names a file that holds something other than an audit state file.
    case notAStateFile(path: String)
    /// `--session` names an id that neither the database nor the transcripts hold.
    case sessionNotFound(id: SessionID, database: String)
    case sessionHasNoMessages(id: SessionID, database: String)
    /// A message's text column is not UTF-8, so no transcript can hold it as stored.
    case messageNotUTF8(database: String, session: SessionID, rowID: Int64, column: String, byteOffset: Int, reason: String)
    case gzipToTerminal
    /// An error of no kind above, from reading the database at `path`.
    case unexpected(path: String, error: String)
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

    /// Why the repair lock file cannot serve as one.
    public enum RepairLockDefect: Sendable {
        case symbolicLink, notARegularFile
        case open(errno: Int32)
        case lock(errno: Int32)
    }

    /// Why the backup was not made.
    public enum BackupFailure: Sendable {
        case exists
        case create(errno: Int32)
        case copy(message: String)
        /// Another connection held the database for all of `--busy-timeout`.
        case lockedThroughout(message: String, seconds: Int)
        /// `--backup` names no directory, and a Codex home has two databases to back up.
        case notADirectory
        case integrity(verdict: String)
        case name(errno: Int32)
    }
}

extension FsckError {
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
        default: self = .unexpected(path: path, error: "\(error)")
        }
    }
}
