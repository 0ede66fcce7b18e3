#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor and the calls made on it, each retried after `EINTR` and throwing `Errno`. Closing is
/// the owner's job (`close()` or `closeAfter`), as in swift-system: standard input and output are descriptors too,
/// and must outlive any value that names them.
struct FileDescriptor: Sendable {
    let rawValue: Int32

    init(rawValue: Int32) { self.rawValue = rawValue }

    static let standardInput = FileDescriptor(rawValue: 0)
    static let standardOutput = FileDescriptor(rawValue: 1)
    static let standardError = FileDescriptor(rawValue: 2)

    enum Access {
        case readOnly
        case readWrite

        fileprivate var flags: Int32 {
            switch self {
            case .readOnly: O_RDONLY
            case .readWrite: O_RDWR
            }
        }
    }

    /// Opens `path`. With `followingLinks` false a symbolic link at the name fails with `Errno.symbolicLink`.
    init(opening path: String, _ access: Access = .readOnly, followingLinks: Bool = true) throws(Errno) {
        let flags = access.flags | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW)
        rawValue = try POSIX.repeatingInterrupted({ open(path, flags) }, failed: { $0 < 0 })
    }

    /// Creates `path` for writing, which must not exist (see `POSIX.createNew`).
    init(creatingNew path: String, like model: FileStatus?, mask: UInt32 = 0o7777) throws(Errno) {
        let descriptor = POSIX.createNew(path, like: model?.raw, mask: mode_t(mask))
        guard descriptor >= 0 else { throw .current }
        rawValue = descriptor
    }

    /// A new, empty file in `$TMPDIR` (or /tmp) whose name ends in `suffix` (`mkstemps`), and its name.
    static func createTemporary(suffix: String) throws(Errno) -> (FileDescriptor, path: String) {
        var template = Array(((POSIX.environment("TMPDIR") ?? "/tmp") + "/transcript-fsck-XXXXXX" + suffix).utf8CString)
        let descriptor = mkstemps(&template, Int32(suffix.utf8.count))
        guard descriptor >= 0 else { throw .current }
        return (FileDescriptor(rawValue: descriptor), String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    func close() { POSIX.close(rawValue) }

    /// Runs `body`, then closes the descriptor whatever `body` did.
    func closeAfter<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        defer { close() }
        return try body()
    }

    /// Reads up to `buffer.count` bytes: 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        let count = POSIX.read(rawValue, into: buffer)
        guard count >= 0 else { throw .current }
        return count
    }

    /// Everything left to read, to the end.
    func readToEnd() throws(Errno) -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try read(into: chunk)
            if count == 0 { return bytes }
            bytes += chunk.prefix(count)
        }
    }

    /// The whole of the file at `path`.
    static func contents(of path: String) throws(Errno) -> [UInt8] {
        let file = try FileDescriptor(opening: path)
        return try file.closeAfter { () throws(Errno) in try file.readToEnd() }
    }

    /// Writes all of `bytes`, however many calls it takes.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        if let code = POSIX.writeAll(rawValue, bytes) { throw Errno(rawValue: code) }
    }

    func writeAll(_ bytes: [UInt8]) throws(Errno) {
        if let code = bytes.withUnsafeBytes({ POSIX.writeAll(rawValue, $0) }) { throw Errno(rawValue: code) }
    }

    /// What `fstat(2)` says of the open file.
    func status() throws(Errno) -> FileStatus {
        var status = stat()
        guard fstat(rawValue, &status) == 0 else { throw .current }
        return FileStatus(status)
    }

    /// Takes the exclusive `flock` if no one holds it: false when another open file description does.
    func lockExclusivelyIfFree() throws(Errno) -> Bool {
        while flock(rawValue, LOCK_EX | LOCK_NB) != 0 {
            let error = Errno.current
            if error == .wouldBlock { return false }
            if error != .interrupted { throw error }
        }
        return true
    }

    func unlock() { flock(rawValue, LOCK_UN) }

    /// Gives the file `model`'s owner and group when they differ and this process is root (no one else may); a
    /// failure is ignored, since the file works either way for the user who runs this.
    func takeOwnerAsRoot(of model: FileStatus) throws(Errno) {
        let current = try status()
        guard POSIX.isRoot, current.raw.st_uid != model.raw.st_uid || current.raw.st_gid != model.raw.st_gid else { return }
        _ = fchown(rawValue, model.raw.st_uid, model.raw.st_gid)
    }

    /// True when it is a terminal.
    var isTerminal: Bool { isatty(rawValue) == 1 }
}
