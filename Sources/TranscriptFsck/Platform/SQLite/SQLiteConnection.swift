import CSQLite

/// One connection to a SQLite database file; the only owner of a `sqlite3*`.
///
/// ```swift
/// let db = try SQLiteConnection(path: "store.db", mode: .readOnly)
/// let tables = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").singleInteger()
/// ```
package final class SQLiteConnection {
    /// How the file is opened.
    package enum Mode: Sendable {
        /// Never writes; reads a live WAL database beside its writer.
        case readOnly
        /// Reads and writes an existing database; never creates one.
        case readWrite
        /// Creates the file when it does not exist (fixtures and backups only).
        case create
    }

    let path: String
    /// Opened as a snapshot that cannot change (`immutable`): SQLite reads the file alone, and reports no journal mode.
    let isImmutable: Bool
    let handle: OpaquePointer

    /// `immutable`: the file cannot change while it is open (a read-only snapshot), so SQLite takes no lock and needs
    /// no `-shm`; read-only only.
    package init(path: String, mode: Mode, busyTimeoutMilliseconds: Int32 = 30_000, immutable: Bool = false) throws(SQLiteError) {
        self.path = path
        isImmutable = immutable && mode == .readOnly
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var db: OpaquePointer?
        let uri = "file:" + Self.escapeURIPath(path) + (immutable && mode == .readOnly ? "?immutable=1" : "")
        let code = sqlite3_open_v2(uri, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(db)
            throw SQLiteError(code: code, message: message, path: path)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// True when SQLite opened the database read-only although asked to write it (the file, its directory or its
    /// file system does not let this process write): the first write would fail with SQLITE_READONLY.
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Changes how long a statement waits on another connection's lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Compiles one statement.
    package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    /// Runs one or more statements that take no parameters and return no rows worth reading.
    package func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: code, message: message, statement: sql, path: path)
        }
    }

    /// What a transaction closure decides.
    package enum TransactionCompletion: Sendable { case commit, rollback }

    /// The kind of `BEGIN`.
    package enum TransactionKind: String, Sendable {
        /// Takes a snapshot at the first read; many readers at once.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so no reader-to-writer upgrade can deadlock.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` inside one transaction that it commits or rolls back; a thrown error rolls back.
    ///
    /// ```swift
    /// try db.inTransaction(.immediate) {
    ///     try insert.run()
    ///     return .commit
    /// }
    /// ```
    package func inTransaction(_ kind: TransactionKind = .deferred, _ body: () throws -> TransactionCompletion) throws {
        try execute("BEGIN \(kind.rawValue)")
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            rollbackIfActive()
            throw error
        }
        switch completion {
        case .commit:
            do {
                try execute("COMMIT")
            } catch {
                rollbackIfActive()
                throw error
            }
        case .rollback:
            try execute("ROLLBACK")
        }
    }

    private func rollbackIfActive() {
        if sqlite3_get_autocommit(handle) == 0 {
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        }
    }

    /// Copies the whole database, page by page, into a new file at `destination` (SQLite's online backup).
    ///
    /// Other connections may keep writing meanwhile; the copy is one consistent snapshot.
    /// Copies the database to `destination` (an empty or new file) with SQLite's online backup API, waiting up to
    /// `busyTimeout` for another connection's lock. Returns the copy's `integrity_check` verdict, read before its
    /// connection closes (a second, read-only connection would leave `-wal` and `-shm` files behind).
    func backup(to destination: String, busyTimeout: Duration) throws(SQLiteError) -> String {
        let target = try SQLiteConnection(path: destination, mode: .create)
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw SQLiteError(code: sqlite3_errcode(target.handle),
                              message: String(cString: sqlite3_errmsg(target.handle)), path: destination)
        }
        let deadline = ContinuousClock.now + busyTimeout
        // A step waits in this connection's busy handler for the read lock: no longer than the backup may wait.
        setBusyTimeout(milliseconds: Int32(min(busyTimeout, .seconds(1)).seconds * 1000))
        var code = SQLiteResultCode.ok
        repeat {
            // Out of time, the code is the last step's own: busy, or locked.
            code = retry(until: deadline, backoff: .constant(.milliseconds(50))) { _ in
                code = SQLiteResultCode(rawValue: sqlite3_backup_step(backup, -1))
                return code.isBusy ? nil : code
            } ?? code
        } while code == .ok
        let finish = SQLiteResultCode(rawValue: sqlite3_backup_finish(backup))
        guard code == .done, finish == .ok else {
            let failure = code == .done ? finish : code
            throw SQLiteError(code: failure.rawValue, message: String(cString: sqlite3_errstr(failure.rawValue)),
                              statement: "backup to \(destination)", path: path)
        }
        return try target.check(.full)
    }

    /// SQLite's own checks of the file. `quick` misses an index that lacks rows of its table, which makes
    /// lookups by session see part of a session; `full` verifies every index too (0.2 s for 150 MB).
    enum Check: String, Sendable {
        case quick = "quick_check", full = "integrity_check"
    }

    /// Whether the database has a table of this name (a view or index of the name does not count).
    func hasTable(_ name: String) throws(SQLiteError) -> Bool {
        try prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1").singleInteger([.text(name)]) == 1
    }

    /// The check's first line: "ok", or the first problem it found.
    func check(_ kind: Check) throws(SQLiteError) -> String {
        // "ok", or one row per problem (a row may hold several lines).
        let check = try prepare("PRAGMA \(kind.rawValue)")
        var rows: [String] = []
        while try check.step() { rows.append(check.text(0) ?? "?") }
        return rows.isEmpty ? "?" : rows.joined(separator: "\n")
    }

    /// True when the SQLite library in use has FTS5, which the agent's full-text triggers need.
    static var hasFullTextSearch: Bool { sqlite3_compileoption_used("ENABLE_FTS5") == 1 }

    /// The version of the SQLite library in use, such as `3.40.1`.
    static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    func error(_ code: Int32, statement: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), statement: statement, path: path)
    }

    /// File names go into a `file:` URI; `?` and `#` would start its query or fragment.
    private static func escapeURIPath(_ path: String) -> String {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            case "%": escaped += "%25"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
