/// Repairs a Codex home: audits it, plans each thread (`CodexRepairPlan`), and, with codex stopped and a backup of each
/// database it writes made first, writes each thread in a transaction of its own.
///
/// ```swift
/// let report = try CodexRepairer(home: home, options: .init(removeStale: true)).repair()
/// ```
public struct CodexRepairer: Sendable {
    public struct Options: Sendable {
        public var dryRun = false
        /// `--backup DIR`: where the backups go; nil: beside each database.
        public var backupDirectory: String?
        public var makeBackup = true
        public var removeStale = false
        public var threadIDs: [String] = []
        public var busyTimeout: Duration = .seconds(30)

        public init(dryRun: Bool = false, backupDirectory: String? = nil, makeBackup: Bool = true, removeStale: Bool = false,
                    threadIDs: [String] = [], busyTimeout: Duration = .seconds(30)) {
            self.dryRun = dryRun
            self.backupDirectory = backupDirectory
            self.makeBackup = makeBackup
            self.removeStale = removeStale
            self.threadIDs = threadIDs
            self.busyTimeout = busyTimeout
        }
    }

    let home: CodexHome
    let options: Options

    public init(homePath: String, options: Options) {
        home = CodexHome(path: homePath)
        self.options = options
    }

    public func repair() throws(FsckError) -> CodexRepairReport {
        let clock = ContinuousClock()
        let started = clock.now
        let audit = try CodexThreadCheck.audit(home)
        // A --session naming no thread of the home is a typo, not a consistent thread: the run says so (exit 2), as
        // the repair of other stores does, rather than "nothing to write".
        if let unknown = options.threadIDs.first(where: { id in !audit.threads.contains { $0.threadID == id } }) {
            throw .sessionNotFound(id: SessionID(unknown), database: home.stateDatabase)
        }
        let plan = CodexRepairPlan(audit: audit, options: .init(removeStale: options.removeStale, threadIDs: options.threadIDs))
        return try carryOut(plan, startedAt: started)
    }

    /// Writes what `plan` says; apart from `repair()` only for a test that changes the home between plan and write.
    func carryOut(_ plan: CodexRepairPlan, startedAt started: ContinuousClock.Instant = .now) throws(FsckError) -> CodexRepairReport {
        let clock = ContinuousClock()
        var report = CodexRepairReport(plan: plan, dryRun: options.dryRun)
        if let backupDirectory = options.backupDirectory, !POSIX.isDirectory(backupDirectory) {
            throw .backupFailed(path: backupDirectory, .notADirectory)
        }
        guard plan.writes else {
            report.duration = clock.now - started
            return report
        }
        let dryRun = options.dryRun
        if !dryRun { try refuseBeside(home.activity()) }
        let actions = plan.threads.flatMap(\.actions)
        let writesIndex = actions.contains(where: \.writesIndex)
        let writesProjection = home.hasHistoryDatabase && actions.contains(where: \.writesProjection)
        let mode: SQLiteConnection.Mode = dryRun ? .readOnly : .readWrite
        let index = writesIndex ? try StoreDatabase.open(path: home.stateDatabase, mode: mode, busyTimeoutMilliseconds: timeoutMilliseconds) : nil
        let history = writesProjection ? try StoreDatabase.open(path: home.historyDatabase, mode: mode, busyTimeoutMilliseconds: timeoutMilliseconds) : nil
        // SQLite opens a file it may not write read-only without a word: found here, before any backup or write, not
        // at the backfill's reset, after the projections were written.
        if !dryRun, let readOnly = [index, history].compactMap({ $0 }).first(where: \.isReadOnly) {
            throw .databaseNotWritable(path: readOnly.path)
        }
        // Handed to codex already (a run before this one, codex not started since): nothing of that is written again.
        // No backfill_state table: codex does not start at all, so nothing is handed to it (the threads are refused).
        var resetNeeded = false
        var handOff: CodexRefusal?
        if plan.handsToCodexStart, let index {
            switch try CodexIndexWriter(connection: index).backfillState() {
            case .pending: break
            case .toReset: resetNeeded = true
            case .noTable: handOff = .noBackfillState
            }
        }
        let writesOtherwise = plan.threads.contains { thread in
            (handOff == nil || !thread.actions.contains(.handToCodexStart)) && thread.actions.contains { $0 != .handToCodexStart }
        }
        if !resetNeeded && !writesOtherwise {
            for (place, thread) in plan.threads.enumerated() where thread.actions.contains(.handToCodexStart) {
                report.outcomes[place] = CodexRepairReport.Outcome(handedToCodexStart: handOff == nil, refusal: handOff)
            }
            report.backfillReset = false
            report.duration = clock.now - started
            return report
        }
        if options.makeBackup, !dryRun {
            for connection in [index, history].compactMap({ $0 }) {
                let backup = StoreBackup(database: connection.path, given: options.backupDirectory, namePrefix: "", busyTimeout: options.busyTimeout)
                report.backups.append(try backup.make(from: connection))
            }
            // The backup takes a while on a large home: a codex started meanwhile is caught before the first write.
            try refuseBeside(home.activity())
        }
        // A write that fails (a full disk, a file turned read-only) stops the run there: every thread before it is
        // written whole, each in its own transaction, and the report says so before the error is said (exit 2).
        do throws(FsckError) {
            for (place, thread) in plan.threads.enumerated() {
                if let handOff, thread.actions.contains(.handToCodexStart) {
                    report.outcomes[place] = CodexRepairReport.Outcome(refusal: handOff)
                    continue
                }
                report.outcomes[place] = try write(thread, index: index, history: history)
            }
            if resetNeeded, let index, !dryRun {
                report.backfillReset = try CodexIndexWriter(connection: index).resetBackfill()
            }
        } catch {
            report.stoppedBy = error
            // Stopped before the backfill's reset, nothing was handed to codex after all.
            if report.backfillReset == nil {
                for place in report.outcomes.keys { report.outcomes[place]?.handedToCodexStart = false }
            }
        }
        report.duration = clock.now - started
        return report
    }

    private var timeoutMilliseconds: Int32 { Int32(min(options.busyTimeout.seconds * 1000, Double(Int32.max))) }

    private func refuseBeside(_ activity: CodexActivity?) throws(FsckError) {
        switch activity {
        case nil: return
        case .databaseOpen(let path): throw .codexRunning(path: path, writingThread: false)
        case .threadBeingWritten(let path): throw .codexRunning(path: path, writingThread: true)
        }
    }

    private func write(_ thread: CodexThreadRepair, index: SQLiteConnection?, history: SQLiteConnection?) throws(FsckError) -> CodexRepairReport.Outcome {
        var outcome = CodexRepairReport.Outcome()
        for action in thread.actions {
            switch action {
            case .handToCodexStart:
                outcome.handedToCodexStart = true
            case .project(let rows):
                guard let history else { continue }
                // The rows were derived at the plan, and the backup since may have taken minutes: a rollout cut,
                // replaced or appended to meanwhile is not projected from what it was (turns past its end).
                guard let path = thread.rolloutPath, CodexProjector.project(rolloutAt: path) == .success(rows) else {
                    outcome.refusal = .rolloutChangedSinceAudit
                    continue
                }
                switch try CodexProjectionWriter(connection: history).write(threadID: thread.threadID, rows: rows, dryRun: options.dryRun) {
                case .written(let turns, let items): outcome.projected = (turns, items)
                case .alreadyWhole: outcome.projected = (0, 0)
                case .refused(let reason): outcome.refusal = reason
                }
            case .removeStaleRow(let path):
                guard let index, !options.dryRun else {
                    outcome.removed = true
                    continue
                }
                let removal = try CodexIndexWriter(connection: index).removeStaleRow(threadID: thread.threadID, rolloutPath: path) { () throws(FsckError) in
                    if let history { try CodexIndexWriter.removeProjection(threadID: thread.threadID, in: history) }
                }
                switch removal {
                case .removed: outcome.removed = true
                case .rowGone: outcome.removed = false
                case .pathTaken: outcome.refusal = .rowPathTaken(rolloutPath: POSIX.exists(path) ? path : path + ".zst")
                }
            }
        }
        return outcome
    }
}
