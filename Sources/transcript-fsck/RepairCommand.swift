import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif
import Logging
import TranscriptFsck

struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Backfill the history the database lost from the transcripts, one transaction per session.",
        discussion: """
        Truncated and continued sessions get exactly the transcript messages they lack. The agent reads a \
        session (and a compression lineage) by row id, and acts on ids it has read (/undo), so backfilled \
        rows take free ids between their neighbours and existing rows keep theirs; only where there is no \
        room do the rows after a gap get new ids, every column value kept, and only while no other process \
        has the database open. Session counters grow by the live rows inserted. Diverged and corrupt \
        sessions are refused with the reason. A backup (SQLite's online backup) is made before the first \
        write.

        A session of which the database has no trace at all is never created unless asked: those never \
        recorded (missing) with --create-missing, those the user deleted (deleted) only when named with \
        --session.

        Safe beside a running agent: each session is re-checked inside its own BEGIN IMMEDIATE \
        transaction and planned again if the agent wrote to it meanwhile. While another process has the \
        database open, the write lock is left free between sessions so the agent's writes get through, \
        and a session that would hold it longer than --lock-budget, or would have to give existing rows new \
        ids, is deferred: stop the agent and run the repair again.

        A home that is a root is repaired with every profile the agent lists, each with its own lock, backup \
        and transactions (in one --backup DIR, each backup's name starts with its profile); one store's failure \
        is that store's outcome, and the others are still repaired.

        A repair queued behind another waits for it (--busy-timeout), then reads and plans the store as that \
        one left it; no backup is made when there is nothing to write. On a terminal the write shows its \
        progress on standard error (not with --quiet, NO_COLOR or TERM=dumb).

        Interrupted (SIGINT, SIGTERM, SIGHUP) while writing, the repair finishes the session in flight, leaves \
        the rest as they were (deferred), prints its report with what was written and the backup, and then \
        dies of the signal (exit status 130 for SIGINT, 143 for SIGTERM in a shell); a second signal stops it \
        at once, and SQLite rolls back the session in flight. Interrupted before the write, it says that \
        nothing was written. Either way every session is whole or as it was: run the repair again.

        A Codex CLI home (recognised by its layout, or --agent codex) is repaired with codex \
        stopped (refused, exit 2, while it has the home's databases or a thread's writer lock): a thread missing from \
        the index, or listed under another path or archive flag, is rebuilt by codex's own next start (the repair \
        resets its backfill, which re-reads every rollout; start codex once afterwards); a paginated thread's \
        projection gets the rows it lacks, as codex's writer would write them, and rows codex wrote are never \
        changed; a row whose rollout is gone is removed only with --remove-stale. --backup names a directory there \
        (one backup per database written); --session names threads.

        Exit status: 0 every session is consistent (a dry run: nothing to write); 1 some session was refused \
        or deferred (a dry run: also when there is something to write, as git diff --exit-code); 2 the repair \
        could not run (of several stores: some store could not be repaired); 129 interrupted by SIGHUP, \
        after the report; 130 the same by SIGINT (Ctrl-C); 143 the same by SIGTERM.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var only: SessionsOption
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Print the plan and write nothing; exit 1 when there is something to write.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Write the backup to this new file, or into this directory (default: DB.bak-YYYYmmdd-HHMMSS beside the database).", valueName: "file|dir"), completion: .file())
    var backup: String?

    @Flag(name: .long, help: "Write without making a backup first.")
    var noBackup = false

    @Flag(name: .long, help: "Also create the missing sessions the database never recorded (a deleted one only when named with --session).")
    var createMissing = false

    @Flag(name: .long, help: "Every agent that uses the store is stopped: rows may get new ids where this machine's /proc cannot show it (a container).")
    var agentStopped = false

    @Flag(name: .long, help: "Codex: also remove the index rows of threads whose rollout is gone from the home (a backup is made first).")
    var removeStale = false

    @Option(name: .long, help: ArgumentHelp("How long to wait for a locked database before giving up a session, 0 to 86400.", valueName: "seconds"))
    var busyTimeout: Double = 30

    @OptionGroup var threads: JobsOption

    @Option(name: .long, help: ArgumentHelp("While another process has the database open, hold the write lock at most this long for one session; 0 for no limit.", valueName: "ms"))
    var lockBudget: Int = 150

    func validate() throws {
        if backup != nil, noBackup { throw ValidationError("--backup and --no-backup exclude each other") }
        guard (0...86_400).contains(busyTimeout) else { throw ValidationError("--busy-timeout must be 0 to 86400 seconds, not \(busyTimeout)") }
        guard (0...600_000).contains(lockBudget) else { throw ValidationError("--lock-budget must be 0 to 600000 milliseconds") }
    }

    func run() async throws {
        if let codexHome = try store.codexHome() { return try runCodex(codexHome) }
        let options = StoreRepairer.Options(dryRun: dryRun, backupPath: backup, makeBackup: !noBackup,
                                            busyTimeout: .milliseconds(Int64(busyTimeout * 1000)),
                                            sessionIDs: only.sessions.map { SessionID($0) }, jobs: threads.jobs,
                                            lockBudget: lockBudget == 0 ? nil : .milliseconds(lockBudget), createMissing: createMissing,
                                            agentStopped: agentStopped)
        let logger = output.logger
        Interruption.tellingOutsideWrites(nothingWritten: InterruptionWords.nothingWritten, someWritten: InterruptionWords.someWritten,
                                         stopping: InterruptionWords.stopping)
        let stores = try store.stores()
        guard let location = stores.onlyStore else { return try await run(stores, options: options, logger: logger) }
        let repairer = StoreRepairer(location: location, options: options) { logger.notice("\($0)") }
        let report = try await repairer.repair(progress: output.quiet ? nil : ScanProgress.forStandardErrorIfTerminal(),
                                               writing: output.quiet ? nil : RepairProgress.forStandardErrorIfTerminal())
        logger.debug("repair took \(report.duration): scan \(report.phases.scan), plan \(report.phases.plan), write \(report.phases.write)")
        try output.emit(report, protecting: location)
        Interruption.dieOfNotedSignal()
        if report.needsAttention { throw ExitCode(1) }
    }

    /// A Codex home: its own planner and writers (Agents/Codex), the same flags, formats and exit statuses.
    private func runCodex(_ home: CodexHome) throws {
        let options = CodexRepairer.Options(dryRun: dryRun, backupDirectory: backup, makeBackup: !noBackup, removeStale: removeStale,
                                            threadIDs: only.sessions, busyTimeout: .milliseconds(Int64(busyTimeout * 1000)))
        let repairer = CodexRepairer(homePath: home.path, options: options)
        let report = try repairer.repair()
        try output.emit(report, protecting: home)
        if let stopped = report.stoppedBy { throw stopped }
        if report.needsAttention { throw ExitCode(1) }
    }

    /// Several stores: each repaired as a store of its own (its lock, its backup, its transactions), at most --jobs at
    /// once; what each says on standard error is prefixed with its name.
    private func run(_ stores: [NamedStore], options: StoreRepairer.Options, logger: Logger) async throws {
        try SessionsOption.check(options.sessionIDs, among: stores)
        if let backup, !StoreRepairer.backupGoesIntoDirectory(backup) {
            throw ValidationError("--backup names one file, and this run repairs \(stores.count) stores: name a directory for their backups")
        }
        let progress = output.quiet ? nil : StoreSetProgress.forStandardErrorIfTerminal(verb: "repairing")
        let set = await Interruption.deferring { await StoreSetReport.run(stores, jobs: options.jobs, progress: progress) { store, jobs throws(FsckError) in
            var options = options
            options.jobs = jobs
            if options.backupPath != nil { options.backupNamePrefix = store.fileNamePrefix }
            let label = store.label
            return try await StoreRepairer(location: store.location, options: options) { logger.notice("\(label): \($0)") }.repair()
        } }
        try output.emit(set, logger: logger)
        Interruption.dieOfNotedSignal()
        if set.exitStatus != 0 { throw ExitCode(set.exitStatus) }
    }
}
