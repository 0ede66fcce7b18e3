/// A run over several stores in every format: a section per store (its own report, or why it has none), then the
/// totals. The JSON and JSONL keep a one-store report's `summary` and `sessions` (each session naming its store), so
/// that a consumer reading those reads every store's.
extension StoreSetReport: FormattedReport {
    public var command: String { entries.lazy.compactMap(\.report).first?.command ?? "scan" }

    /// Each failed store's error as the one line a person reads on standard error.
    public var failureLines: [String] {
        entries.compactMap { entry in
            entry.failure.map { "\(entry.store.label): \(String(describing: $0))".escapingControlCharacters }
        }
    }

    /// The stores' summaries added up, member by member, and how many stores there were and could not be read.
    public var summaryMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("stores", .integer(entries.count)),
                                              ("stores_failed", .integer(entries.filter { $0.failure != nil }.count))]
        for report in entries.compactMap(\.report) {
            for (key, value) in report.summaryMembers {
                guard case .integer(let count) = value else { continue }
                if let index = members.firstIndex(where: { $0.0 == key }), case .integer(let total) = members[index].1 {
                    members[index].1 = .integer(total + count)
                } else {
                    members.append((key, .integer(count)))
                }
            }
        }
        return members
    }

    private func storeMembers(_ entry: Entry) -> [(String, JSONValue)] {
        [("root", .optional(entry.store.root)), ("profile", .optional(entry.store.profile))]
    }

    private func outcomeWord(_ entry: Entry) -> String {
        switch entry.outcome {
        case .report: "read"
        case .neverRan: "never_ran"
        case .failed: "failed"
        }
    }

    private func storeObject(_ entry: Entry) -> JSONValue {
        var members = storeMembers(entry) + [("outcome", .string(outcomeWord(entry))), ("error", .optional(entry.failure.map(String.init(describing:))))]
        if let report = entry.report, case .object(let document) = report.jsonDocument() {
            members += document.filter { $0.0 != "sessions" }
        } else {
            members += [("database", .string(entry.store.location.database)),
                        ("transcripts", .array(entry.store.location.transcriptRoots.map(JSONValue.string)))]
        }
        return .object(members)
    }

    private var sessionObjects: [JSONValue] {
        entries.flatMap { entry in
            (entry.report?.sessionObjects ?? []).map { object in
                guard case .object(let members) = object else { return object }
                return .object(storeMembers(entry) + members)
            }
        }
    }

    public func jsonDocument() -> JSONValue {
        .object([
            ("summary", .object(summaryMembers)),
            ("duration_seconds", .number((duration.seconds * 1000).rounded() / 1000)),
            ("warnings", .array(warnings.map { .string($0.sentence) })),
            ("stores", .array(entries.map(storeObject))),
            ("sessions", .array(sessionObjects)),
        ])
    }

    public func renderedLines() -> String {
        var text = ""
        for object in sessionObjects { text += object.rendered() + "\n" }
        for entry in entries { text += JSONValue.object([("store", storeObject(entry))]).rendered() + "\n" }
        return text + JSONValue.object([("summary", .object(summaryMembers))]).rendered() + "\n"
    }

    /// What a store that has no report is, in words.
    private func sentence(_ entry: Entry) -> String? {
        switch entry.outcome {
        case .report: nil
        case .neverRan: "no state.db and no transcripts yet: this profile has never run a session, so there is nothing to audit"
        case .failed(let error): "could not be \(command == "repair" ? "repaired" : "read"): \(String(describing: error))"
        }
    }

    public func renderedTable(colored: Bool) -> String {
        var lines = ["transcript-fsck \(command): \(Counted(entries.count, "store").text) in \(String(format1: duration.seconds)) s"]
        for entry in entries {
            lines.append("")
            lines.append("== \(entry.store.label.escapingControlCharacters): \(entry.store.location.database.escapingControlCharacters)")
            if let report = entry.report {
                lines.append(report.renderedTable(colored: colored).dropLast().description)
            } else if let sentence = sentence(entry) {
                lines.append((entry.failure != nil ? "error: " : "") + sentence.escapingControlCharacters)
            }
        }
        for warning in warnings { lines.append("warning: \(warning.sentence.escapingControlCharacters)") }
        lines.append("")
        let failed = entries.filter { $0.failure != nil }.map(\.store.label)
        let attention = entries.filter { $0.report?.needsAttention == true }.map(\.store.label)
        if failed.isEmpty, attention.isEmpty {
            lines.append("Every store is consistent (\(Counted(entries.count, "store").text)).")
        } else {
            if !attention.isEmpty {
                lines.append("\(Counted(attention.count, "store").with("needs", "need")) attention: \(attention.joined(separator: ", ")).".escapingControlCharacters)
            }
            if !failed.isEmpty {
                lines.append("\(Counted(failed.count, "store").with("was", "were")) not \(command == "repair" ? "repaired" : "read") (see the errors above): "
                             + "\(failed.joined(separator: ", ")).".escapingControlCharacters)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func renderedMarkdown() -> String {
        var lines = ["# transcript-fsck \(command): \(Counted(entries.count, "store").text)", "", "| | |", "|---|---:|"]
        for (key, value) in summaryMembers { lines.append("| \(key) | \(value.rendered()) |") }
        for entry in entries {
            lines.append("")
            if let report = entry.report {
                // The store's own report, its headings one level down.
                let own = report.renderedMarkdown().split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                lines.append("## \(Self.markdownText(entry.store.label)): \(Self.markdownText(entry.store.location.database))")
                lines += own.dropLast().map { $0.hasPrefix("#") ? "#" + $0 : String($0) }
            } else if let sentence = sentence(entry) {
                lines.append("## \(Self.markdownText(entry.store.label)): \(Self.markdownText(entry.store.location.database))")
                lines.append("")
                lines.append(Self.markdownText(sentence))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func markdownText(_ text: String) -> String {
        Markdown.cell(text)
    }

    public func renderedJUnit() -> String {
        var suites: [[String]] = []
        var tests = 0, failures = 0, errors = 0
        for entry in entries {
            let name = "transcript-fsck \(command) \(entry.store.location.database)"
            if let report = entry.report {
                suites.append(report.junitSuite(name: name))
                tests += report.cases.count
                failures += report.failures
            } else if let failure = entry.failure {
                let message = XML.escaped(String(describing: failure))
                suites.append(["  <testsuite name=\"\(XML.escaped(name))\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">",
                               "    <testcase classname=\"transcript-fsck.\(command)\" name=\"\(XML.escaped(entry.store.label))\" time=\"0\">",
                               "      <error type=\"could_not_read\" message=\"\(message)\">\(message)</error>",
                               "    </testcase>",
                               "  </testsuite>"])
                tests += 1
                errors += 1
            } else {
                suites.append(["  <testsuite name=\"\(XML.escaped(name))\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\"/>"])
            }
        }
        return JUnit.document(tests: tests, failures: failures, errors: errors, seconds: String(secondsToTheMillisecond: duration.seconds), suites: suites)
    }
}
