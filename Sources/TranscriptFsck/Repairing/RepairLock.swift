/// The exclusive `flock` on `state.db.repair.lock`, so that two runs of transcript-fsck never repair the
/// store at once. No released agent takes it: against the agent, only SQLite's own locking and the
/// re-check inside each session's transaction protect the store. Released when the value goes away.
final class RepairLock {
    let path: String
    private let file: FileDescriptor

    /// Takes the lock at `path` (`StoreLocation.repairLock`), waiting up to `timeout`; `onWait` is told once if it has to wait.
    init(path: String, database: String, timeout: Duration, onWait: (RepairNotice) -> Void) throws(FsckError) {
        self.path = path
        let file = try Self.openLockFile(path, like: database)
        let taken: Void?
        do {
            taken = try retry(until: .now + timeout, backoff: .constant(.milliseconds(100)),
                              onFirstWait: { onWait(.waitingForRepairLock(path: path, seconds: Int(timeout.seconds))) }) { _ throws(Errno) in
                try file.lockExclusivelyIfFree() ? () : nil
            }
        } catch {
            file.close()
            throw .repairLockUnusable(path: path, .lock(errno: error.rawValue))
        }
        guard taken != nil else {
            file.close()
            throw .repairLockBusy(path: path, seconds: timeout.seconds)
        }
        self.file = file
    }

    /// Opens the lock file without following a link planted at its name (whoever can write the agent's directory could
    /// otherwise make a root repair create or lock a file anywhere). A new one gets the database's owner and permission
    /// bits, so that a repair run as root leaves a lock the agent's own user can take; one an earlier root run left with
    /// another owner is given the database's.
    private static func openLockFile(_ path: String, like database: String) throws(FsckError) -> FileDescriptor {
        let model: FileStatus
        do { model = try FileStatus(path: database) } catch { throw .databaseModeUnreadable(path: database, errno: error.rawValue) }
        let file: FileDescriptor
        do {
            do { file = try FileDescriptor(creatingNew: path, like: model, mask: 0o666) } catch .exists {
                file = try FileDescriptor(opening: path, .readWrite, followingLinks: false)
            }
        } catch .symbolicLink {
            throw .repairLockUnusable(path: path, .symbolicLink)
        } catch {
            throw .repairLockUnusable(path: path, .open(errno: error.rawValue))
        }
        guard (try? file.status())?.isRegularFile == true else {
            file.close()
            throw .repairLockUnusable(path: path, .notARegularFile)
        }
        try? file.takeOwnerAsRoot(of: model)
        return file
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
        let file: FileDescriptor
        do { file = try FileDescriptor(opening: path, followingLinks: false) } catch {
            return error == .symbolicLink ? .symbolicLink : .absent
        }
        defer { file.close() }
        guard (try? POSIX.checkAccess(path, write: true)) != nil else { return .notWritable }
        guard (try? file.lockExclusivelyIfFree()) == true else { return .held }
        file.unlock()
        return .free
    }

    deinit {
        file.unlock()
        file.close()
    }
}
