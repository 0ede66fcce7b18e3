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

    public var cases: [(id: String, failure: (kind: String, message: String)?)] {
        sessions.map { session in
            (session.sessionID.description, [.refused, .deferred].contains(session.action) ? (session.action.rawValue, session.reason?.sentence ?? "") : nil)
        }
    }

    public func jsonDocument() -> JSONValue {
        .object([
            ("database", .string(location.database)),
            ("transcripts", .array(location.transcriptRoots.map(JSONValue.string))),
            ("dry_run", .bool(dryRun)),
            ("backup", .optional(backupPath)),
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
        let verb = dryRun ? "would insert" : "inserted"
        var lines = ["transcript-fsck repair\(dryRun ? " --dry-run (nothing written)" : ""): \(Counted(sessions.count, "session").text); "
                     + "\(verb) \(Counted(insertedMessages, "message").text); "
                     + Action.allCases.map { "\($0.rawValue) \(count($0))" }.joined(separator: ", ")]
        if let backupPath { lines.append("backup: \(backupPath)") }
        let touched = sessions.filter { $0.action != .unchanged }
        if !touched.isEmpty {
            var table = TextTable(headers: ["ACTION", "SESSION", "INSERT", dryRun ? "PLAN" : "DETAIL"], rightAligned: [2])
            for session in touched {
                let action = dryRun && session.action != .refused ? "plan: \(session.action == .created ? "create" : "backfill")" : session.action.rawValue
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
        if count(.deferred) > 0 {
            lines.append("\(Counted(count(.deferred), "session").with("was", "were")) deferred: writing \(count(.deferred) == 1 ? "it" : "them") would stall the agent's writes; "
                         + "stop the agent and run the repair again.")
        }
        if count(.refused) > 0 {
            lines.append("\(Counted(count(.refused), "session").with("was", "were")) refused and left as \(count(.refused) == 1 ? "it was" : "they were"); see the reasons above.")
        } else if dryRun, insertedMessages > 0 {
            lines.append("Run again without --dry-run to write (a backup is made first).")
        } else if count(.deferred) == 0 {
            lines.append("Every repairable session's history is in \(location.database).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
