/// A Codex home's scan in every format; the JSON document is described in Docs/REPORTS.md. The Markdown and JUnit
/// reports are the shared renderers' (`ItemizedReport`), a thread a case.
extension CodexScanReport: ItemizedReport {
    public var command: String { "scan" }
    public var needsAttention: Bool { hasProblems }
    public var subject: String { "Codex home " + home.path }
    public var itemNoun: String { "thread" }
    public var notes: [String] { homeProblems.map(\.sentence) + warnings.map(\.sentence) }

    /// The thread count, then a count for each of codex's statuses, in `CodexThreadStatus` order.
    public var summaryMembers: [(String, JSONValue)] {
        let counts = countsByStatus
        return [("threads", .integer(threads.count))] + CodexThreadStatus.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) }
    }

    public var sessionObjects: [JSONValue] { threads.map(\.jsonObject) }

    public var cases: [SessionCase] {
        threads.map { thread in
            SessionCase(id: thread.threadID, failure: thread.status == .ok ? nil : (thread.status.rawValue, thread.problemSentence))
        }
    }

    public func jsonDocument() -> JSONValue {
        .object([
            ("agent", .string(Agent.codex.rawValue)),
            ("home", .string(home.path)),
            ("summary", .object(summaryMembers)),
            ("scan", .object([("duration_seconds", .number((duration.seconds * 1000).rounded() / 1000))])),
            ("home_problems", homeProblemObjects),
            ("warnings", warningStrings),
            ("threads", .array(sessionObjects)),
        ])
    }

    /// A thread a line, then the summary line, which also holds the home's problems and the warnings: a reader that
    /// takes the last line for the summary reads them there.
    public func renderedLines() -> String {
        sessionObjects.map { $0.rendered() + "\n" }.joined()
            + JSONValue.object([("summary", .object(summaryMembers)), ("home_problems", homeProblemObjects),
                                ("warnings", warningStrings)]).rendered() + "\n"
    }

    public func renderedTable(colored: Bool) -> String {
        let counts = countsByStatus
        let home = home.path.escapingControlCharacters
        var lines = ["transcript-fsck scan: Codex home \(home): \(Counted(threads.count, "thread").text) in \(String(format1: duration.seconds)) s"]
        lines.append("  " + CodexThreadStatus.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
        let attention = problemThreads
        if !attention.isEmpty {
            var table = TextTable(headers: ["STATUS", "THREAD", "PROBLEM"], rightAligned: [])
            for thread in attention {
                table.colors.append(.red)
                table.rows.append([thread.status.rawValue, thread.threadID, thread.problemSentence])
            }
            lines.append("")
            lines.append(table.rendered(colored: colored))
        }
        for note in notes { lines.append("warning: \(note.escapingControlCharacters)") }
        lines.append("")
        let unread = warnings.filter(\.leavesHistoryUnread).count
        if unread > 0 {
            lines.append("\(Counted(unread, "entry").with("was", "were")) not read (see the warnings): the history there is not audited.")
        }
        if attention.isEmpty {
            lines.append(unread > 0 || !homeProblems.isEmpty ? "No thread read needs attention in \(home); see the warnings above."
                                                             : "Every thread's rollout, index row and projection agree in \(home).")
        } else {
            lines.append("\(Counted(attention.count, "thread").with("needs", "need")) attention in \(home); "
                         + "each problem above says what codex does with it.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var homeProblemObjects: JSONValue {
        .array(homeProblems.map { .object([("check", .string($0.check.rawValue)), ("problem", .string($0.sentence))]) })
    }

    private var warningStrings: JSONValue { .array(warnings.map { .string($0.sentence) }) }
}

extension CodexThreadFinding {
    /// Every problem's sentence, in the order found.
    var problemSentence: String { problems.map(\.sentence).joined(separator: "; ") }

    var jsonObject: JSONValue {
        .object([
            ("thread_id", .string(threadID)),
            ("status", .string(status.rawValue)),
            ("rollout_path", .optional(rolloutPath)),
            ("problems", .array(problems.map { problem in
                .object([("check", .string(problem.check.rawValue)), ("status", .string(problem.status.rawValue)),
                         ("problem", .string(problem.sentence))])
            })),
        ])
    }
}
