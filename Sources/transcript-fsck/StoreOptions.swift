import ArgumentParser
import Foundation
import TranscriptFsck

/// Where the store is and which sessions to look at; shared by every command that reads a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The agent's home directory (default: $HERMES_HOME, else ~/.hermes).", valueName: "dir"))
    var home: String?

    @Option(name: .customLong("db"), help: ArgumentHelp("The SQLite database (default: HOME/state.db).", valueName: "file"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("A directory searched recursively for *.jsonl and *.jsonl.gz; repeatable (default: HOME/sessions).", valueName: "dir"))
    var transcripts: [String] = []

    @Option(name: .customLong("session"), help: ArgumentHelp("Only this session; repeatable.", valueName: "id"))
    var sessions: [String] = []

    var location: StoreLocation {
        StoreLocation.resolve(home: home, database: database, transcriptRoots: transcripts,
                              environment: ProcessInfo.processInfo.environment)
    }
}

/// How the report is printed.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: table (for people) or json (for programs).")
    var format: ReportFormat = .table
}

extension ReportFormat: ExpressibleByArgument {}
