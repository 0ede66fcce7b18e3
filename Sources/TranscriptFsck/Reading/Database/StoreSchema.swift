/// The columns that a particular `state.db` has, read with `PRAGMA table_info`.
///
/// Agent versions differ in their optional columns; the tool reads and writes only the columns that exist.
struct StoreSchema: Sendable {
    /// One column of a table.
    struct Column: Sendable, Equatable {
        let name: String
        let declaredType: String
        let isNotNull: Bool
        let hasDefault: Bool
        let isPrimaryKey: Bool
    }

    let sessionColumns: [Column]
    let messageColumns: [Column]
    /// FTS5 tables, whose `integrity-check` a repair runs.
    let fullTextTables: [String]
    /// Why giving a message row a new id (copy, then delete the original) could lose or break something: a table
    /// that references message ids, or a delete trigger that writes anything but the full-text index. Empty when safe.
    let rowMoveHazards: [RowMoveHazard]

    func hasMessageColumn(_ name: String) -> Bool { messageColumns.contains { $0.name == name } }
    func hasSessionColumn(_ name: String) -> Bool { sessionColumns.contains { $0.name == name } }

    /// For `sessions` and `messages`, the two tables the tool reads.
    func hasColumn(_ name: String, in table: String) -> Bool {
        switch table {
        case HermesStatements.messagesTable: hasMessageColumn(name)
        case HermesStatements.sessionsTable: hasSessionColumn(name)
        default: false
        }
    }

    func hasTable(_ table: String) -> Bool {
        switch table {
        case HermesStatements.messagesTable: !messageColumns.isEmpty
        case HermesStatements.sessionsTable: !sessionColumns.isEmpty
        default: false
        }
    }

    /// Reads the columns of both tables, the FTS5 tables and the hazards of moving rows; `AgentFormats.detect` then
    /// says whether the tool knows the store.
    static func read(from connection: SQLiteConnection) throws(FsckError) -> StoreSchema {
        do {
            let sessions = try columns(of: HermesStatements.sessionsTable, in: connection)
            let messages = try columns(of: HermesStatements.messagesTable, in: connection)
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

    /// Judged the way SQLite resolves names: any case, any spacing or comment between the words, quoted or not.
    private static func rowMoveHazards(in connection: SQLiteConnection, fullTextTables: [String]) throws(SQLiteError) -> [RowMoveHazard] {
        var hazards: [RowMoveHazard] = []
        let references = try connection.prepare(HermesStatements.tablesReferencingMessages)
        while try references.step() { hazards.append(.referencingTable(references.text(0) ?? "")) }
        let triggers = try connection.prepare(HermesStatements.triggersOnMessages)
        // A move inserts a copy and deletes the original, and the late schema's display_order trigger updates the copy:
        // whatever a trigger on messages writes beyond the full-text index and the messages table itself would see a
        // row come and go, or change. A trigger whose head cannot be read counts as one that writes anything.
        let harmless = Set(fullTextTables.map(SQLWords.folded) + [HermesStatements.messagesTable])
        while try triggers.step() {
            let words = SQLWords(triggers.text(1) ?? "")
            let targets = words.tablesWrittenByTriggerBody
            if targets.isEmpty || !targets.isSubset(of: harmless) {
                hazards.append(.trigger(triggers.text(0) ?? "", writes: targets.subtracting(harmless).sorted()))
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
