/// What a repair does for each thread of a Codex home, decided from the audit alone: nothing is read or written here
/// but the rollouts of the threads whose projection is to be written (`CodexProjector`), and whether anything is at a
/// stale row's path.
///
/// - An index row missing, or naming another path or archive flag than where the rollout is: codex rebuilds every row
///   from the rollouts when its start-up backfill runs (CODEX-FORMAT.md, section 9). The backfill runs once per
///   database, so the repair makes codex run it again (`CodexRepairAction.handToCodexStart`) rather than write rows of
///   its own: the rows are then exactly codex's.
/// - A paginated thread whose projection is missing or behind its rollout: codex's readers never project (only its
///   writer does, with the thread's next turn), so the repair writes the projection rows codex would have written.
/// - A row whose rollout is nowhere in the home: removed only when asked (`--remove-stale`), as codex 0.133.0 drops such
///   a row itself and 0.163.0's doctor counts it stale.
/// - Anything else (a rollout that cannot be read whole, two rollouts of one thread, a projection that holds more than
///   its rollout) is refused with the reason: a person must choose.
struct CodexRepairPlan: Sendable, Equatable {
    struct Options: Sendable, Equatable {
        var removeStale = false
        var threadIDs: [String] = []
    }

    let audit: CodexHomeAudit
    var threads: [CodexThreadRepair] = []

    /// Whether the plan writes anything.
    var writes: Bool { threads.contains { !$0.actions.isEmpty } }
    /// Whether codex's next start has work the plan hands it.
    var handsToCodexStart: Bool { threads.contains { $0.actions.contains(.handToCodexStart) } }

    init(audit: CodexHomeAudit, options: Options) {
        self.audit = audit
        let wanted = Set(options.threadIDs)
        for finding in audit.findings where wanted.isEmpty || wanted.contains(finding.threadID) {
            threads.append(Self.plan(finding, home: audit.home, indexPredatesPagination: audit.indexPredatesPagination, options: options))
        }
    }

    private static func plan(_ finding: CodexThreadFinding, home: CodexHome, indexPredatesPagination: Bool, options: Options) -> CodexThreadRepair {
        var repair = CodexThreadRepair(threadID: finding.threadID, rolloutPath: finding.rolloutPath, status: finding.status)
        var projection = false
        for problem in finding.problems {
            switch problem {
            case .corruptRollout(let defects):
                return repair.refused(.rolloutNotWhole(defects))
            case .duplicateRollouts(let paths):
                return repair.refused(.twoRollouts(paths))
            case .duplicateRows:
                return repair.refused(.twoRows)
            case .fileNameDisagrees(let idInName):
                return repair.refused(.fileNameDisagrees(idInName: idInName))
            case .projectionAhead, .projectedTurnDisagrees, .projectedItemDisagrees:
                return repair.refused(.projectionHoldsMore)
            case .staleRow(let path):
                // Something is at the row's path that is not a rollout of this home (a FIFO, a directory, a file
                // outside sessions/ and archived_sessions/), or a `.jsonl.zst` beside it that the audit did not take
                // for this thread's rollout: codex may still read it, so the row is no stale one.
                if let taken = [path, path + ".zst"].first(where: POSIX.exists) { return repair.refused(.rowPathTaken(rolloutPath: taken)) }
                guard options.removeStale else { return repair.refused(.staleKept(rolloutPath: path)) }
                repair.actions.append(.removeStaleRow(rolloutPath: path))
            case .noIndexRow, .pathDisagrees, .archiveFlagDisagrees:
                if !repair.actions.contains(.handToCodexStart) { repair.actions.append(.handToCodexStart) }
            case .noProjection, .projectionBehind, .cursorOffLineBoundary:
                projection = true
            }
        }
        guard projection, let path = finding.rolloutPath else { return repair }
        if indexPredatesPagination { return repair.refused(.codexPredatesPagination) }
        guard home.hasHistoryDatabase else { return repair.deferred(.noHistoryDatabase) }
        switch CodexProjector.project(rolloutAt: path) {
        case .success(let rows): repair.actions.append(.project(rows))
        case .failure(let reason): return repair.refused(.cannotProject(reason))
        }
        return repair
    }
}

/// One thread's part of the plan.
struct CodexThreadRepair: Sendable, Equatable {
    let threadID: String
    let rolloutPath: String?
    /// What the audit found.
    let status: CodexThreadStatus
    var actions: [CodexRepairAction] = []
    /// Why nothing is done, when nothing is.
    var refusal: CodexRefusal?
    /// True when the refusal waits on codex (its next start), not on a person.
    var isDeferred = false

    fileprivate func refused(_ reason: CodexRefusal) -> CodexThreadRepair {
        var repair = self
        repair.actions = []
        repair.refusal = reason
        return repair
    }

    fileprivate func deferred(_ reason: CodexRefusal) -> CodexThreadRepair {
        var repair = self
        repair.refusal = reason
        repair.isDeferred = true
        return repair
    }
}

/// One write of the plan.
enum CodexRepairAction: Sendable, Equatable {
    /// Whether it writes `state_5.sqlite` (the backfill's reset, a row's removal).
    var writesIndex: Bool { if case .project = self { false } else { true } }
    /// Whether it writes `thread_history_1.sqlite` (a projection, or a removed thread's).
    var writesProjection: Bool { self != .handToCodexStart }

    /// Reset codex's backfill, so that its next start rebuilds this thread's row from the rollout.
    case handToCodexStart
    /// Write the projection rows it lacks, and its cursor at the rollout's end.
    case project(CodexProjectionRows)
    /// Delete the row (and any projection) of a thread whose rollout is gone.
    case removeStaleRow(rolloutPath: String)
}

/// Why a thread is not repaired, as a fact; worded in Reporting (`CodexRepairWords`).
enum CodexRefusal: Sendable, Equatable {
    case rolloutNotWhole([RolloutDefect])
    case twoRollouts([String])
    case twoRows
    case fileNameDisagrees(idInName: String?)
    /// The projection holds a turn or item, or a cursor, the rollout does not: the rollout may have lost lines.
    case projectionHoldsMore
    case staleKept(rolloutPath: String)
    /// The row of a thread with no rollout in the home names a path where something is (a FIFO, a directory, a file
    /// outside the home's rollout folders), or the rollout lies compressed beside it (`rolloutPath` is then the
    /// `.jsonl.zst`): the row is kept, even with `--remove-stale`.
    case rowPathTaken(rolloutPath: String)
    case cannotProject(CodexProjector.CannotProject)
    /// The projection database is not there yet: codex makes it when it first reads a thread's turns.
    case noHistoryDatabase
    /// A paginated rollout in a home whose codex predates paginated history, which does not show it.
    case codexPredatesPagination
    /// Found at the write: codex's own projection rows differ from what the rollout gives, in `table`.
    case projectionRowDiffers(table: String, rowID: String)
    /// Found at the write: the projection moved since the audit (codex wrote a turn meanwhile).
    case changedSinceAudit
    /// Found at the write: the rollout no longer gives the rows derived at the plan (written to, cut or replaced).
    case rolloutChangedSinceAudit
    /// Found at the write: the projection tables are not the ones this version knows.
    case unknownProjectionSchema(detail: String)
    /// Found at the write: the index has no `backfill_state` table, which codex needs to start (and to backfill).
    case noBackfillState
}
