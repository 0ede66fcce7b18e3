extension CodexHome {
    /// Codex's databases and their SQLite files: never an output of the tool's.
    var ownFiles: [(name: String, path: String)] {
        StoreLocation.sqliteFiles(of: stateDatabase) + StoreLocation.sqliteFiles(of: historyDatabase)
    }

    /// Writes a file the tool makes for its user (a report, metrics) whole or not at all, and never over codex's databases.
    public func writeOutput(_ text: String, to path: String) throws(FsckError) {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, protecting: ownFiles)
        } catch {
            throw .output(error)
        }
    }
}
