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
    init(path: String, timeout: Duration, onWait: (String) -> Void) throws(FsckError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io(path: path, detail: "cannot open the repair lock: \(String(cString: strerror(errno)))")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw .io(path: path, detail: "cannot lock: \(String(cString: strerror(errno)))")
            }
            guard clock.now < deadline else {
                close(descriptor)
                throw .repairLockBusy(path: path, seconds: timeout.seconds)
            }
            if !told {
                onWait("waiting for \(path): another repair holds it (up to \(Int(timeout.seconds)) s)")
                told = true
            }
            usleep(100_000)
        }
    }

    /// Whether a run of transcript-fsck holds the lock at `path` now; nil when no repair ever ran there.
    static func isHeld(path: String) -> Bool? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
