/// Something about the whole store worth knowing that changes no session's status.
enum StoreWarning: Sendable, Equatable {
    /// True for a warning that leaves history unaudited, so that the scan must not report all clear (exit 1).
    var leavesHistoryUnread: Bool {
        if case .notRead = self { return true }
        return false
    }

    /// An entry of the transcripts directory not read (a symbolic link, a FIFO): the scan cannot vouch for it.
    case notRead(UnreadEntry)
    /// A partial copy an interrupted backup left beside the database (its process is gone).
    case interruptedBackupLeft(path: String)
    /// The `--since` state file could not be opened (errno); every session was read again.
    case stateFileUnopenable(path: String, errno: Int32)
    /// The `--since` state file could not be read at `line`; every session was read again and the file rewritten.
    case stateFileUnreadable(path: String, line: Int, reason: StateFileDefect)
    /// The `--since` state file was written by a version of the tool with another format (`found`, not `expected`),
    /// as after an upgrade; every session was read again and the file rewritten in this version's format.
    case stateFileOfAnotherVersion(path: String, found: Int, expected: Int)

    /// Not one of the `transcripts` transcripts' sessions is among the database's `databaseSessions`: most likely the
    /// transcripts of another store (`--transcripts` and `--db` or `--home` disagree), whose sessions a repair would create.
    case noTranscriptMatchesTheDatabase(transcriptsDirectory: [String], database: String, transcripts: Int, databaseSessions: Int)

    enum StateFileDefect: Sendable, Equatable {
        case notAStateFile
        case notASessionEntry
    }
}
