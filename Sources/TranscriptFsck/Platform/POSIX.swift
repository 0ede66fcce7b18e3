#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls whose names collide with methods of ours (`write`, `read`, `close`), with the loops and the
/// platform differences every caller would otherwise repeat.
enum POSIX {
    /// Writes all of `bytes`, retrying after `EINTR` and short writes. Returns nil, or the `errno` of the failure.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return written < 0 ? errno : EIO }
            offset += written
        }
        return nil
    }

    /// `read(2)`, retried after `EINTR`: the byte count, 0 at the end, -1 with `errno` set.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            #else
            let count = Darwin.read(descriptor, buffer.baseAddress, buffer.count)
            #endif
            if count < 0, errno == EINTR { continue }
            return count
        }
    }

    @discardableResult
    static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// Which file `path` names now (device and inode), following links; nil when it names none.
    static func fileIdentity(_ path: String) -> FileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The last modification of a file, in nanoseconds since the epoch (`st_mtim` is Linux's name for it).
    static func modifiedNanoseconds(_ status: stat) -> Int64 {
        #if os(Linux)
        Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #else
        Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        #endif
    }

    /// The names in `directory` but `.` and `..`, as the bytes they are (a name need not be UTF-8).
    static func entryNameBytes(in directory: String) throws(Errno) -> [[UInt8]] {
        guard let handle = opendir(directory) else { throw .current }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")], name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// `entryNameBytes(in:)` decoded as UTF-8 (a name that is not gets U+FFFD).
    static func entryNames(in directory: String) throws(Errno) -> [String] {
        try entryNameBytes(in: directory).map { String(decoding: $0, as: UTF8.self) }
    }

    /// True when `path` lies on a file system mounted read-only (`statvfs`'s `ST_RDONLY`).
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var status = statvfs()
        return statvfs(path, &status) == 0 && status.f_flag & UInt(ST_RDONLY) != 0
    }

    /// `path` made absolute with every link resolved (`realpath`); as given when it cannot be (it does not exist).
    static func resolved(_ path: String) -> String {
        guard let pointer = realpath(path, nil) else { return path }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// True when `path` names a directory, following links (Python's `Path.is_dir()`).
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// When the file at `path` was last modified, in seconds since the epoch; nil when it cannot be told.
    static func modifiedSeconds(_ path: String) -> Double? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Double(modifiedNanoseconds(status)) / 1e9
    }

    /// Creates `path`, which must not exist (`O_EXCL`; `O_NOFOLLOW`, so a link planted there cannot redirect the write),
    /// for writing. With `model`, the file gets exactly its permission bits within `mask` (open's mode passes through
    /// the umask) and, when root creates it, its owner; without, mode 0644 under the umask. Returns the descriptor, or
    /// -1 with `errno` set and nothing left behind.
    static func createNew(_ path: String, like model: stat?, mask: mode_t = 0o7777) -> Int32 {
        let mode = model.map { $0.st_mode & mask } ?? 0o644
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0, let model else { return descriptor }
        guard fchmod(descriptor, mode) == 0, geteuid() != 0 || fchown(descriptor, model.st_uid, model.st_gid) == 0 else {
            let code = errno
            close(descriptor)
            unlink(path)
            errno = code
            return -1
        }
        return descriptor
    }

    /// `strerror` as a String.
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// One file, whatever its names: a path that names another identity later names another file.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
}
