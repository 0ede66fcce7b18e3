/// `FsckError` in words: what is wrong and what to do, the one place they are worded.
extension FsckError: CustomStringConvertible {
    public var description: String {
        let (problem, remedy) = parts
        return remedy.map { "\(problem); \($0)" } ?? problem
    }

    /// The error as what is wrong and, apart, what to do about it, for a reader that puts the second on a line of its own
    /// (`doctor`'s fix lines). The remedy is nil where the line says only what is wrong, or words both in one sentence.
    var parts: (problem: String, remedy: String?) {
        switch self {
        case .databaseNotFound(let path):
            ("\(path): no such database", "pass --db FILE or --home DIR (default $HERMES_HOME or ~/.hermes)")
        case .codexHome(let path):
            ("\(path): a Codex CLI home (state_5.sqlite, rollouts), not a Hermes one",
             "scan, doctor and repair take it named alone (--home DIR, or --agent codex); runs over several homes "
                + "read Hermes homes only; nothing was read or written")
        case .codexRunning(let path, let writingThread):
            (writingThread ? "\(path): codex is writing a thread (it holds this writer lock)" : "\(path): codex has this database open",
             "stop every codex process using the home (the CLI, app-server, the IDE extension) and run the repair again; nothing was written")
        case .databaseNotWritable(let path):
            ("\(path): this process cannot write the database (the file, its directory or its file system is read-only, or immutable)",
             "make it writable (or run as its owner) and run the repair again; nothing was written")
        case .codexHomeUnreadable(let path, let code):
            ("\(path): cannot read this Codex home as this user (\(POSIX.describe(code)))",
             "run as the user codex runs as, or make it readable; nothing was read")
        case .codexHomeNotFound(let path):
            ("\(path): no Codex CLI home here (no state_5.sqlite, no rollout under sessions/ or archived_sessions/)",
             "pass --home DIR or set CODEX_HOME to the home codex uses; nothing was read")
        case .notADatabase(let path, let detail) where CodexHome.isDatabase(path):
            ("\(path): not a SQLite database (\(detail))",
             "this is codex's own file: move it aside and restore it from a backup"
                + (path.hasSuffix(CodexHome.stateDatabaseName) ? " (codex rebuilds it from the rollouts at its next start)" : "")
                + "; nothing was written")
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
        case .databaseNotFound, .codexHome, .codexRunning, .codexHomeNotFound, .codexHomeUnreadable, .databaseNotWritable, .notADatabase, .databaseUnreadable, .transcriptsNotFound, .transcriptsUnreadable, .walFilesUnavailable,
             .sharedMemoryUnwritable, .repairLockBusy, .interruptedBeforeStore:
            parts.problem  // worded in two parts above
        case .unknownSchema(let path, let detail):
            "\(path): unknown schema: \(detail); this does not look like a Hermes state.db, so nothing was read or written"
        case .database(let error):
            "\(error)"
        case .databaseModeUnreadable(let path, let code):
            "\(path): cannot read its owner and permissions: \(POSIX.describe(code)); nothing was written"
        case .databaseUnstatable(let path, let code):
            "\(path): \(POSIX.describe(code))"
        case .repairLockUnusable(let path, let defect):
            "\(path): " + Self.describe(defect)
        case .backupFailed(let path, let failure):
            "\(path): " + Self.describe(failure)
        case .notAStateFile(let path):
            "\(path): is not a transcript-fsck state file; name a new file, or the one an earlier scan --since wrote; "
                + "nothing was read or written"
        case .threadNotFound(let id, let home):
            "no thread \(id.debugDescription) in the Codex home \(home); 'transcript-fsck scan --format jsonl' lists the thread ids"
        case .codexExport(let id, let path?, let home):
            "export reads Hermes homes: thread \(id.debugDescription) of the Codex home \(home) needs no export, its rollout "
                + "\(path) is a JSONL transcript already; nothing was written"
        case .codexExport(let id, nil, let home):
            "export reads Hermes homes, and the Codex home \(home) has no thread \(id.debugDescription) (a Codex thread's "
                + "rollout is a JSONL transcript already: 'transcript-fsck scan --format jsonl' lists them); nothing was written"
        case .sessionNotFound(let id, let database):
            "no session \(id.description.debugDescription) in \(database) or its transcripts; "
                + "'transcript-fsck scan --format jsonl' lists the session ids"
        case .sessionHasNoMessages(let id, let database):
            "\(database): session \(id) has no messages; nothing was written"
        case .messageNotUTF8(let database, let session, let rowID, let column, let offset, let reason):
            "\(database): session \(session), row id \(rowID): its \(column) is not valid UTF-8 at byte \(offset) (\(reason)), so "
                + "no transcript can hold it as stored (nor can the agent's own reader, Python's sqlite3, read it); nothing was written"
        case .gzipToTerminal:
            "refusing to write gzip data to a terminal; pass --output FILE"
        case .unexpected(let path, let error):
            "\(path): \(error)"
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

    private static func describe(_ defect: RepairLockDefect) -> String {
        switch defect {
        case .symbolicLink: "the repair lock is a symbolic link; remove it (the lock is a plain file beside the database), nothing was written"
        case .notARegularFile: "the repair lock is not a regular file; remove it, nothing was written"
        case .open(let code): "cannot open the repair lock: \(POSIX.describe(code)); nothing was written"
        case .lock(let code): "cannot lock: \(POSIX.describe(code))"
        }
    }

    private static func describe(_ failure: BackupFailure) -> String {
        switch failure {
        case .exists: "the backup file exists already; name a new one (or a directory), nothing was written"
        case .create(let code): "cannot create the backup: \(POSIX.describe(code)); nothing was written"
        case .copy(let message): "backup failed: \(message); nothing was written"
        case .notADirectory: "backup failed: --backup names no directory, and a Codex home's two databases are backed up into one; nothing was written"
        case .lockedThroughout(let message, let seconds): "backup failed: \(message) for \(seconds) s (--busy-timeout); nothing was written"
        case .integrity(let verdict): "backup failed: the copy fails PRAGMA integrity_check (\(verdict)); nothing was written"
        case .name(let code): "cannot name the backup: \(POSIX.describe(code)); nothing was written"
        }
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
}
