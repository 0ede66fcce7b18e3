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
    /// Why giving a message row a new id (copy, then delete the original) could lose or break something: a table
    /// that references message ids, or a delete trigger that writes anything but the full-text index. Empty when safe.
    public let rowMoveHazards: [RowMoveHazard]

    public func hasMessageColumn(_ name: String) -> Bool { messageColumns.contains { $0.name == name } }
    public func hasSessionColumn(_ name: String) -> Bool { sessionColumns.contains { $0.name == name } }

    /// For `sessions` and `messages`, the two tables the tool reads.
    func hasColumn(_ name: String, in table: String) -> Bool {
        table == "messages" ? hasMessageColumn(name) : table == "sessions" ? hasSessionColumn(name) : false
    }

    func hasTable(_ table: String) -> Bool {
        table == "messages" ? !messageColumns.isEmpty : table == "sessions" ? !sessionColumns.isEmpty : false
    }

    /// Reads the columns of both tables, the FTS5 tables and the hazards of moving rows; `AgentFormats.detect` then
    /// says whether the tool knows the store.
    static func read(from connection: SQLiteConnection) throws(FsckError) -> StoreSchema {
        do {
            let sessions = try columns(of: "sessions", in: connection)
            let messages = try columns(of: "messages", in: connection)
            let fts = try connection.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name")
            var fullText: [String] = []
            while try fts.step() { fullText.append(fts.text(0) ?? "") }
            return StoreSchema(sessionColumns: sessions, messageColumns: messages, fullTextTables: fullText,
                               rowMoveHazards: try rowMoveHazards(in: connection, fullTextTables: fullText))
        } catch {
            throw FsckError(reading: error, path: connection.path)
        }
    }

    private static func rowMoveHazards(in connection: SQLiteConnection, fullTextTables: [String]) throws(SQLiteError) -> [RowMoveHazard] {
        var hazards: [RowMoveHazard] = []
        let references = try connection.prepare("""
            SELECT t.name FROM sqlite_master AS t, pragma_foreign_key_list(t.name) AS k
            WHERE t.type = 'table' AND k."table" = 'messages' ORDER BY t.name
            """)
        while try references.step() { hazards.append(.referencingTable(references.text(0) ?? "")) }
        let triggers = try connection.prepare("""
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' ORDER BY name
            """)
        let indexTables = Set(fullTextTables.map { $0.lowercased() })
        while try triggers.step() {
            let sql = String((triggers.text(1) ?? "").lowercased().map { $0.isWhitespace ? " " : $0 })
            guard sql.contains(" delete on ") || sql.contains(" delete of ") else { continue }
            let targets = TriggerTargets.written(by: sql)
            if targets.isEmpty || !targets.allSatisfy(indexTables.contains) {
                hazards.append(.deleteTrigger(triggers.text(0) ?? "", writes: targets.sorted()))
            }
        }
        return hazards
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

/// The tables a trigger body writes: the names after `insert into`, `replace into`, `delete from` and `update`.
enum TriggerTargets {
    static func written(by sql: String) -> Set<String> {
        let body = sql.split(separator: " begin ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let words = body.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "\"" || $0 == "'") }.map { $0.trimmingQuotes() }
        var targets: Set<String> = []
        for (index, word) in words.enumerated() where index + 1 < words.count {
            switch word {
            case "into" where index > 0 && ["insert", "replace", "ignore", "abort", "fail", "rollback"].contains(words[index - 1]):
                targets.insert(words[index + 1])
            case "from" where index > 0 && words[index - 1] == "delete":
                targets.insert(words[index + 1])
            case "update" where !["or"].contains(words[index + 1]):
                targets.insert(words[index + 1])
            case "update":
                if index + 3 < words.count { targets.insert(words[index + 3]) }
            default: break
            }
        }
        return targets
    }
}

private extension Substring {
    func trimmingQuotes() -> String {
        String(self.filter { $0 != "\"" && $0 != "'" })
    }
}
