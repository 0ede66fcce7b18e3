/// Why a file the tool writes (a report, metrics, the `--since` state, an export, a gzip archive) could not be
/// written, as facts: `FsckError` words it, with what to do, for the operator.
public struct FileFailure: Error, Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// The target is a symbolic link to a regular file (following it, as root, writes where its owner points).
        case symbolicLink
        /// The target is one of the store's own files (named: "database", "WAL file", ...).
        case storeFile(String)
        case directory
        case open(errno: Int32)
        case create(errno: Int32)
        case createTemporary(errno: Int32)
        case write(errno: Int32)
        case flush(temporary: String?, errno: Int32)
        case rename(temporary: String, errno: Int32)
    }

    let path: String
    let reason: Reason
}
