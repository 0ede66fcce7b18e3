/// Where a session store lives: the database file and the directories holding transcripts.
public struct StoreLocation: Sendable, Equatable {
    public var database: String
    var transcriptRoots: [String]

    init(database: String, transcriptRoots: [String]) {
        self.database = database
        self.transcriptRoots = transcriptRoots
    }

    /// The file whose `flock` keeps two repairs of this store apart (`RepairLock`).
    var repairLock: String { database + ".repair.lock" }

    /// The store's own files, with what each is: never an output of the tool's.
    var ownFiles: [(name: String, path: String)] {
        Self.sqliteFiles(of: database) + [("repair lock", repairLock)]
    }

    /// A SQLite database's file and those SQLite keeps beside it, with what each is.
    static func sqliteFiles(of database: String) -> [(name: String, path: String)] {
        [("database", ""), ("WAL file", "-wal"), ("shared-memory file", "-shm"), ("journal", "-journal")].map { ($0.0, database + $0.1) }
    }

    /// Writes a file the tool makes for its user (a report, metrics, the `--since` state) whole or not at all, and
    /// never over one of this store's own files.
    public func writeOutput(_ text: String, to path: String) throws(FsckError) {
        try Self.writeOutput(text, to: path, protecting: [self])
    }

    /// The same for a run over several stores: never over a file of any of them.
    public static func writeOutput(_ text: String, to path: String, protecting stores: [StoreLocation]) throws(FsckError) {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, protecting: stores.flatMap(\.ownFiles))
        } catch {
            throw .output(error)
        }
    }

    /// The Hermes defaults (`HermesLayout`): home is `home`, else `$HERMES_HOME`, else `~/.hermes`; the database
    /// `HOME/state.db` and the transcripts `HOME/sessions`, unless given.
    public static func resolve(home: String?, database: String?, transcriptRoots: [String],
                               environment: [String: String]) -> StoreLocation {
        let hermesHome = home ?? HermesLayout.defaultHome(environment: environment)
        return StoreLocation(database: database ?? HermesLayout.database(inHome: hermesHome),
                             transcriptRoots: transcriptRoots.isEmpty ? [HermesLayout.transcripts(inHome: hermesHome)] : transcriptRoots)
    }
}
