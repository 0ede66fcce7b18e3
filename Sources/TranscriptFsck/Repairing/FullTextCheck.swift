extension RepairReport.FullTextCheck {
    /// Runs each FTS5 table's own `integrity-check` inside a transaction that is rolled back.
    static func run(on connection: SQLiteConnection, schema: StoreSchema) -> [RepairReport.FullTextCheck] {
        schema.fullTextTables.map { table in
            let name = SQLiteText.quotedIdentifier(table)
            do {
                try connection.inTransaction {
                    try connection.execute("INSERT INTO \(name)(\(name)) VALUES ('integrity-check')")
                    return .rollback
                }
                return .init(table: table, failure: nil)
            } catch {
                return .init(table: table, failure: "\(error)")
            }
        }
    }
}
