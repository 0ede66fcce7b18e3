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
///
/// What `/proc` shows can be less than the machine: inside a container's own PID namespace the processes and locks of
/// the others are not there at all. So the `-shm`'s dead man switch is also asked of the kernel directly: `F_GETLK`
/// reports a conflicting lock whoever holds it, in any namespace. That takes a descriptor of the `-shm`, opened once and
/// never closed (closing any descriptor of a file drops this process's locks on it, SQLite's among them). An idle
/// `journal_mode=DELETE` connection of a process in another namespace holds no lock and cannot be seen at all. `look`
/// says `cannotTell` when it holds a lock itself (inside a write transaction) and `/proc/locks` does not list it.
enum OtherConnections {
    enum Sighting: Equatable {
        case seen
        case notSeen
        /// `/proc` does not show every process that could have the database open.
        case cannotTell
    }

    /// True when another process has `databasePath` (or its journal files) open or locked, or when that cannot be told:
    /// the caller then behaves as if the agent were there.
    static func present(databasePath: String) -> Bool {
        look(databasePath: databasePath, holdingLock: false) != .notSeen
    }

    /// Looks for another process with `databasePath` (or its journal files) open or locked. `holdingLock`: this process
    /// holds a lock on one of them now (a write transaction), which `/proc/locks` must then show, or it shows too little.
    static func look(databasePath: String, holdingLock: Bool) -> Sighting {
        look([databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal"],
             sharedMemory: databasePath + "-shm", holdingLock: holdingLock)
    }

    /// The first of `paths` that another process has open or locked, each a file alone (a lock file: an `flock`
    /// shows in `/proc/locks` as a POSIX lock does, and no journal beside it is looked for); the first that is there
    /// when that cannot be told. One pass over `/proc` for them all: ten thousand lock files cost no more than one.
    static func firstPresent(amongFiles paths: [String]) -> String? {
        let identities = paths.map { ($0, POSIX.fileIdentity($0)) }.compactMap { path, file in file.map { (path, $0) } }
        guard let first = identities.first else { return nil }
        guard ProcFile.isReadable("/proc/locks"), ProcFile.isReadable("/proc/self/fd") else { return first.0 }
        let wanted = Set(identities.map(\.1))
        let me = Int(getpid())
        var seen: Set<FileIdentity> = []
        _ = ProcFile.firstLine(in: "/proc/locks") { line -> Bool? in
            if let lock = Lock(line), lock.pid != me, wanted.contains(lock.file) { seen.insert(lock.file) }
            return nil
        }
        seen.formUnion(ProcFile.openByOtherProcesses(wanted, except: me))
        return identities.first { seen.contains($0.1) }?.0
    }

    private static func look(_ paths: [String], sharedMemory: String?, holdingLock: Bool) -> Sighting {
        let files = paths.compactMap(POSIX.fileIdentity)
        guard !files.isEmpty else { return .notSeen }
        guard ProcFile.isReadable("/proc/locks"), ProcFile.isReadable("/proc/self/fd") else { return .cannotTell }
        let me = Int(getpid())
        var ownLockListed = false
        let locked = ProcFile.firstLine(in: "/proc/locks") { line -> Bool? in
            guard let lock = Lock(line), files.contains(where: lock.holds) else { return nil }
            if lock.pid == me {
                ownLockListed = true
                return nil
            }
            return true
        } ?? false
        if locked || ProcFile.anotherProcessHasOpen(files, except: me) || sharedMemory.map(deadManSwitchHeldElsewhere) == true { return .seen }
        if holdingLock && !ownLockListed { return .cannotTell }
        return .notSeen
    }

    /// Byte 128 of the `-shm`, which every WAL connection holds shared while it is open (`UNIX_SHM_DMS`).
    static let deadManSwitchByte: Int64 = 128
    /// The `-shm` descriptors `deadManSwitchHeldElsewhere` asks through, by path: opened once, never closed.
    private static let probes = Locked<[String: (descriptor: Int32, file: FileIdentity)]>([:])

    /// True when a process other than this one holds a lock on the `-shm`'s dead man switch, as the kernel tells
    /// `F_GETLK` (a lock this process holds never conflicts with its own probe).
    static func deadManSwitchHeldElsewhere(_ shm: String) -> Bool {
        // Only a file is opened: a FIFO there would wait for a writer at the open (SQLite makes the -shm a file).
        guard let file = POSIX.fileIdentity(shm), (try? FileStatus(linkAt: shm))?.isRegularFile == true else { return false }
        let descriptor = probes.withLock { probes -> Int32 in
            // A -shm made anew since is another file; the old descriptor stays open (closing it would drop locks).
            if let probe = probes[shm], probe.file == file { return probe.descriptor }
            let opened = open(shm, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            if opened >= 0 { probes[shm] = (opened, file) }
            return opened
        }
        guard descriptor >= 0 else { return false }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        probe.l_start = off_t(deadManSwitchByte)
        probe.l_len = 1
        guard fcntl(descriptor, F_GETLK, &probe) == 0 else { return false }
        return probe.l_type != Int16(F_UNLCK)
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

        /// The file locked, its device packed into `st_dev` as glibc's `makedev` packs major and minor.
        var file: FileIdentity {
            FileIdentity(device: (major & 0xfffff000) << 32 | (major & 0xfff) << 8 | (minor & 0xffffff00) << 12 | minor & 0xff,
                         inode: inode)
        }

        /// True when this lock is on `file` (the kernel prints the device as major:minor, glibc packs it into `st_dev`).
        func holds(_ file: FileIdentity) -> Bool {
            let device = file.device
            return inode == file.inode && major == (device >> 8 & 0xfff | device >> 32 & ~0xfff)
                && minor == (device & 0xff | device >> 12 & ~0xff)
        }
    }
}
