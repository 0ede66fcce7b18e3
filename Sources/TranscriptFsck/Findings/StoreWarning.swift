/// Something about the whole store worth knowing that changes no session's status.
public enum StoreWarning: Sendable, Equatable {
    /// A symbolic link in the transcripts directory, not followed.
    case linkNotFollowed(SkippedLink)
    /// The `--since` state file could not be opened (errno); every session was read again.
    case stateFileUnopenable(path: String, errno: Int32)
    /// The `--since` state file could not be read at `line`; every session was read again and the file rewritten.
    case stateFileUnreadable(path: String, line: Int, reason: StateFileDefect)
    /// The `--since` state file was written by a version of the tool with another format (`found`, not `expected`),
    /// as after an upgrade; every session was read again and the file rewritten in this version's format.
    case stateFileOfAnotherVersion(path: String, found: Int, expected: Int)

    public enum StateFileDefect: Sendable, Equatable {
        case notAStateFile
        case notASessionEntry
    }
}
