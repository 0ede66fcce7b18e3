import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif
import Logging
import TranscriptFsck

/// Where the stores are; shared by every command that reads a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("An agent home: a root, whose every profile is audited, or one profile's directory; repeatable (default: $HERMES_HOME, else ~/.hermes).", valueName: "dir"), completion: .directory)
    var home: [String] = []

    @Option(name: .customLong("homes-from"), help: ArgumentHelp("Also every home listed in this file, one a line ('#' starts a comment; - reads standard input).", valueName: "file"), completion: .file())
    var homesFrom: String?

    @Option(name: .long, help: ArgumentHelp("Only this profile of each home (`default` is the root itself); repeatable. Without it: every profile the agent lists.", valueName: "name"))
    var profile: [String] = []

    @Option(name: .customLong("db"), help: ArgumentHelp("The SQLite database of one store (default: HOME/state.db).", valueName: "file"), completion: .file())
    var database: String?

    @Option(name: .long, help: ArgumentHelp("A directory searched recursively for *.jsonl and *.jsonl.gz; repeatable (default: HOME/sessions).", valueName: "dir"), completion: .directory)
    var transcripts: [String] = []

    func validate() throws {
        if home.contains(where: \.isEmpty) { throw ValidationError("--home: an empty path names no home; leave it out for $HERMES_HOME or ~/.hermes") }
        guard database != nil || !transcripts.isEmpty else { return }
        if home.count > 1 || homesFrom != nil {
            throw ValidationError("--db and --transcripts name one store's files: give at most one --home with them")
        }
        if !profile.isEmpty { throw ValidationError("--profile picks among a home's profiles: it does not go with --db or --transcripts") }
    }

    /// The Codex home this run is on, or nil for a Hermes one: a single `--home` laid out as codex's (or, with no
    /// `--home`, a non-empty `CODEX_HOME` while `HERMES_HOME` is unset).
    func codexHome() throws -> String? {
        guard database == nil, transcripts.isEmpty, profile.isEmpty, homesFrom == nil, home.count <= 1 else { return nil }
        let environment = ProcessInfo.processInfo.environment
        if home.isEmpty, environment["HERMES_HOME"].map({ !$0.isEmpty }) == true { return nil }
        if home.isEmpty, environment["CODEX_HOME"].map({ !$0.isEmpty }) != true { return nil }
        let path = CodexHome.resolve(home: home.first, environment: environment)
        return CodexHome.isCodexHome(path) ? path : nil
    }

    /// Every store the options name: each home's profiles, as the agent lists them, or the one store `--db` names.
    func stores() throws -> [NamedStore] {
        let listed = try homesFrom.map { path throws(FsckError) in try StoreSelection.homes(listedIn: path) } ?? []
        return try StoreSelection(homes: home + listed, database: database, transcriptRoots: transcripts, profiles: profile)
            .stores(environment: ProcessInfo.processInfo.environment)
    }

    /// The one store a command that reads a single store works on: the home's own, or the one `--profile` names.
    func singleStore() throws -> StoreLocation {
        if profile.isEmpty, homesFrom == nil, home.count <= 1 {
            return StoreLocation.resolve(home: home.first, database: database, transcriptRoots: transcripts,
                                         environment: ProcessInfo.processInfo.environment)
        }
        let stores = try stores()
        guard stores.count == 1 else { throw ValidationError("this command reads one store: name one home and at most one --profile") }
        return stores[0].location
    }
}

/// `--session`, repeatable, for the commands that can look at some sessions only (scan, repair).
struct SessionsOption: ParsableArguments {
    @Option(name: .customLong("session"), help: ArgumentHelp("Only this session; repeatable.", valueName: "id"))
    var sessions: [String] = []

    /// A session id belongs to one store: a run over several must be narrowed to the one that holds it.
    static func check(_ sessions: [SessionID], among stores: [NamedStore]) throws {
        guard !sessions.isEmpty, stores.count > 1 else { return }
        throw ValidationError("--session names a session of one store, and this run covers \(stores.count) "
                              + "(\(stores.prefix(8).map(\.label).joined(separator: ", "))\(stores.count > 8 ? ", ..." : "")): add --profile NAME, or --db")
    }
}

/// How and where the report is printed, and how talkative the tool is on standard error.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Report format: table, json, jsonl, markdown or junit.")
    var format: ReportFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write the report to this file (atomically) and a one-line summary to standard error.", valueName: "file"), completion: .file())
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
    func emit(_ report: some FormattedReport, protecting store: StoreLocation) throws {
        try emit(report, protecting: [store])
    }

    /// The same for a report on stores of several files (a Codex home's two databases).
    func emit(_ report: some FormattedReport, protecting stores: [StoreLocation]) throws {
        try emitReport(report, protecting: stores)
    }

    /// The same for a run over several stores; each store that could not be read is also said on standard error.
    func emit<Report>(_ set: StoreSetReport<Report>, logger: Logger) throws {
        for line in set.failureLines { logger.error("\(line)") }
        try emitReport(set, protecting: set.entries.map(\.store.location))
    }

    private func emitReport(_ report: some FormattedReport, protecting stores: [StoreLocation]) throws {
        if let output {
            try StoreLocation.writeOutput(report.rendered(as: format, colored: false), to: output, protecting: stores)
            if !quiet { StandardError.write(report.summaryLine + "; report in \(output)\n") }
        } else {
            print(report.rendered(as: format, colored: format == .table && TerminalColor.isWanted(on: 1)), terminator: "")
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
