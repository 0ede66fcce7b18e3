#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says of a file, for code outside Platform, which names no C type.
struct FileStatus: Sendable {
    fileprivate(set) var raw: stat

    /// The status of what `path` names, following links.
    init(path: String) throws(Errno) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw .current }
        raw = status
    }

    /// The status of the name itself (`lstat`): a link is a link, even one that points nowhere.
    init(linkAt path: String) throws(Errno) {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw .current }
        raw = status
    }

    /// `init(linkAt:)` for a path given as bytes, which need not be UTF-8.
    init(linkAtBytes path: [UInt8]) throws(Errno) {
        var status = stat()
        let result = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &status) } }
        guard result == 0 else { throw .current }
        raw = status
    }

    init(_ raw: stat) { self.raw = raw }

    enum Kind: Sendable {
        case regularFile, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown
    }

    var kind: Kind {
        switch raw.st_mode & S_IFMT {
        case S_IFREG: .regularFile
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        default: .unknown
        }
    }

    var isDirectory: Bool { kind == .directory }
    var isRegularFile: Bool { kind == .regularFile }
    var size: Int { Int(raw.st_size) }
    /// The last modification, in nanoseconds since the epoch.
    var modifiedNanoseconds: Int64 { POSIX.modifiedNanoseconds(raw) }
    /// True when the user this process runs as owns the file.
    var isOwnedByThisUser: Bool { raw.st_uid == geteuid() }
    /// The owner's user name, or `uid N` when the user database has none.
    var ownerName: String { getpwuid(raw.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(raw.st_uid)" }
}

extension POSIX {
    /// True when `path` names something (`access(F_OK)`, following links).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether this user may read (`access(R_OK)`), or write (`W_OK`), `path`; the reason when not.
    static func checkAccess(_ path: String, write: Bool = false) throws(Errno) {
        guard access(path, write ? W_OK : R_OK) == 0 else { throw .current }
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// The bytes an unprivileged user may still write on the file system that holds `path` (`statvfs`).
    static func availableBytes(on path: String) throws(Errno) -> Int {
        var space = statvfs()
        guard statvfs(path, &space) == 0 else { throw .current }
        return Int(space.f_bavail) * Int(space.f_frsize)
    }

    /// Removes `path`, ignoring a failure: for temporary files whose absence is all that matters.
    static func removeIfPresent(_ path: String) { unlink(path) }

    /// Gives the file at `existing` the new name `new` (`link(2)`: it fails rather than replace a file of that name).
    /// Returns nil, or the `errno` of the failure.
    static func link(_ existing: String, to new: String) -> Int32? {
        #if canImport(Glibc)
        Glibc.link(existing, new) == 0 ? nil : errno
        #else
        Darwin.link(existing, new) == 0 ? nil : errno
        #endif
    }

    static var processID: Int32 { getpid() }

    /// False only when no process `pid` exists (`kill(pid, 0)` fails with `ESRCH`); one of another user's counts.
    static func processExists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno != ESRCH }

    /// The environment variable `name`, nil when unset.
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Sleeps the calling thread for `duration` (none when it is not positive).
    static func sleep(_ duration: Duration) {
        guard duration > .zero else { return }
        usleep(UInt32(min(duration.seconds * 1_000_000, Double(UInt32.max))))
    }

    /// Seconds since the epoch, from the real-time clock, as the agent stamps its rows.
    static func secondsSinceEpoch() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
