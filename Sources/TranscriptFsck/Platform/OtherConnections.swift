#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether another process has the database open: the running agent, say.
///
/// Two kinds of evidence, both read from `/proc` without opening the files (opening and closing one would drop every
/// POSIX lock this process holds on it, SQLite's own among them, and another connection could then rebuild the `-shm`
/// under this process's mapping: SIGBUS, or worse):
/// - locks in `/proc/locks` on the database, its `-wal`, `-shm` or `-journal`, held by another process. Every WAL
///   connection holds byte 128 of the `-shm` (SQLite's "dead man switch") for as long as it is open; a
///   `journal_mode=DELETE` connection (the agent's own fallback on NFS, SMB, FUSE and WSL1) holds a lock only
///   while it reads or writes.
/// - descriptors: an idle DELETE-mode connection holds no lock at all, only the open file, so every process's
///   `/proc/PID/fd` is looked through for one of those files (by device and inode, whatever the path it was opened by).
///   Processes whose descriptors cannot be read (another user's, without root) are not seen: their locks still are.
enum OtherConnections {
    /// True when another process has `databasePath` (or its journal files) open or locked, or when that cannot be told
    /// (no `/proc`): the caller then behaves as if the agent were there.
    static func present(databasePath: String) -> Bool {
        let files = [databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal"].compactMap(POSIX.fileIdentity)
        guard !files.isEmpty else { return false }
        guard ProcFile.isReadable("/proc/locks"), ProcFile.isReadable("/proc/self/fd") else { return true }
        let me = Int(getpid())
        let locked = ProcFile.firstLine(in: "/proc/locks") { line -> Bool? in
            guard let lock = Lock(line), lock.pid != me, files.contains(where: lock.holds) else { return nil }
            return true
        } ?? false
        return locked || ProcFile.anotherProcessHasOpen(files, except: me)
    }

    /// One held lock of `/proc/locks`: `1: POSIX  ADVISORY  READ 15831 fe:00:16229735 128 128` (end `EOF` for
    /// the rest of the file). Lines of waiters (`1: -> POSIX ...`) are not held locks.
    struct Lock {
        let pid: Int, major: UInt64, minor: UInt64, inode: UInt64, start: Int, end: Int?

        init?(_ line: Substring) {
            let fields = line.split(separator: " ")
            guard fields.count >= 8, fields[1] != "->" else { return nil }
            let place = fields[5].split(separator: ":")
            guard let pid = Int(fields[4]), place.count == 3, let major = UInt64(place[0], radix: 16),
                  let minor = UInt64(place[1], radix: 16), let inode = UInt64(place[2]), let start = Int(fields[6]) else { return nil }
            (self.pid, self.major, self.minor, self.inode, self.start, self.end) = (pid, major, minor, inode, start, Int(fields[7]))
        }

        /// True when this lock is on `file` (the kernel prints the device as major:minor, glibc packs it into `st_dev`).
        func holds(_ file: FileIdentity) -> Bool {
            let device = file.device
            return inode == file.inode && major == (device >> 8 & 0xfff | device >> 32 & ~0xfff)
                && minor == (device & 0xff | device >> 12 & ~0xff)
        }
    }
}
