/// The repair's backup: an online copy (SQLite's backup API) of the database as it is before the first write.
///
/// It is written under a temporary name with the database's mode and owner (never wider: the store holds private
/// chats), checked, and only then linked to its own name, which it never replaces: a file under a backup's name is
/// always a whole, checked copy, even if the repair is killed while it writes.
struct StoreBackup {
    let database: String
    /// `--backup FILE|DIR`; nil: beside the database.
    let given: String?
    let namePrefix: String
    let busyTimeout: Duration

    init(database: String, given: String?, namePrefix: String, busyTimeout: Duration) {
        self.database = database
        self.given = given
        self.namePrefix = namePrefix
        self.busyTimeout = busyTimeout
    }

    init(database: String, options: StoreRepairer.Options) {
        self.init(database: database, given: options.backupPath, namePrefix: options.backupNamePrefix, busyTimeout: options.busyTimeout)
    }

    /// Makes the backup through `connection` and returns its path.
    func make(from connection: SQLiteConnection) throws(FsckError) -> String {
        let path = try chooseName()
        let temporary = "\(path).partial-\(POSIX.processID)"
        try createPrivately(temporary)
        let verdict: String
        do {
            // Interrupted meanwhile, the process dies of the signal with no full-size partial copy left behind.
            verdict = try InterruptCleanup.removing([temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal"]) {
                () throws(SQLiteError) -> String in try connection.backup(to: temporary, busyTimeout: busyTimeout)
            }
        } catch {
            POSIX.removeIfPresent(temporary)
            let locked = error.code == .busy || error.code == .locked
            throw .backupFailed(path: path, locked ? .lockedThroughout(message: error.message, seconds: Int(busyTimeout.seconds))
                                                   : .copy(message: error.message))
        }
        guard verdict == "ok" else {
            POSIX.removeIfPresent(temporary)
            throw .backupFailed(path: path, .integrity(verdict: verdict))
        }
        // link(2), unlike rename(2), fails rather than replace a file that took the name meanwhile.
        if let failure = POSIX.link(temporary, to: path) {
            POSIX.removeIfPresent(temporary)
            throw .backupFailed(path: path, .name(errno: failure))
        }
        POSIX.removeIfPresent(temporary)
        return path
    }

    /// Fails as the backup would on a name it cannot take (`--backup FILE` that exists), for the dry run.
    func checkName() throws(FsckError) {
        _ = try chooseName()
    }

    /// True when `--backup` names a directory, which a run over several stores needs: one file cannot hold their backups.
    static func goesIntoDirectory(_ path: String) -> Bool { POSIX.isDirectory(path) }

    /// Where the backup goes: `--backup FILE`, which must not exist; or, in `--backup DIR` or beside the database, the
    /// default name `state.db.bak-YYYYmmdd-HHMMSS`, with `-1`, `-2`, ... when that is taken.
    private func chooseName() throws(FsckError) -> String {
        var directory: String?
        if let given {
            guard (try? FileStatus(path: given))?.isDirectory == true else {
                if POSIX.exists(given) {
                    throw .backupFailed(path: given, .exists)
                }
                return given
            }
            directory = given
        }
        let fileName = namePrefix + (database.split(separator: "/").last.map(String.init) ?? HermesLayout.databaseName)
        let base = (directory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + fileName } ?? database) + ".bak-" + LocalTime.formatNow("%Y%m%d-%H%M%S")
        var path = base
        var suffix = 1
        while POSIX.exists(path) {
            path = "\(base)-\(suffix)"
            suffix += 1
        }
        return path
    }

    /// Creates `path`, which must not exist, with the database's permission bits and owner.
    private func createPrivately(_ path: String) throws(FsckError) {
        let model: FileStatus
        do { model = try FileStatus(path: database) } catch { throw .databaseModeUnreadable(path: database, errno: error.rawValue) }
        do { try FileDescriptor(creatingNew: path, like: model, mask: 0o666).close() } catch {
            throw .backupFailed(path: path, .create(errno: error.rawValue))
        }
    }
}
