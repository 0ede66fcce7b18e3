/// Brings the database back to the full history the transcripts hold.
///
/// Plan first, write second: every session is read and planned before its transaction begins, the
/// transcripts are never read while the write lock is held, and each session is written in a
/// transaction of its own that re-checks the plan. The rows that follow a gap are rewritten under new
/// ids behind the backfilled ones (SessionRepairPlan); no message is lost, no value changed.
///
/// ```swift
/// let report = try await StoreRepairer(location: location, options: .init(dryRun: true)).repair()
/// ```
public struct StoreRepairer: Sendable {
    public struct Options: Sendable {
        var dryRun = false
        /// Where to write the backup; nil picks `state.db.bak-YYYYmmdd-HHMMSS` beside the database.
        public var backupPath: String?
        var makeBackup = true
        var busyTimeout: Duration = .seconds(30)
        public var sessionIDs: [SessionID] = []
        public var jobs = 1
        /// The longest one session may hold the write lock while another process has the database open; nil: no limit.
        var lockBudget: Duration? = .milliseconds(150)
        /// The operator says every agent that uses the store is stopped: rows may get new ids where it cannot be told
        /// whether another process has the database open (a container). One that is seen still defers them.
        var agentStopped = false
        /// Create the sessions of which the database has no trace and that the evidence says were never recorded.
        /// Sessions the user deleted come back only when named in `sessionIDs`.
        var createMissing = false
        /// Put before the backup's default name (`coder.state.db.bak-...`), so that the backups of several stores in one
        /// `--backup DIR` are told apart by name, not by the order they were made in.
        public var backupNamePrefix = ""

        public init(dryRun: Bool = false, backupPath: String? = nil, makeBackup: Bool = true, busyTimeout: Duration = .seconds(30),
                    sessionIDs: [SessionID] = [], jobs: Int = 1, lockBudget: Duration? = .milliseconds(150), createMissing: Bool = false,
                    agentStopped: Bool = false) {
            self.dryRun = dryRun
            self.backupPath = backupPath
            self.makeBackup = makeBackup
            self.busyTimeout = busyTimeout
            self.sessionIDs = sessionIDs
            self.jobs = jobs
            self.lockBudget = lockBudget
            self.createMissing = createMissing
            self.agentStopped = agentStopped
        }
    }

    let location: StoreLocation
    let options: Options
    /// Hears the lines to print on standard error (waiting on a lock, and such).
    let say: @Sendable (RepairNotice) -> Void

    /// How many times a session is planned again when a live writer changed it meanwhile.
    static let replanAttempts = 3

    public init(location: StoreLocation, options: Options, say: @escaping @Sendable (RepairNotice) -> Void = { _ in }) {
        self.location = location
        self.options = options
        self.say = say
    }

    /// Scans the store, plans every session, and (unless a dry run) writes each plan in a transaction of its own.
    ///
    /// The entry point of `transcript-fsck repair`, for one store. In order:
    ///
    /// - The database's own integrity check runs first (dry run included): a damaged file stops the run before anything
    ///   else is read, since its indexes could hide rows that the repair would then insert again.
    /// - Unless a dry run, the repair lock (`state.db.repair.lock`, an exclusive `flock`) is taken before the scan and
    ///   held to the end, waiting up to `Options.busyTimeout` for another run of the tool. The agent takes no such lock:
    ///   against it, SQLite's locking and the re-check inside each session's transaction are what protect the store.
    /// - The scan and the plans are made with no write lock held; transcripts are never read while one is.
    /// - Each session is all or nothing: written in one transaction that re-checks the plan against the rows as they are
    ///   then (a session the agent changed meanwhile is scanned and planned again, a few times at most), committed
    ///   whole or rolled back, never half written. A session that would hold the write lock longer than
    ///   `Options.lockBudget` (a longer budget when no agent is seen), or whose rows would need new ids while another
    ///   process has the database open, is deferred: left as it was, for a run with the agent stopped.
    /// - The backup (unless `Options.makeBackup` is false) is made just before the first session is written, so a run
    ///   with nothing to write makes none: a checked online copy, linked to its name only when whole (`StoreBackup`).
    ///   A dry run only checks that its name can be taken.
    ///
    /// `progress` hears the scan, `writing` the write. A SIGINT, SIGTERM or SIGHUP during the write stops it after the
    /// session in flight: the sessions not come to are deferred, and the report says by which signal (`interruptedBy`).
    /// One noted before the store is begun throws ``FsckError/interruptedBeforeStore(signal:)``.
    ///
    /// Sessions the plan refuses (a diverged one, say) are left as they were and named in the report with the reason;
    /// they do not make it throw.
    ///
    /// - Returns: Every session's status, action and reason, the backup's path, the full-text index checks and timings.
    /// - Throws: ``FsckError`` when the run cannot go on: ``FsckError/damagedDatabase(path:verdict:)``, the lock
    ///   (``FsckError/repairLockBusy(path:seconds:)``, ``FsckError/repairLockUnusable(path:_:)``), the backup
    ///   (``FsckError/backupFailed(path:_:)``: nothing has been written), the scan's errors (no database, unreadable
    ///   transcripts, an unknown `--session`), and ``FsckError/repairStopped(path:reason:sessionsRepaired:)`` when a
    ///   write fails as no later session could fare better (a full disk, a read-only file): the sessions before it
    ///   stay written, the one in flight is rolled back, the rest are untouched.
    public func repair(progress: (any ScanObserver)? = nil, writing: (any RepairObserver)? = nil) async throws(FsckError) -> RepairReport {
        let clock = ContinuousClock()
        let started = clock.now
        if let signal = Interruption.noted { throw .interruptedBeforeStore(signal: signal) }
        try DatabaseReader.refuseDamage(path: location.database)
        // Taken before the scan: a repair queued behind another plans from what that one left, instead of finding every
        // session it completed "changed while being repaired" (and making a backup with nothing to write).
        let lock = options.dryRun ? nil
            : try RepairLock(path: location.repairLock, database: location.database, timeout: options.busyTimeout, onWait: say)
        let scanning = clock.now
        let scanner = StoreScanner(location: location, sessionIDs: options.sessionIDs, jobs: options.jobs)
        let collected = try await scanner.collect(progress: progress)
        let scanned = clock.now
        let planner = RepairPlanner(format: collected.snapshot.format, lineage: Lineage(sessions: collected.snapshot.sessions),
                                    createMissing: options.createMissing, named: Set(options.sessionIDs), now: POSIX.secondsSinceEpoch())

        var results: [SessionID: RepairReport.Session] = [:]
        var plans: [SessionRepairPlan] = []
        for finding in collected.report.findings {
            switch planner.plan(finding, database: collected.snapshot.sessions[finding.sessionID]) {
            case .success(nil):
                results[finding.sessionID] = .init(sessionID: finding.sessionID, status: finding.status, action: .unchanged,
                                                   inserted: 0, reason: nil, placement: [])
            case .success(let plan?):
                plans.append(plan)
                results[finding.sessionID] = Self.result(for: plan, status: finding.status)
            case .failure(let refusal):
                results[finding.sessionID] = Self.leftAsItWas(finding.sessionID, finding.status, refusal.reason)
            }
        }

        try predictPlacement(&plans)
        plans.removeAll { plan in
            let status = results[plan.sessionID]!.status
            guard let hazard = plan.predicted?.hazard(in: collected.snapshot.schema) else {
                results[plan.sessionID] = Self.result(for: plan, status: status)
                return false
            }
            results[plan.sessionID] = Self.leftAsItWas(plan.sessionID, status, hazard)
            return true
        }
        let planned = clock.now
        var outcome = WriteOutcome()
        if options.dryRun {
            // What the write would defer now, by the same tests, before it learns how fast this disk is (so with a budget
            // of a few ms the write may defer more or fewer than predicted).
            let live = OtherConnections.present(databasePath: location.database)
            if options.makeBackup, !plans.isEmpty { try StoreBackup(database: location.database, options: options).checkName() }
            if RepairLock.state(path: location.repairLock) == .held {
                say(.dryRunBesideRepair(lockPath: location.repairLock))
            }
            for plan in plans {
                if let reason = deferral(of: plan, live: live, pacing: WritePacing()) ?? movesDeferred(plan) {
                    results[plan.sessionID] = Self.leftAsItWas(plan.sessionID, results[plan.sessionID]!.status, reason, placement: plan.placement)
                }
            }
        } else if !plans.isEmpty {
            outcome = try Interruption.deferring { () throws(FsckError) -> WriteOutcome in
                try write(plans, collected: collected, planner: planner, results: &results, observer: writing)
            }
        }
        withExtendedLifetime(lock) {}
        let sessions = collected.report.findings.map { results[$0.sessionID]! }
        return RepairReport(location: location, dryRun: options.dryRun, backupPath: outcome.backupPath, sessions: sessions,
                            fullTextChecks: outcome.checks,
                            warnings: collected.report.warnings + BackupLeftovers.find(beside: location.database).map(StoreWarning.interruptedBackupLeft),
                            duration: clock.now - started,
                            phases: .init(scan: scanned - scanning, plan: planned - scanned, write: (outcome.written ?? planned) - planned - outcome.backupTime),
                            interruptedBy: outcome.interruptedBy)
    }

    private struct WriteOutcome {
        var backupPath: String?
        var checks: [RepairReport.FullTextCheck] = []
        var written: ContinuousClock.Instant?
        var backupTime = Duration.zero
        var interruptedBy: Int32?
    }

    /// Writes each plan in its own transaction, the backup made just before the first (none when every session is
    /// deferred), and stops before the next session once a signal is noted.
    private func write(_ plans: [SessionRepairPlan], collected: StoreScanner.Collected, planner: RepairPlanner,
                       results: inout [SessionID: RepairReport.Session], observer: (any RepairObserver)?) throws(FsckError) -> WriteOutcome {
        let clock = ContinuousClock()
        let connection = try StoreDatabase.open(path: location.database, mode: .readWrite)
        let writer = RepairWriter(connection: connection, format: collected.snapshot.format, busyTimeout: options.busyTimeout,
                                  agentPresence: { [self] in agentPresence(holdingLock: true) }, say: say)
        var outcome = WriteOutcome()
        var backedUp = !options.makeBackup
        var pacing = WritePacing()
        var repaired = 0
        var toldLive = false
        var lastLook: (at: ContinuousClock.Instant, live: Bool)?
        observer?.start(sessions: plans.count, rows: plans.reduce(0) { $0 + $1.rows.count })
        defer { observer?.finish() }
        /// Once a signal is noted, `plan` (and so every one after it) is left as it was.
        func stoppedBySignal(_ plan: SessionRepairPlan, _ status: SessionStatus) -> Bool {
            guard let signal = Interruption.noted else { return false }
            outcome.interruptedBy = signal
            results[plan.sessionID] = Self.leftAsItWas(plan.sessionID, status, .interrupted(signal: signal), placement: plan.placement)
            return true
        }
        for plan in plans {
            let status = results[plan.sessionID]!.status
            if stoppedBySignal(plan, status) { continue }
            // Asked again as the repair goes on: the agent may start or stop meanwhile. Not before every session:
            // a look stats every descriptor of every process (a third of the write phase over 300 sessions), so an
            // answer serves for 100 ms. Moving rows asks again itself, inside the transaction (`agentPresence`).
            let live: Bool
            if let lastLook, clock.now - lastLook.at < .milliseconds(100) {
                live = lastLook.live
            } else {
                live = OtherConnections.present(databasePath: location.database)
                lastLook = (clock.now, live)
            }
            if live, !toldLive {
                say(.agentHasDatabaseOpen(database: location.database))
                toldLive = true
            }
            // Rows that must move are asked about again inside the transaction; asked here too, a session the agent's
            // presence defers costs no backup and no transaction.
            if let reason = deferral(of: plan, live: live, pacing: pacing) ?? (live ? movesDeferred(plan) : nil) {
                results[plan.sessionID] = Self.leftAsItWas(plan.sessionID, status, reason, placement: plan.placement)
                observer?.sessionDone(planned: plan.rows.count, inserted: 0, deferred: true)
                continue
            }
            if !backedUp {
                let backingUp = clock.now
                outcome.backupPath = try StoreBackup(database: location.database, options: options).make(from: connection)
                outcome.backupTime = clock.now - backingUp
                observer?.backupMade()
                backedUp = true
                // A signal during the backup (which cannot stop half way) stops the run before the first session.
                if stoppedBySignal(plan, status) { continue }
            }
            do {
                let (result, held) = try apply(plan, status: status, writer: writer, planner: planner,
                                               transcripts: collected.transcripts[plan.sessionID] ?? [])
                results[plan.sessionID] = result
                if result.action == .backfilled || result.action == .created {
                    repaired += 1
                    Interruption.sessionWritten()
                }
                observer?.sessionDone(planned: plan.rows.count, inserted: result.inserted, deferred: result.action == .deferred)
                if let held {
                    pacing.record(plan, held: held)
                    if live { POSIX.sleep(WritePacing.pause) }
                }
            } catch {
                throw .repairStopped(path: location.database, reason: error.reason, sessionsRepaired: repaired)
            }
        }
        outcome.written = clock.now
        // Asked to stop, the run stops: the next run checks the index.
        guard repaired > 0, outcome.interruptedBy == nil else { return outcome }
        if options.lockBudget != nil, OtherConnections.present(databasePath: location.database) {
            outcome.checks = collected.snapshot.schema.fullTextTables.map {
                .init(table: $0, failure: nil, skipped: .otherProcessHasTheDatabaseOpen)
            }
        } else {
            outcome.checks = RepairReport.FullTextCheck.run(on: connection, schema: collected.snapshot.schema)
        }
        outcome.interruptedBy = Interruption.noted  // during the checks: every session was come to, and the report says so
        return outcome
    }

    /// Why `plan` waits for the agent to stop because of the time it would hold the write lock, if it does: the same test
    /// for the dry run and the write. With nobody seen, an agent that starts meanwhile still waits for the whole
    /// transaction: a longer budget.
    private func deferral(of plan: SessionRepairPlan, live: Bool, pacing: WritePacing) -> RepairReason? {
        let budget = live ? options.lockBudget : options.lockBudget.map { max($0, WritePacing.unwatchedBudget) }
        guard let budget, pacing.estimate(plan) > budget else { return nil }
        return .overLockBudget(rows: plan.rows.count, movedRows: plan.movedRows, estimate: pacing.estimate(plan), budget: budget)
    }

    /// For the dry run: the deferral the write finds inside its transaction when the plan gives existing rows new ids.
    private func movesDeferred(_ plan: SessionRepairPlan) -> RepairReason? {
        guard plan.movedRows > 0, let seen = agentPresence(holdingLock: false) else { return nil }
        return .rowsMustMoveBesideAgent(rows: plan.movedRows, seen: seen)
    }

    /// Nil when rows may get new ids; else whether another process was seen (true) or that cannot be told (false).
    private func agentPresence(holdingLock: Bool) -> Bool? {
        switch OtherConnections.look(databasePath: location.database, holdingLock: holdingLock) {
        case .notSeen: nil
        case .seen: true
        case .cannotTell: options.agentStopped ? nil : false
        }
    }

    /// Where each plan's rows would go today, for the dry run, the report and the pacing (the write decides again,
    /// inside its transaction), read on a connection of its own that is closed before anything is written.
    private func predictPlacement(_ plans: inout [SessionRepairPlan]) throws(FsckError) {
        guard !plans.isEmpty else { return }
        let connection = try StoreDatabase.open(path: location.database)
        do {
            var lowestTaken: Int64?
            for index in plans.indices {
                let placement = try IDPlacement.compute(for: plans[index], in: connection, lowestTaken: lowestTaken)
                plans[index].predicted = placement
                if let lowest = placement.lowestID { lowestTaken = min(lowestTaken ?? lowest, lowest) }
            }
        } catch {
            throw FsckError(reading: error, path: location.database)
        }
    }

    /// Writes one plan; when a live writer changed the session meanwhile, reads it again and re-plans.
    /// Returns what happened and, when written, how long the write lock was held. Throws only a refusal that
    /// stops the run.
    private func apply(_ first: SessionRepairPlan, status: SessionStatus, writer: RepairWriter, planner: RepairPlanner,
                       transcripts: [String]) throws(RepairRefusal) -> (RepairReport.Session, held: Duration?) {
        var plan = first
        var status = status
        for _ in 0..<Self.replanAttempts {
            do {
                switch try writer.apply(plan) {
                case .applied(let held, let placement, let looking):
                    plan.predicted = placement
                    return (Self.result(for: plan, status: status), held - looking)
                case .stale(let changed):
                    say(.sessionChangedWhileRepaired(plan.sessionID))
                    let (finding, current) = try SessionComparison.readAgain(plan.sessionID, transcripts: transcripts,
                                                                             watermark: changed.rowIDs.max() ?? 0) {
                        () throws(RepairRefusal) in try writer.currentRows(of: plan.sessionID)
                    }
                    status = finding.status
                    switch planner.plan(finding, database: current) {
                    case .success(nil):
                        return (Self.leftAsItWas(plan.sessionID, status, .completedMeanwhile), nil)
                    case .success(var fresh?):
                        fresh.predicted = plan.predicted
                        plan = fresh
                    case .failure(let refusal):
                        return (Self.leftAsItWas(plan.sessionID, status, refusal.reason), nil)
                    }
                }
            } catch {
                if error.stopsTheRun { throw error }
                return (Self.leftAsItWas(plan.sessionID, status, error.reason, placement: plan.placement), nil)
            }
        }
        return (Self.leftAsItWas(plan.sessionID, status, .keptChanging), nil)
    }

    private static func result(for plan: SessionRepairPlan, status: SessionStatus) -> RepairReport.Session {
        .init(sessionID: plan.sessionID, status: status, action: plan.createsSession ? .created : .backfilled,
              inserted: plan.rows.count, reason: nil, placement: plan.placement)
    }

    /// A session left as it was, with the action its reason calls for: deferred until the agent stops (showing where its
    /// rows would go), unchanged (left deleted, or completed meanwhile), else refused.
    private static func leftAsItWas(_ sessionID: SessionID, _ status: SessionStatus, _ reason: RepairReason,
                                    placement: [PlacementStep] = []) -> RepairReport.Session {
        let action: RepairReport.Action = switch reason {
        case .overLockBudget, .rowsMustMoveBesideAgent, .interrupted: .deferred
        case .leftDeleted, .completedMeanwhile: .unchanged
        default: .refused
        }
        return .init(sessionID: sessionID, status: status, action: action, inserted: 0, reason: reason,
                     placement: action == .deferred ? placement : [])
    }

    /// True when `--backup` names a directory, which a run over several stores needs: one file cannot hold their backups.
    public static func backupGoesIntoDirectory(_ path: String) -> Bool { StoreBackup.goesIntoDirectory(path) }

}
