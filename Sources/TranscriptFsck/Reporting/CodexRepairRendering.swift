/// A Codex repair in every report format, and the words for what it did and refused: the one place they are worded.
extension CodexRepairReport: ItemizedReport {
    public var command: String { "repair" }
    public var subject: String { "Codex home " + plan.audit.home.path }
    public var itemNoun: String { "thread" }
    public var notes: [String] {
        homeLines + backups.map { "backup: " + $0 } + (stoppedLine.map { [$0] } ?? []) + (nextStep.map { ["next: " + $0] } ?? [])
    }


    private var stoppedLine: String? {
        stoppedBy.map { "stopped: \($0); every thread written before it is whole, the rest are as they were: fix the cause and run the repair again" }
    }

    /// What each thread came to, by kind, for the summary and the exit status.
    private enum Verdict: String, CaseIterable {
        case projected, handedToCodex = "handed_to_codex", removed, refused, deferred, unchanged
    }

    private func verdict(at place: Int) -> Verdict {
        let thread = plan.threads[place]
        if let refusal = refusal(at: place) {
            return thread.isDeferred || refusal == .changedSinceAudit || refusal == .rolloutChangedSinceAudit ? .deferred : .refused
        }
        let outcome = outcomes[place] ?? Outcome()
        if outcome.removed { return .removed }
        if let projected = outcome.projected, projected.turns + projected.items > 0 { return .projected }
        return outcome.handedToCodexStart ? .handedToCodex : .unchanged
    }

    public var summaryMembers: [(String, JSONValue)] {
        var counts = Dictionary(uniqueKeysWithValues: Verdict.allCases.map { ($0, 0) })
        for place in plan.threads.indices { counts[verdict(at: place), default: 0] += 1 }
        return [("agent", .string("codex")), ("home", .string(plan.audit.home.path)), ("dry_run", .bool(dryRun)),
                ("threads", .integer(plan.audit.threads.count))]
            + Verdict.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) }
            + [("backups", .array(backups.map(JSONValue.string)))]
    }

    /// What happened to the thread, or would (a dry run), in a sentence.
    private func sentence(at place: Int) -> String {
        let thread = plan.threads[place]
        if let refusal = refusal(at: place) { return refusal.sentence }
        let outcome = outcomes[place] ?? Outcome()
        var parts: [String] = []
        for action in thread.actions {
            switch action {
            case .handToCodexStart:
                parts.append(dryRun ? "codex would rebuild its index row from the rollout at its next start"
                                    : "handed to codex: its next start rebuilds the index row from the rollout")
            case .project(let rows):
                guard let counts = outcome.projected, counts.turns + counts.items > 0 else {
                    parts.append("projection already whole")
                    continue
                }
                parts.append((dryRun ? "would project " : "projected ") + "\(Counted(counts.turns, "turn").text) and "
                             + "\(Counted(counts.items, "item").text), the cursor at byte \(rows.cursor.byteOffset), line \(rows.cursor.ordinal)")
            case .removeStaleRow(let path):
                parts.append(!outcome.removed ? "row already gone" : (dryRun ? "would remove the row" : "row removed") + ": its rollout \(path) is gone")
            }
        }
        return parts.joined(separator: "; ")
    }

    private var nextStep: String? {
        guard outcomes.values.contains(where: \.handedToCodexStart) else { return nil }
        if dryRun { return "codex's next start would rebuild the index rows from the rollouts" }
        return backfillReset == false
            ? "codex's backfill was already pending: its next start rebuilds the index rows from the rollouts"
            : "start codex once (any codex command, or app-server): it re-reads every rollout and rebuilds the rows above, "
                + "re-deriving every row's updated_at_ms and each archived thread's archived_at from the files"
    }

    private var homeLines: [String] { plan.audit.homeProblems.map(\.sentence) }

    public func renderedTable(colored: Bool) -> String {
        var lines = ["transcript-fsck repair\(dryRun ? " --dry-run" : ""): Codex home \(plan.audit.home.path.escapingControlCharacters)"]
        lines += homeLines.map(\.escapingControlCharacters)
        if plan.threads.isEmpty { lines.append("every thread is consistent; nothing to write") }
        for place in plan.threads.indices {
            let thread = plan.threads[place]
            lines.append("\(thread.threadID.escapingControlCharacters)  \(thread.status.rawValue)  \(verdict(at: place).rawValue): "
                         + sentence(at: place).escapingControlCharacters)
        }
        for backup in backups { lines.append("backup: \(backup.escapingControlCharacters)") }
        if let stoppedLine { lines.append(stoppedLine.escapingControlCharacters) }
        if let nextStep { lines.append("next: \(nextStep)") }
        lines.append(summaryMembers.filter { $0.0 != "home" && $0.0 != "backups" && $0.0 != "agent" }
            .map { "\($0.0) \($0.1.rendered())" }.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object per thread, for the JSON and JSON Lines reports.
    public var sessionObjects: [JSONValue] {
        plan.threads.indices.map { place in
            let thread = plan.threads[place]
            return .object([("thread", .string(thread.threadID)), ("rollout", .optional(thread.rolloutPath)),
                            ("found", .string(thread.status.rawValue)), ("verdict", .string(verdict(at: place).rawValue)),
                            ("detail", .string(sentence(at: place)))])
        }
    }

    public func jsonDocument() -> JSONValue {
        .object([("summary", .object(summaryMembers)), ("home_problems", .array(homeLines.map(JSONValue.string))),
                 ("next", .optional(nextStep)), ("stopped", .optional(stoppedBy.map { "\($0)" })), ("threads", .array(sessionObjects))])
    }

    /// Each thread as a test case, failing where it was refused or waits.
    public var cases: [SessionCase] {
        plan.threads.indices.map { place in
            SessionCase(id: plan.threads[place].threadID,
                        failure: refusal(at: place) == nil ? nil : (kind: verdict(at: place).rawValue, message: sentence(at: place)))
        }
    }
}

extension CodexRefusal {
    var sentence: String {
        switch self {
        case .rolloutNotWhole(let defects):
            "the rollout cannot be read whole (\(CodexProblem.corruptRollout(defects).sentence)); restore it from a backup"
        case .twoRollouts(let paths):
            "\(Counted(paths.count, "rollout file").text) hold this thread (\(paths.joined(separator: ", "))); move all but one out of the home"
        case .twoRows:
            "state_5.sqlite has more than one row for this thread; codex's own table cannot, so the database is not codex's as it wrote it"
        case .fileNameDisagrees:
            "the rollout's file name does not end in its thread id; rename it to end in the id of its session_meta line"
        case .projectionHoldsMore:
            "the projection holds turns, messages or a cursor the rollout does not; the rollout may have lost lines: restore it from a backup"
        case .staleKept(let path):
            "its rollout \(path) is gone; restore it, or run with --remove-stale to drop the row (a backup is made first)"
        case .cannotProject(let reason):
            "\(reason.sentence); codex projects the thread itself when it next writes a turn to it"
        case .noHistoryDatabase:
            "thread_history_1.sqlite is not there; codex makes it when it first reads a thread's turns, not when it only starts: open any thread in codex once (codex resume, pick one, quit), then run the repair again"
        case .codexPredatesPagination:
            "a paginated rollout (codex 0.163.0 or later wrote it) in a home whose index an older codex keeps (no history_mode column), "
                + "which does not show such a thread; upgrade codex, start it once, then run the repair again"
        case .rowPathTaken(let path):
            "something is at \(path) that this version does not read as a rollout of this home (not a regular file, a compressed "
                + ".jsonl.zst, or outside sessions/ and archived_sessions/); codex may still read it, so the row was kept: "
                + "put the rollout, uncompressed, into the home, or move that thing away"
        case .projectionRowDiffers(let table, let rowID):
            "codex's own \(table) row \(rowID) differs from what the rollout gives; nothing of this thread was written"
        case .changedSinceAudit:
            "the projection moved since the audit (codex wrote to the thread); run the repair again"
        case .rolloutChangedSinceAudit:
            "the rollout changed since the audit (written to, cut or replaced during the repair); nothing of this thread was written: run the repair again"
        case .unknownProjectionSchema(let detail):
            "thread_history_1.sqlite is not the schema this version writes (\(detail))"
        case .noBackfillState:
            "state_5.sqlite has no backfill_state table, so codex cannot start with it, let alone rebuild this row; "
                + "move state_5.sqlite (with its -wal and -shm) out of the home: codex's next start builds the index anew from the rollouts"
        }
    }
}

extension CodexProjector.CannotProject {
    var sentence: String {
        switch self {
        case .unreadable(let place): place.prefixing("the rollout cannot be read")
        case .unfinishedLastLine: "the rollout's last line has no newline (a writer may be in the middle of it)"
        case .unknownLine(let ordinal, let kind): "line \(ordinal + 1) is a \(kind) line, which this version does not project as codex does"
        case .unknownItem(let ordinal, let kind): "line \(ordinal + 1) completes a \(kind) item, which this version does not project as codex does"
        case .turnOutOfOrder(let ordinal, let turnID): "line \(ordinal + 1) starts, ends or adds to turn \(turnID) out of order"
        case .turnNotEnded(let turnID): "turn \(turnID) has not ended"
        case .ordinalOutOfStep(let ordinal): "line \(ordinal + 1)'s ordinal is not its place in the file"
        case .compressed: "the rollout is compressed (.jsonl.zst); this version does not project compressed rollouts"
        case .itemRepeated(let ordinal, let itemID): "line \(ordinal + 1) completes item \(itemID) a second time in its turn"
        }
    }
}
