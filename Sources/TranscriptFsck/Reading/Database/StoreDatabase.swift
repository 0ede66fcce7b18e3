/// Opens the agent's `state.db`: read-only for the scan and doctor, for writing for the repair.
enum StoreDatabase {
    /// Opens the database, read-only unless `mode` says otherwise; never creates it. A file that is not there, not a
    /// regular file or not readable by this user is refused before SQLite sees it, each with its own error.
    static func open(path: String, mode: SQLiteConnection.Mode = .readOnly,
                            busyTimeoutMilliseconds: Int32 = 30_000) throws(FsckError) -> SQLiteConnection {
        let status: FileStatus
        do { status = try FileStatus(path: path) } catch {
            if error == .notFound {
                // Pointed at the other agent's home, the operator is told so, not told to look for a state.db.
                if let home = HermesLayout.home(ofDatabase: path), CodexHome.recognize(home.isEmpty ? "/" : home) != nil {
                    throw .codexHome(path: home)
                }
                throw .databaseNotFound(path: path)
            }
            throw .databaseUnstatable(path: path, errno: error.rawValue)
        }
        guard status.isRegularFile else { throw .notADatabase(path: path, detail: "not a regular file") }
        // Asked first, so that a file this user may not read is not taken for a WAL store whose -wal and -shm it cannot reach.
        do { try POSIX.checkAccess(path) } catch { throw .databaseUnreadable(path: path, errno: error.rawValue) }
        do {
            let connection = try SQLiteConnection(path: path, mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            guard mode == .readOnly else { return connection }
            do {
                _ = try connection.prepare("SELECT count(*) FROM sqlite_master").singleInteger()
                return connection
            } catch where error.isCannotOpen {
                return try openSnapshot(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, cause: error)
            }
        } catch {
            throw FsckError(error, path: path)
        }
    }

    /// A WAL store on a read-only file system (a backup, a ZFS or LVM snapshot, a restic mount: the safe place to
    /// audit) cannot be read as usual: SQLite must create its `-shm` beside it. Cleanly closed, with no `-wal` left or an
    /// empty one, the file holds everything and cannot change there, so it is read as immutable. With a `-wal` holding
    /// pages, that would read stale data: refused with what to do.
    private static func openSnapshot(path: String, busyTimeoutMilliseconds: Int32, cause: SQLiteError) throws(SQLiteError) -> SQLiteConnection {
        if let wal = try? FileStatus(path: path + "-wal"), wal.size > 0 { throw cause }
        let connection = try SQLiteConnection(path: path, mode: .readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds, immutable: true)
        _ = try connection.prepare("SELECT count(*) FROM sqlite_master").singleInteger()
        return connection
    }
}
