#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive `flock` on `state.db.repair.lock`, so that two runs of transcript-fsck never repair the
/// store at once. No released agent takes it: against the agent, only SQLite's own locking and the
/// re-check inside each session's transaction protect the store. Released when the value goes away.
final class RepairLock {
    let path: String
    private let descriptor: Int32

    /// Takes the lock at `path` (`StoreLocation.repairLock`), waiting up to `timeout`; `onWait` is told once if it has to wait.
    init(path: String, database: String, timeout: Duration, onWait: (RepairNotice) -> Void) throws(FsckError) {
        self.path = path
        descriptor = try Self.openLockFile(path, like: database)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw .repairLockUnusable(path: path, .lock(errno: errno))
            }
            guard clock.now < deadline else {
                close(descriptor)
                throw .repairLockBusy(path: path, seconds: timeout.seconds)
            }
            if !told {
                onWait(.waitingForRepairLock(path: path, seconds: Int(timeout.seconds)))
                told = true
            }
            usleep(100_000)
        }
    }

    /// Opens the lock file without following a link planted at its name (whoever can write the agent's directory could
    /// otherwise make a root repair create or lock a file anywhere). A new one gets the database's owner and permission
    /// bits, so that a repair run as root leaves a lock the agent's own user can take; one an earlier root run left with
    /// another owner is given the database's.
    private static func openLockFile(_ path: String, like database: String) throws(FsckError) -> Int32 {
        var model = stat()
        guard stat(database, &model) == 0 else {
            throw .databaseModeUnreadable(path: database, errno: errno)
        }
        var descriptor = POSIX.createNew(path, like: model, mask: 0o666)
        if descriptor < 0, errno == EEXIST { descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ELOOP {
                throw .repairLockUnusable(path: path, .symbolicLink)
            }
            throw .repairLockUnusable(path: path, .open(errno: errno))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .repairLockUnusable(path: path, .notARegularFile)
        }
        if geteuid() == 0, status.st_uid != model.st_uid || status.st_gid != model.st_gid {
            _ = fchown(descriptor, model.st_uid, model.st_gid)
        }
        return descriptor
    }

    /// What the lock at `path` is now, for `doctor`.
    enum State {
        /// No repair ever ran here.
        case absent
        case free
        /// A run of transcript-fsck holds it now.
        case held
        /// A symbolic link stands at its name: a repair refuses it.
        case symbolicLink
        /// This user cannot open it for writing (a root run left it?): a repair as this user would fail.
        case notWritable
    }

    static func state(path: String) -> State {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return errno == ELOOP ? .symbolicLink : .absent }
        defer { close(descriptor) }
        guard access(path, W_OK) == 0 else { return .notWritable }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return .held }
        flock(descriptor, LOCK_UN)
        return .free
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
