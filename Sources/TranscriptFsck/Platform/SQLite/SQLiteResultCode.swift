import CSQLite

/// A SQLite result code, extended (the connection asks for extended codes): the low byte is the primary code, the
/// rest says more. The extended codes are C macros built by arithmetic, which Swift does not import, so they are
/// named here, with the numbers sqlite3.h gives them.
struct SQLiteResultCode: Hashable, Sendable, CustomStringConvertible {
    let rawValue: Int32

    init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code alone (`SQLITE_READONLY` for `SQLITE_READONLY_DIRECTORY`).
    var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xFF) }

    static let ok = SQLiteResultCode(rawValue: SQLITE_OK)
    static let busy = SQLiteResultCode(rawValue: SQLITE_BUSY)
    static let locked = SQLiteResultCode(rawValue: SQLITE_LOCKED)
    static let full = SQLiteResultCode(rawValue: SQLITE_FULL)
    static let ioError = SQLiteResultCode(rawValue: SQLITE_IOERR)
    static let readOnly = SQLiteResultCode(rawValue: SQLITE_READONLY)
    static let cannotOpen = SQLiteResultCode(rawValue: SQLITE_CANTOPEN)
    static let corrupt = SQLiteResultCode(rawValue: SQLITE_CORRUPT)
    static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)
    static let permission = SQLiteResultCode(rawValue: SQLITE_PERM)
    static let done = SQLiteResultCode(rawValue: SQLITE_DONE)
    /// `SQLITE_READONLY_CANTINIT`: the `-shm` of a WAL database could not be set up.
    static let readOnlyCannotInitialize = SQLiteResultCode(rawValue: SQLITE_READONLY | (5 << 8))
    /// `SQLITE_READONLY_DIRECTORY`: the directory that must hold the `-shm` or `-wal` is not writable.
    static let readOnlyDirectory = SQLiteResultCode(rawValue: SQLITE_READONLY | (6 << 8))

    /// Another connection holds a lock (`SQLITE_BUSY`, or `SQLITE_LOCKED` within this process).
    var isBusy: Bool { primary == .busy || primary == .locked }

    /// The number, as SQLite's documentation and the agent's own error messages give it.
    var description: String { String(rawValue) }
}
