extension ScanReport: SessionReport {
    public var command: String { "scan" }
    public var needsAttention: Bool { hasProblems }

    public var summaryMembers: [(String, JSONValue)] {
        let summary = self.summary
        var members: [(String, JSONValue)] = [("sessions", .integer(summary.sessions))]
        for status in SessionStatus.allCases { members.append((status.rawValue, .integer(summary[status]))) }
        members.append(("missing_messages", .integer(summary.missingMessages)))
        return members
    }

    public var sessionObjects: [JSONValue] { findings.map { $0.jsonObject() } }

    public var cases: [SessionCase] {
        findings.map { finding in
            SessionCase(id: finding.sessionID.description,
                        failure: finding.status.isProblem ? (finding.status.rawValue, finding.problem?.sentence ?? "") : nil)
        }
    }

    /// The JSON document described in Docs/REPORTS.md.
    public func jsonDocument() -> JSONValue {
        .object([
            ("database", .string(location.database)),
            ("transcripts", .array(location.transcriptRoots.map(JSONValue.string))),
            ("summary", .object(summaryMembers)),
            ("scan", .object([
                ("duration_seconds", .number((duration.seconds * 1000).rounded() / 1000)),
                ("transcript_bytes", .integer(transcriptBytes)),
                ("stored_bytes", .integer(storedBytes)),
                ("peak_rss_bytes", peakResidentBytes.map(JSONValue.integer) ?? .null),
                ("unchanged_skipped", .integer(unchangedSkipped)),
            ])),
            ("warnings", .array(warnings.map { .string($0.sentence) })),
            ("sessions", .array(sessionObjects)),
        ])
    }

    public func renderedTable(colored: Bool) -> String {
        let summary = self.summary
        let megabytes = Double(transcriptBytes) / 1_048_576
        var lines = ["transcript-fsck scan: \(Counted(summary.sessions, "session").text), \(String(format1: megabytes)) MB of transcripts in \(String(format1: duration.seconds)) s"]
        lines.append("  " + SessionStatus.allCases.map { "\($0.rawValue) \(summary[$0])" }.joined(separator: ", "))
        if unchangedSkipped > 0 {
            lines.append("  \(Counted(unchangedSkipped, "session").text) unchanged since the last audit \(unchangedSkipped == 1 ? "was" : "were") not read again")
        }
        let attention = findings.filter { $0.status.isProblem || !$0.warnings.isEmpty }
        if !attention.isEmpty {
            var table = TextTable(headers: ["STATUS", "SESSION", "TRANSCRIPT", "DATABASE", "MISSING", "PROBLEM"], rightAligned: [2, 3, 4])
            for finding in attention {
                table.colors.append(finding.status.isProblem ? .red : .yellow)
                table.rows.append([finding.status.rawValue, finding.sessionID.description, String(finding.transcriptMessages),
                                   String(finding.databaseMessages), String(finding.missingMessages),
                                   (finding.problemSentences + finding.warnings.map { "warning: " + $0.sentence }).joined(separator: "; ")])
            }
            lines.append("")
            lines.append(table.rendered(colored: colored))
        }
        for warning in warnings { lines.append("warning: \(warning.sentence.escapingControlCharacters)") }
        lines.append("")
        if hasProblems {
            let count = findings.filter { $0.status.isProblem }.count
            if !unreadTranscripts.isEmpty {
                lines.append("\(Counted(unreadTranscripts.count, "transcript entry").with("was", "were")) not read (see the warnings): "
                             + "the history there is not audited.")
            }
            lines.append("\(Counted(count, "session").with("needs", "need")) attention; "
                         + "\(Counted(summary.missingMessages, "message").with("is", "are")) missing from \(location.database.escapingControlCharacters).")
            if summary[.truncated] + summary[.missing] > 0 {
                let command = ShellWords.quoted(["transcript-fsck", "repair", "--dry-run"] + location.namingArguments)
                lines.append("Run \(command.escapingControlCharacters) to see what a backfill would insert.")
            }
            if summary[.diverged] + summary[.corrupt] > 0 {
                lines.append("Diverged and corrupt sessions need a person: repair refuses them; see the problems above.")
            }
        } else {
            lines.append("Every session's history is in \(location.database.escapingControlCharacters).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SessionFinding {
    func jsonObject() -> JSONValue {
        .object(sessionID.jsonMembers + [
            ("status", .string(status.rawValue)),
            ("transcript_path", .optional(transcriptPath)),
            ("transcript_messages", .integer(transcriptMessages)),
            ("database_messages", .integer(databaseMessages)),
            ("missing_messages", .integer(missingMessages)),
            ("problems", .array(problemSentences.map(JSONValue.string))),
            ("warnings", .array(warnings.map { .string($0.sentence) })),
        ])
    }
}

extension String {
    /// One decimal place, without Foundation's formatter.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// Seconds with three decimals (to the millisecond) and never an exponent, as XML's xs:decimal wants.
    init(secondsToTheMillisecond value: Double) {
        let thousandths = Int((Swift.max(0, value) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
