import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif
import Logging
import TranscriptFsck

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Compare every session's transcript with its database rows and report what is lost.",
        discussion: """
        Reads every transcript (plain or gzip) and the database (read-only, safe beside a running agent), \
        and gives each session a status: ok, truncated, missing, continued, diverged, corrupt, deleted \
        (the user deleted it; not a problem), database_only or database_ahead. Writes nothing but the \
        files named by --output, --metrics and --since.

        A home that is a root is audited with every profile the agent lists (ROOT/profiles/NAME), each a store \
        of its own, in one report with a section per store; --profile narrows the run, and a home that is one \
        profile's directory is that profile alone. --home repeats and --homes-from lists many homes: --jobs \
        stores are scanned at once, and the exit status is the worst store's.

        A Codex CLI home (--agent codex; or a --home with codex's state_5.sqlite or rollouts and no state.db; or, with \
        no --home, $CODEX_HOME when neither $HERMES_HOME nor ~/.hermes is there, and ~/.codex likewise) is scanned \
        whole: each thread's rollout against its state_5.sqlite row and its thread_history_1.sqlite projection, with \
        codex's statuses: ok, missing, truncated, diverged, corrupt, stale (a row whose rollout is gone) or misplaced \
        (row and file disagree on where it is). --session and --status narrow it; --db, --transcripts and --profile \
        do not apply.

        Exit status: 0 no session needs repair; 1 some session is truncated, missing, continued, diverged \
        or corrupt (a Codex thread anything but ok); 2 the scan could not run (of several stores: some store could not be read).
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var only: SessionsOption
    @OptionGroup var output: OutputOptions

    @OptionGroup var threads: JobsOption

    @Option(name: .long, help: ArgumentHelp("Write Prometheus metrics to this file (atomically), for node_exporter's textfile collector.", valueName: "file"), completion: .file())
    var metrics: String?

    @Option(name: .long, help: ArgumentHelp("Incremental audit: read only what changed since the run that wrote this state file, then update it.", valueName: "state-file"), completion: .file())
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only sessions from this source (cli, telegram, ...); repeatable.", valueName: "source"))
    var source: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only sessions started at or after this time (2026-03-01, 2026-03-01T12:00:00, or epoch seconds).", valueName: "date"))
    var startedAfter: String?

    @Option(name: .long, help: ArgumentHelp("Only sessions (or Codex threads) with this status; repeatable.", valueName: "status"))
    var status: [StatusArgument] = []

    func validate() throws {
        if let startedAfter, SessionFilter.parseDate(startedAfter) == nil {
            throw ValidationError("--started-after: cannot read '\(startedAfter)' as a date; use 2026-03-01 or 2026-03-01T12:00:00")
        }
    }

    func run() async throws {
        let logger = output.logger
        if let home = try store.codexHome() { return try run(on: home, logger: logger) }
        let filter = SessionFilter(sources: source, startedAfter: startedAfter.flatMap(SessionFilter.parseDate),
                                   statuses: try StatusArgument.sessionStatuses(status))
        let stores = try store.stores()
        let sessions = only.sessions.map { SessionID($0) }
        guard let location = stores.onlyStore else { return try await run(stores, sessions: sessions, filter: filter, logger: logger) }
        let scanner = StoreScanner(location: location, sessionIDs: sessions, jobs: threads.jobs, filter: filter)
        let progress = output.quiet ? nil : ScanProgress.forStandardErrorIfTerminal()
        let report: ScanReport
        if let since {
            report = try await IncrementalAudit(scanner: scanner, statePath: since).run(progress: progress)
        } else {
            report = try await scanner.scan(progress: progress)
        }
        logger.debug("scanned \(report.findings.count) sessions, \(report.transcriptBytes) transcript bytes in \(report.duration)")
        try output.emit(report, protecting: location)
        if let metrics {
            try location.writeOutput(PrometheusMetrics.text(for: report, database: location.database,
                                                            finishedAt: Date().timeIntervalSince1970), to: metrics)
            logger.debug("metrics written to \(metrics)")
        }
        if report.hasProblems { throw ExitCode(1) }
    }

    /// A Codex home: every thread audited (`--jobs` has nothing to share out), then narrowed as asked.
    private func run(on home: CodexHome, logger: Logger) throws {
        if !source.isEmpty || startedAfter != nil {
            throw ValidationError("--source and --started-after pick Hermes sessions; a Codex home's threads are picked with --session and --status")
        }
        let statuses = try StatusArgument.threadStatuses(status)
        let report = try since.map { statePath throws(FsckError) in
            try CodexScanReport.scan(home, threadIDs: only.sessions, statuses: statuses, since: statePath)
        } ?? CodexScanReport.scan(home, threadIDs: only.sessions, statuses: statuses)
        logger.debug("scanned the Codex home \(home.path) in \(report.duration)")
        try output.emit(report, protecting: home)
        if let metrics {
            try home.writeOutput(PrometheusMetrics.text(for: report, finishedAt: Date().timeIntervalSince1970), to: metrics)
            logger.debug("metrics written to \(metrics)")
        }
        if report.hasProblems { throw ExitCode(1) }
    }

    /// Several stores (a root's profiles, many homes): each scanned as a store of its own, at most --jobs at once.
    private func run(_ stores: [NamedStore], sessions: [SessionID], filter: SessionFilter, logger: Logger) async throws {
        try SessionsOption.check(sessions, among: stores)
        let progress = output.quiet ? nil : StoreSetProgress.forStandardErrorIfTerminal(verb: "scanning")
        let scanner: @Sendable (NamedStore, Int) -> StoreScanner = { store, jobs in
            StoreScanner(location: store.location, sessionIDs: sessions, jobs: jobs, filter: filter)
        }
        let set: StoreSetReport<ScanReport>
        if let since {
            set = try await IncrementalAudit.run(stores: stores, statePath: since, jobs: threads.jobs, progress: progress, scanner: scanner)
        } else {
            set = await StoreSetReport.run(stores, jobs: threads.jobs, progress: progress) { store, jobs throws(FsckError) in
                try await scanner(store, jobs).scan()
            }
        }
        logger.debug("scanned \(stores.count) stores in \(set.duration)")
        try output.emit(set, logger: logger)
        if let metrics {
            try StoreLocation.writeOutput(PrometheusMetrics.text(for: set, finishedAt: Date().timeIntervalSince1970), to: metrics,
                                          protecting: stores.map(\.location))
            logger.debug("metrics written to \(metrics)")
        }
        if set.exitStatus != 0 { throw ExitCode(set.exitStatus) }
    }
}
