import CSQLite

/// A compiled statement: bind values, step through rows, reset, repeat.
///
/// Values are always bound, never spliced into SQL text.
package final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let handle: OpaquePointer
    let sql: String

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        self.connection = connection
        self.sql = sql
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw connection.error(code, statement: sql)
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// A value to bind to a parameter.
    package enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        /// Text given as its bytes, bound exactly, UTF-8 or not: SQLite keeps TEXT as it is given, so a value read back
        /// this way (a session id) names the same row.
        case textBytes([UInt8])
    }

    /// Binds `values` to the parameters `?1`, `?2`, ... in order, after a reset.
    func bind(_ values: [Value]) throws(SQLiteError) {
        reset()
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the parameter at a 1-based index.
    func bind(_ value: Value, at index: Int32) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
        case .real(let number): code = sqlite3_bind_double(handle, index, number)
        case .text(let text):
            var text = text
            code = text.withUTF8 { bindText($0, at: index) }
        case .textBytes(let bytes):
            code = bytes.withUnsafeBufferPointer { bindText($0, at: index) }
        }
        guard code == SQLITE_OK else { throw connection.error(code, statement: sql) }
    }

    private func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32,
                          destructor: sqlite3_destructor_type = sqliteTransient) -> Int32 {
        // An empty string still needs an address: a null pointer would bind SQL NULL.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, sqliteTransient) }
        return sqlite3_bind_text64(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                   sqlite3_uint64(bytes.count), destructor, UInt8(SQLITE_UTF8))
    }

    /// Advances to the next row; false once the statement is done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code, statement: sql)
        }
    }

    /// Runs a statement that returns no rows, with `values` bound in place: SQLite reads the text from the values' own
    /// storage (SQLITE_STATIC), which lives and stays unchanged until the statement has run and its bindings are cleared.
    /// A 300 MB message is then not copied once more for its binding.
    package func run(_ values: [Value] = []) throws(SQLiteError) {
        reset()
        defer { reset() }
        try bindInPlace(values[...], at: 1) { () throws(SQLiteError) in while try step() {} }
    }

    private func bindInPlace(_ values: ArraySlice<Value>, at index: Int32, then body: () throws(SQLiteError) -> Void) throws(SQLiteError) {
        guard let value = values.first else { return try body() }
        var failure: SQLiteError?
        func bindThenGoOn(_ bytes: UnsafeBufferPointer<UInt8>) {
            do throws(SQLiteError) {
                let code = bindText(bytes, at: index, destructor: sqliteStatic)
                guard code == SQLITE_OK else { throw connection.error(code, statement: sql) }
                try bindInPlace(values.dropFirst(), at: index + 1, then: body)
            } catch {
                failure = error
            }
        }
        switch value {
        case .text(var text): text.withUTF8(bindThenGoOn)
        case .textBytes(let bytes): bytes.withUnsafeBufferPointer(bindThenGoOn)
        case .null, .integer, .real:
            try bind(value, at: index)
            try bindInPlace(values.dropFirst(), at: index + 1, then: body)
        }
        if let failure { throw failure }
    }

    /// Makes the statement ready to run again, keeping it compiled.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    package func real(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    package func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column's text as bytes, valid only until the next step or reset; nil for NULL.
    func withTextBytes<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let pointer = sqlite3_column_text(handle, column) else {
            return try body(nil)
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The first column of the first row as an integer, or nil when there is no row.
    func singleInteger(_ values: [Value] = []) throws(SQLiteError) -> Int64? {
        try bind(values)
        defer { reset() }
        return try step() ? integer(0) : nil
    }
}

/// SQLite copies the bound bytes at once (SQLITE_TRANSIENT), so the Swift buffer may go away.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
/// SQLite reads the bound bytes where they are (SQLITE_STATIC) until the binding is cleared.
private let sqliteStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)
