import CSQLite

/// A failure reported by SQLite, with the context needed to act on it.
///
/// It prints as one line: `state.db: database is locked (code 5) in BEGIN IMMEDIATE`.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_READONLY_DIRECTORY`, ...).
    let code: SQLiteResultCode
    /// SQLite's own message for the failure.
    let message: String
    /// The statement that failed, if any.
    let statement: String?
    /// The database file the connection concerned.
    let path: String

    init(code: Int32, message: String, statement: String? = nil, path: String) {
        self.code = SQLiteResultCode(rawValue: code)
        self.message = message
        self.statement = statement
        self.path = path
    }

    /// True when another connection holds a lock that we waited on in vain.
    var isBusy: Bool { code.isBusy }

    /// True when the storage itself failed (disk full, I/O error, read-only or vanished file): no later write can succeed.
    var isStorageFailure: Bool {
        [.full, .ioError, .readOnly, .cannotOpen, .corrupt, .notADatabase, .permission].contains(code.primary)
    }

    /// True when a WAL database cannot be read because its `-shm` file cannot be created or set up: the directory (or
    /// the file) is not writable by this user.
    var isUnwritableSharedMemory: Bool { code == .readOnlyDirectory || code == .readOnlyCannotInitialize }

    /// True when the file is not a database, or a damaged one.
    var isNotADatabase: Bool { code.primary == .notADatabase }
    /// SQLite could not open a file it needs (`SQLITE_CANTOPEN`): the database, or its `-wal` or `-shm`.
    var isCannotOpen: Bool { code.primary == .cannotOpen }
    /// The file is a SQLite database with a damaged page (`SQLITE_CORRUPT`).
    var isCorrupt: Bool { code.primary == .corrupt }

    public var description: String {
        var text = "\(path): \(message) (code \(code))"
        if let statement {
            let oneLine = statement.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.joined(separator: " ")
            text += " in \(oneLine.prefix(120))"
        }
        return text
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
