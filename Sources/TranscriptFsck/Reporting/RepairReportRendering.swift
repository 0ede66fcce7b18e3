extension RepairReport: SessionReport {
    public var command: String { "repair" }

    public var summaryMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("sessions", .integer(sessions.count))]
        for action in Action.allCases { members.append((action.rawValue, .integer(count(action)))) }
        members.append(("inserted_messages", .integer(insertedMessages)))
        return members
    }

    public var sessionObjects: [JSONValue] {
        sessions.map { session in
            .object(session.sessionID.jsonMembers + [
                ("status", .string(session.status.rawValue)),
                ("action", .string(session.action.rawValue)),
                ("inserted", .integer(session.inserted)),
                ("reason", .optional(session.reason?.sentence)),
                ("placement", .array(session.placement.map { .string($0.sentence) })),
            ])
        }
    }

    public var cases: [SessionCase] {
        sessions.map { session in
            SessionCase(id: session.sessionID.description,
                        failure: [.refused, .deferred].contains(session.action) ? (session.action.rawValue, session.reason?.sentence ?? "") : nil)
        }
    }

    public func jsonDocument() -> JSONValue {
        .object([
            ("database", .string(location.database)),
            ("transcripts", .array(location.transcriptRoots.map(JSONValue.string))),
            ("dry_run", .bool(dryRun)),
            ("backup", .optional(backupPath)),
            ("interrupted_by", .optional(interruptedBy.map(SignalName.of))),
            ("summary", .object(summaryMembers)),
            ("timings", .object([
                ("total_seconds", .number(Self.rounded(duration))),
                ("scan_seconds", .number(Self.rounded(phases.scan))),
                ("plan_seconds", .number(Self.rounded(phases.plan))),
                ("write_seconds", .number(Self.rounded(phases.write))),
            ])),
            ("fts_integrity", .array(fullTextChecks.map { check in
                .object([("table", .string(check.table)), ("ok", check.skipped == nil ? .bool(check.failure == nil) : .null),
                         ("error", .optional(check.failure)), ("skipped", .optional(check.skipped?.sentence))])
            })),
            ("warnings", .array(warnings.map { .string($0.sentence) })),
            ("sessions", .array(sessionObjects)),
        ])
    }

    private static func rounded(_ duration: Duration) -> Double { (duration.seconds * 1000).rounded() / 1000 }

    public func renderedTable(colored: Bool) -> String {
        let counts = dryRun
            ? "would " + [Action.backfilled, .created, .refused, .deferred].map { "\($0.plannedVerb) \(count($0))" }.joined(separator: ", ")
                + "; \(count(.unchanged)) unchanged"
            : Action.allCases.map { "\($0.rawValue) \(count($0))" }.joined(separator: ", ")
        var lines = ["transcript-fsck repair\(dryRun ? " --dry-run (nothing written)" : ""): \(Counted(sessions.count, "session").text); "
                     + "\(dryRun ? "would insert" : "inserted") \(Counted(insertedMessages, "message").text); " + counts]
        if let backupPath { lines.append("backup: \(backupPath)") }
        let touched = sessions.filter { $0.action != .unchanged }
        if !touched.isEmpty {
            var table = TextTable(headers: ["ACTION", "SESSION", "INSERT", dryRun ? "PLAN" : "DETAIL"], rightAligned: [2])
            for session in touched {
                let action = !dryRun ? session.action.rawValue
                    : [.backfilled, .created].contains(session.action) ? "plan: \(session.action.plannedVerb)" : session.action.plannedVerb
                table.colors.append(session.action == .refused ? .red : session.action == .deferred ? .yellow : .green)
                table.rows.append([action, session.sessionID.description, String(session.inserted),
                                   session.reason?.sentence ?? session.placement.map(\.sentence).joined(separator: "; ")])
            }
            lines.append("")
            lines.append(table.rendered(colored: colored))
        }
        for check in fullTextChecks {
            lines.append("fts integrity-check \(check.table): \(check.failure ?? check.skipped.map { "skipped: \($0.sentence)" } ?? "ok")")
        }
        for warning in warnings { lines.append("warning: \(warning.sentence.escapingControlCharacters)") }
        lines.append("")
        lines += closingLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the run comes to and what to do next: in the past tense for a repair, the conditional for a dry run.
    private var closingLines: [String] {
        var lines: [String] = []
        let notComeTo = sessions.filter { if case .interrupted = $0.reason { true } else { false } }.count
        let deferred = count(.deferred) - notComeTo, refused = count(.refused)
        if let interruptedBy, notComeTo == 0 {
            lines.append("Interrupted by \(SignalName.of(interruptedBy)) once every session was written.")
        } else if let interruptedBy {
            lines.append("Interrupted by \(SignalName.of(interruptedBy)): \(Counted(count(.backfilled) + count(.created), "session").text) "
                         + "written whole, \(notComeTo) not come to and left as \(notComeTo == 1 ? "it was" : "they were"); "
                         + "run the repair again to finish.")
        }
        if deferred > 0 {
            lines.append("\(Counted(deferred, "session").with(dryRun ? "would be" : "was", dryRun ? "would be" : "were")) deferred while "
                         + "another process has the database open (see the reasons above); stop the agent and run the repair again.")
        }
        if refused > 0 {
            lines.append("\(Counted(refused, "session").with(dryRun ? "would be" : "was", dryRun ? "would be" : "were")) refused and left as "
                         + "\(refused == 1 ? "it" : "they") \(dryRun ? (refused == 1 ? "is" : "are") : (refused == 1 ? "was" : "were")); see the reasons above.")
        }
        if dryRun {
            if insertedMessages > 0 { lines.append("Run again without --dry-run to write (a backup is made first, unless --no-backup).") }
            else if deferred == 0, refused == 0 { lines.append("Nothing to write: every repairable session's history is in \(location.database).") }
        } else if refused == 0, deferred == 0, notComeTo == 0 {
            lines.append("Every repairable session's history is in \(location.database).")
        }
        return lines
    }
}

extension RepairReport.Action {
    /// The verb for what a dry run would do.
    var plannedVerb: String {
        switch self {
        case .backfilled: "backfill"
        case .created: "create"
        case .refused: "refuse"
        case .deferred: "defer"
        case .unchanged: "leave"
        }
    }
}
