import CSQLite

/// Text as SQLite itself renders values, for comparing with what a TEXT-affinity column holds.
enum SQLiteText {
    /// The text a REAL becomes when it is stored into a TEXT-affinity column (SQLite's `%!.15g`):
    /// `1.0e+20`, `0.3` for 0.30000000000000004, `Inf`. NaN is stored as NULL, so it has no text.
    package static func real(_ value: Double) -> String? {
        guard !value.isNaN else { return nil }
        // -0.0 is stored as the integer 0 would be rendered as a real: "0.0".
        let stored = value == 0 ? 0 : value
        return withVaList([stored]) { arguments in
            guard let rendered = sqlite3_vmprintf("%!.15g", arguments) else { return nil }
            defer { sqlite3_free(rendered) }
            return String(cString: rendered)
        }
    }

    /// `identifier` as a quoted SQL name (`"a""b"`), for table and column names read from the schema.
    static func quotedIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a quoted SQL string literal (`'it''s'`).
    static func quotedString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
