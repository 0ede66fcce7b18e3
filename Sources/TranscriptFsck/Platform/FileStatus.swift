#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says of a file, for code outside Platform, which names no C type.
struct FileStatus: Sendable {
    fileprivate(set) var raw: stat

    /// The status of what `path` names, following links; nil with `errno` set when it names nothing readable.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        raw = status
    }

    init(_ raw: stat) { self.raw = raw }

    var isDirectory: Bool { raw.st_mode & S_IFMT == S_IFDIR }
    var isRegularFile: Bool { raw.st_mode & S_IFMT == S_IFREG }
}

extension POSIX {
    /// The `errno` of the last failed call, as the C library left it.
    static var lastError: Int32 { errno }

    /// True when `path` names something (`access(F_OK)`, following links).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

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

    /// `createNew(_:like:mask:)` for a model read as a `FileStatus`.
    static func createNew(_ path: String, like model: FileStatus?, mask: mode_t = 0o7777) -> Int32 {
        createNew(path, like: model?.raw, mask: mask)
    }

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
