#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether another process has a WAL database open: the running agent, say.
///
/// Every SQLite connection to a WAL database holds a shared POSIX lock on byte 128 of the `-shm` file (the
/// "dead man switch", `UNIX_SHM_DMS` in SQLite's unix VFS) for as long as it is open. The kernel lists every
/// lock in `/proc/locks` with its process, device and inode, so the answer needs no descriptor of the file:
/// opening and closing one would drop every POSIX lock this process holds on it, SQLite's own among them, and
/// another connection could then rebuild the `-shm` under this process's mapping (SIGBUS, or worse).
enum OtherConnections {
    static let deadManSwitchByte = 128

    /// True when another process has `databasePath` open in WAL mode, or when that cannot be told (no
    /// `/proc/locks`): the caller then behaves as if the agent were there. False when no process but this one
    /// has it open, or there is no `-shm` file at all (no WAL connection).
    static func present(databasePath: String) -> Bool {
        var status = stat()
        guard stat(databasePath + "-shm", &status) == 0 else { return false }
        guard ProcFile.isReadable("/proc/locks") else { return true }
        let device = (major: UInt64(status.st_dev) >> 8 & 0xfff | UInt64(status.st_dev) >> 32 & ~0xfff,
                      minor: UInt64(status.st_dev) & 0xff | UInt64(status.st_dev) >> 12 & ~0xff)
        let me = Int(getpid())
        return ProcFile.firstLine(in: "/proc/locks") { line -> Bool? in
            guard let lock = Lock(line), lock.pid != me, lock.inode == UInt64(status.st_ino),
                  lock.major == device.major, lock.minor == device.minor,
                  lock.start <= deadManSwitchByte, lock.end.map({ $0 >= deadManSwitchByte }) ?? true else { return nil }
            return true
        } ?? false
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
    }
}
