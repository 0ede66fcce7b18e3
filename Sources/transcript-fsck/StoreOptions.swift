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

    @Option(name: .long, help: ArgumentHelp("The agent whose home this is: hermes or codex (default: a --home with codex's layout and no state.db is Codex's; without --home, $HERMES_HOME, else ~/.hermes, else $CODEX_HOME, else ~/.codex).", valueName: "agent"))
    var agent: Agent?

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
        if agent == .codex { try Self.refuseHermesOptions(self, codexHome: nil) }
        guard database != nil || !transcripts.isEmpty else { return }
        if home.count > 1 || homesFrom != nil {
            throw ValidationError("--db and --transcripts name one store's files: give at most one --home with them")
        }
        if !profile.isEmpty { throw ValidationError("--profile picks among a home's profiles: it does not go with --db or --transcripts") }
    }

    /// The Codex home the run is on, or nil when it is on Hermes stores (`AgentDetection`). Options that name a Hermes
    /// store's files (--db, --transcripts, --profile) keep a run without --agent on Hermes, unless --home is Codex's.
    func codexHome() throws -> CodexHome? {
        let environment = ProcessInfo.processInfo.environment
        guard agent != .hermes, home.count <= 1, homesFrom == nil else { return nil }
        if agent == nil, database != nil || !transcripts.isEmpty || !profile.isEmpty {
            guard let named = home.first, AgentDetection.isCodexHome(named) else { return nil }
            try Self.refuseHermesOptions(self, codexHome: named)
        }
        return try AgentDetection.codexHome(agent: agent, home: home.first, environment: environment)
    }

    /// A Codex home is one directory read whole: the options that pick Hermes stores, their files or profiles, mean
    /// nothing there. `home`: the Codex home named; nil when `--agent codex` puts the run on one.
    private static func refuseHermesOptions(_ options: StoreOptions, codexHome home: String?) throws {
        if options.home.count > 1 || options.homesFrom != nil {
            throw ValidationError("--agent codex reads one Codex home: give one --home (or none, for $CODEX_HOME or ~/.codex) and no --homes-from")
        }
        let hermesOnly = [("--db", options.database != nil), ("--transcripts", !options.transcripts.isEmpty), ("--profile", !options.profile.isEmpty)]
        guard let (option, _) = hermesOnly.first(where: \.1) else { return }
        let codex = home.map { "\($0) is a Codex CLI home, read" } ?? "--agent codex reads one Codex home"
        throw ValidationError("\(option) is for Hermes stores, and \(codex) whole (its state_5.sqlite and rollouts): leave \(option) out")
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


    /// The same for a run over several stores; each store that could not be read is also said on standard error.
    func emit<Report>(_ set: StoreSetReport<Report>, logger: Logger) throws {
        for line in set.failureLines { logger.error("\(line)") }
        try emit(set, protecting: set.entries.map(\.store.location))
    }

    /// The same for a Codex home's report: never written over codex's databases.
    func emit(_ report: some FormattedReport, protecting home: CodexHome) throws {
        try emit(report) { text, path throws(FsckError) in try home.writeOutput(text, to: path) }
    }

    private func emit(_ report: some FormattedReport, protecting stores: [StoreLocation]) throws {
        try emit(report) { text, path throws(FsckError) in try StoreLocation.writeOutput(text, to: path, protecting: stores) }
    }

    private func emit(_ report: some FormattedReport, writing write: (String, String) throws(FsckError) -> Void) throws {
        if let output {
            try write(report.rendered(as: format, colored: false), output)
            if !quiet { StandardError.write(report.summaryLine + "; report in \(output)\n") }
        } else {
            print(report.rendered(as: format, colored: format == .table && TerminalColor.isWanted(on: 1)), terminator: "")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension Agent: ExpressibleByArgument {}

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
