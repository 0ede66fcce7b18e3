/// The columns that a particular `state.db` has, read with `PRAGMA table_info`.
///
/// Agent versions differ in their optional columns; the tool reads and writes only the columns that exist.
public struct StoreSchema: Sendable {
    /// One column of a table.
    public struct Column: Sendable, Equatable {
        public let name: String
        public let declaredType: String
        public let isNotNull: Bool
        public let hasDefault: Bool
        public let isPrimaryKey: Bool
    }

    public let sessionColumns: [Column]
    public let messageColumns: [Column]
    /// FTS5 tables, whose `integrity-check` a repair runs.
    public let fullTextTables: [String]

    static let requiredMessageColumns = ["id", "session_id", "role", "content", "timestamp"]
    static let requiredSessionColumns = ["id"]

    public func hasMessageColumn(_ name: String) -> Bool { messageColumns.contains { $0.name == name } }
    public func hasSessionColumn(_ name: String) -> Bool { sessionColumns.contains { $0.name == name } }

    /// Reads the schema, or throws `FsckError.unknownSchema` when the tables the tool needs are not there.
    static func read(from connection: SQLiteConnection) throws(FsckError) -> StoreSchema {
        do {
            let sessions = try columns(of: "sessions", in: connection)
            let messages = try columns(of: "messages", in: connection)
            for (table, columns, required) in [("sessions", sessions, requiredSessionColumns), ("messages", messages, requiredMessageColumns)] {
                if columns.isEmpty { throw FsckError.unknownSchema(path: connection.path, detail: "no table \(table)") }
                for name in required where !columns.contains(where: { $0.name == name }) {
                    throw FsckError.unknownSchema(path: connection.path, detail: "table \(table) has no column \(name)")
                }
            }
            let fts = try connection.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name")
            var fullText: [String] = []
            while try fts.step() { fullText.append(fts.text(0) ?? "") }
            return StoreSchema(sessionColumns: sessions, messageColumns: messages, fullTextTables: fullText)
        } catch {
            throw FsckError(reading: error, path: connection.path)
        }
    }

    private static func columns(of table: String, in connection: SQLiteConnection) throws(SQLiteError) -> [Column] {
        let statement = try connection.prepare("SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk FROM pragma_table_info(?)")
        try statement.bind([.text(table)])
        var columns: [Column] = []
        while try statement.step() {
            columns.append(Column(name: statement.text(0) ?? "", declaredType: statement.text(1) ?? "",
                                  isNotNull: statement.integer(2) != 0, hasDefault: statement.integer(3) != 0,
                                  isPrimaryKey: statement.integer(4) != 0))
        }
        return columns
    }
}
