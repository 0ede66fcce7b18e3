#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the tool writes for its user (a report, metrics, the `--since` state, an export), whole or not at all.
///
/// A regular file, or a new one, is written under a unique temporary name beside it, created `O_EXCL|O_NOFOLLOW`
/// so that nothing planted there can redirect the write, then flushed and renamed over it: readers see the old
/// version or the new one, and a replaced file keeps its mode (and, for root, its owner). A device, FIFO or
/// socket (`/dev/null`, a pipe) is written directly: renaming over it would replace it; so is `/dev/stdout`. Any
/// other symbolic link to a regular file is refused (run as root from cron, following one writes wherever its owner
/// points it), and so are the store's own files.
final class OutputFile {
    let path: String
    let descriptor: Int32
    /// Nil when writing to the target itself (not a regular file).
    private let temporary: String?
    private var isOpen = true

    /// `protected`: files never to write, each with what it is ("database"), such as `StoreLocation.ownFiles`.
    init(path: String, protecting protected: [(name: String, path: String)] = []) throws(FileFailure) {
        self.path = path
        var target = stat()
        var exists = lstat(path, &target) == 0
        var direct = false
        if exists, target.st_mode & S_IFMT == S_IFLNK {
            // /dev/stdout and its kind lead to this process's own descriptors: write there. Any other link is
            // followed only to something that is not a regular file (a device, a FIFO).
            exists = stat(path, &target) == 0
            let ownDescriptor = ["/dev/stdout", "/dev/stderr"].contains(path) || path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/")
            guard exists, ownDescriptor || target.st_mode & S_IFMT != S_IFREG else {
                throw FileFailure(path: path, reason: .symbolicLink)
            }
            direct = true
        }
        if let own = Self.which(of: protected, is: path, status: exists ? target : nil) {
            throw FileFailure(path: path, reason: .storeFile(own))
        }
        let kind = target.st_mode & S_IFMT
        if exists, kind != S_IFREG || direct {
            guard kind != S_IFDIR else { throw FileFailure(path: path, reason: .directory) }
            // O_APPEND: a standard output redirected with >> must not be overwritten from its start.
            descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY)
            guard descriptor >= 0 else { throw FileFailure(path: path, reason: .open(errno: errno)) }
            temporary = nil
            return
        }
        var attempt = 0
        while true {
            let candidate = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            // A replacement gets the old file's mode and owner exactly.
            let opened = POSIX.createNew(candidate, like: exists ? target : nil)
            if opened >= 0 {
                descriptor = opened
                temporary = candidate
                break
            }
            attempt += 1
            guard errno == EEXIST, attempt < 100 else {
                throw FileFailure(path: path, reason: .createTemporary(errno: errno))
            }
        }
    }

    deinit { if isOpen { abandon() } }

    /// Flushes the file and puts it in place.
    func commit() throws(FileFailure) {
        isOpen = false
        guard let temporary else {
            // A pipe or a terminal cannot be flushed to disk: EINVAL is expected there.
            guard fsync(descriptor) == 0 || errno == EINVAL || errno == EROFS, POSIX.close(descriptor) == 0 else {
                throw FileFailure(path: path, reason: .flush(temporary: nil, errno: errno))
            }
            return
        }
        guard fsync(descriptor) == 0, POSIX.close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileFailure(path: path, reason: .flush(temporary: temporary, errno: code))
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileFailure(path: path, reason: .rename(temporary: temporary, errno: code))
        }
    }

    /// Gives up: the temporary file goes, the target is as it was (a device has had what was written).
    func abandon() {
        guard isOpen else { return }
        isOpen = false
        POSIX.close(descriptor)
        if let temporary { unlink(temporary) }
    }

    /// Writes `bytes` at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws(FileFailure) {
        if let code = POSIX.writeAll(descriptor, bytes) { throw FileFailure(path: path, reason: .write(errno: code)) }
    }
}

extension OutputFile {
    /// Which of `protected` `path` is, if any: by name, with the directory resolved, and for an existing file also by
    /// device and inode (a hard link).
    static func which(of protected: [(name: String, path: String)], is path: String, status: stat?) -> String? {
        let resolvedTarget = resolvedDirectory(of: path)
        for (name, file) in protected {
            if resolvedTarget == resolvedDirectory(of: file) { return name }
            var own = stat()
            if let status, stat(file, &own) == 0, own.st_dev == status.st_dev, own.st_ino == status.st_ino { return name }
        }
        return nil
    }

    /// `path` with its directory resolved to a canonical one (symbolic links, `..`), its last component as given.
    private static func resolvedDirectory(of path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory, nil) else { return path }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return base == "/" ? "/" + name : base + "/" + name
    }
}
