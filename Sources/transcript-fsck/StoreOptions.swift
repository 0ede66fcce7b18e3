import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif
import Logging
import TranscriptFsck

/// Where the store is; shared by every command that reads a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The agent's home directory (default: $HERMES_HOME, else ~/.hermes).", valueName: "dir"))
    var home: String?

    @Option(name: .customLong("db"), help: ArgumentHelp("The SQLite database (default: HOME/state.db).", valueName: "file"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("A directory searched recursively for *.jsonl and *.jsonl.gz; repeatable (default: HOME/sessions).", valueName: "dir"))
    var transcripts: [String] = []

    var location: StoreLocation {
        StoreLocation.resolve(home: home, database: database, transcriptRoots: transcripts,
                              environment: ProcessInfo.processInfo.environment)
    }
}

/// `--session`, repeatable, for the commands that can look at some sessions only (scan, repair).
struct SessionsOption: ParsableArguments {
    @Option(name: .customLong("session"), help: ArgumentHelp("Only this session; repeatable.", valueName: "id"))
    var sessions: [String] = []
}

/// How and where the report is printed, and how talkative the tool is on standard error.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: table, json, jsonl, markdown or junit.")
    var format: ReportFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write the report to this file (atomically) and a one-line summary to standard error.", valueName: "file"))
    var output: String?

    @Flag(name: .shortAndLong, help: "Say more on standard error: timings and each step.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Say nothing on standard error but errors.")
    var quiet = false

    func validate() throws {
        if verbose, quiet { throw ValidationError("--verbose and --quiet exclude each other") }
    }

    /// Messages on standard error, at the level the flags ask for.
    var logger: Logger {
        var logger = Logger(label: "transcript-fsck") { _ in OneLineLogHandler() }
        logger.logLevel = verbose ? .debug : quiet ? .error : .notice
        return logger
    }

    /// Prints the report, or writes it to `--output` and says the summary on standard error.
    func emit(_ report: some SessionReport, protecting store: StoreLocation) throws {
        if let output {
            try store.writeOutput(report.rendered(as: format, colored: false), to: output)
            if !quiet { StandardError.write(report.summaryLine + "; report in \(output)\n") }
        } else {
            let colored = format == .table && TerminalColor.isWanted(on: 1)
            print(report.rendered(as: format, colored: colored), terminator: "")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension SessionStatus: ExpressibleByArgument {}

/// Writes each message as one line on standard error: `transcript-fsck: waiting for ...`.
struct OneLineLogHandler: LogHandler {
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level >= .warning ? "transcript-fsck: \(event.level): " : "transcript-fsck: "
        StandardError.write(prefix + event.message.description + "\n")
    }
}
