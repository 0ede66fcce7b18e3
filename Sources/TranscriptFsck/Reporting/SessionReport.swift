/// A report in every format: a store's (`SessionReport`) or a run's over several stores (`StoreSetReport`).
public protocol FormattedReport: Sendable {
    /// `scan` or `repair`.
    var command: String { get }
    /// The JSON summary object's members.
    var summaryMembers: [(String, JSONValue)] { get }
    /// The people's table; `colored` adds terminal colours.
    func renderedTable(colored: Bool) -> String
    /// The JSON document.
    func jsonDocument() -> JSONValue
    /// A JSON object a line, then the summary.
    func renderedLines() -> String
    func renderedMarkdown() -> String
    func renderedJUnit() -> String
}

extension FormattedReport {
    /// The report in `format`, ending with a newline.
    public func rendered(as format: ReportFormat, colored: Bool = false) -> String {
        switch format {
        case .table: renderedTable(colored: colored)
        case .json: jsonDocument().rendered(indent: 2) + "\n"
        case .jsonl: renderedLines()
        case .markdown: renderedMarkdown()
        case .junit: renderedJUnit()
        }
    }

    /// One line for standard error when the report itself goes to a file.
    public var summaryLine: String {
        "transcript-fsck \(command): " + summaryMembers.map { "\($0.0) \($0.1.rendered())" }.joined(separator: ", ")
    }
}

/// What every report of one item a line shares (a store's sessions, a Codex home's threads), so that one renderer per
/// format serves them all.
public protocol ItemizedReport: FormattedReport {
    /// Exit status 1: some item is a problem (scan), or was refused or deferred (repair).
    var needsAttention: Bool { get }
    var duration: Duration { get }
    /// What the report is of, in the Markdown heading and the JUnit suite's name: the database, or the Codex home.
    var subject: String { get }
    /// What an item is called: `session`, or `thread`.
    var itemNoun: String { get }
    /// Sentences about the whole subject, for the Markdown report and the JUnit suite's output; none for a store.
    var notes: [String] { get }
    /// One JSON object per item, in order.
    var sessionObjects: [JSONValue] { get }
    /// One test case per item, for the JUnit and Markdown reports.
    var cases: [SessionCase] { get }
}

/// What scan and repair reports share: a store's sessions.
public protocol SessionReport: ItemizedReport {
    var location: StoreLocation { get }
}

extension SessionReport {
    public var subject: String { location.database }
    public var itemNoun: String { "session" }
    public var notes: [String] { [] }
}

/// A session as a test case: its id, and a failure (kind and message) when it needs attention.
public struct SessionCase: Sendable, Equatable {
    struct Failure: Sendable, Equatable {
        let kind: String
        let message: String
    }

    let id: String
    let failure: Failure?

    init(id: String, failure: (kind: String, message: String)?) {
        self.id = id
        self.failure = failure.map { Failure(kind: $0.kind, message: $0.message) }
    }
}

extension ItemizedReport {
    var failures: Int { cases.filter { $0.failure != nil }.count }

    public func renderedLines() -> String {
        var text = ""
        for object in sessionObjects { text += object.rendered() + "\n" }
        return text + JSONValue.object([("summary", .object(summaryMembers))]).rendered() + "\n"
    }

    public func renderedMarkdown() -> String {
        var lines = ["# transcript-fsck \(command): \(subject.escapingControlCharacters)", ""]
        lines.append("| | |")
        lines.append("|---|---:|")
        for (key, value) in summaryMembers { lines.append("| \(key) | \(value.rendered()) |") }
        let failing = cases.compactMap { item in item.failure.map { (item.id, $0) } }
        if !notes.isEmpty {
            lines += ["", "## Notes", ""]
            lines += notes.map { "- " + Markdown.cell($0) }
        }
        lines.append("")
        if failing.isEmpty {
            lines.append("Every \(itemNoun) is consistent.")
        } else {
            lines.append("## \(itemNoun.prefix(1).uppercased() + itemNoun.dropFirst())s that need attention")
            lines.append("")
            lines.append("| \(itemNoun) | status | detail |")
            lines.append("|---|---|---|")
            for (id, failure) in failing {
                lines.append("| \(Markdown.code(id)) | \(failure.kind) | \(Markdown.cell(failure.message)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func renderedJUnit() -> String {
        let seconds = String(secondsToTheMillisecond: duration.seconds)
        return JUnit.document(tests: cases.count, failures: failures, errors: 0, seconds: seconds,
                              suites: [junitSuite(name: "transcript-fsck \(command) \(subject)")])
    }

    /// This report as one `<testsuite>`: a test case per session.
    func junitSuite(name: String) -> [String] {
        let seconds = String(secondsToTheMillisecond: duration.seconds)
        var lines = ["  <testsuite name=\"\(XML.escaped(name))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(seconds)\">"]
        for item in cases {
            let open = "    <testcase classname=\"transcript-fsck.\(command)\" name=\"\(XML.escaped(item.id))\" time=\"0\""
            if let failure = item.failure {
                lines.append(open + ">")
                lines.append("      <failure type=\"\(XML.escaped(failure.kind))\" message=\"\(XML.escaped(failure.message))\">\(XML.escaped(failure.message))</failure>")
                lines.append("    </testcase>")
            } else {
                lines.append(open + "/>")
            }
        }
        if !notes.isEmpty { lines.append("    <system-out>\(XML.escaped(notes.joined(separator: "\n")))</system-out>") }
        lines.append("  </testsuite>")
        return lines
    }
}

/// The JUnit XML document around its suites.
enum JUnit {
    static func document(tests: Int, failures: Int, errors: Int, seconds: String, suites: [[String]]) -> String {
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#,
                     "<testsuites name=\"transcript-fsck\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(seconds)\">"]
        for suite in suites { lines += suite }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Markdown table cells, for every report that renders one.
enum Markdown {
    /// Text for a table cell or a heading: control characters escaped, and `|` and `` ` `` escaped, never altered.
    static func cell(_ text: String) -> String {
        text.escapingControlCharacters.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "\\`")
    }

    /// An id as a code span in a table cell, exactly as it is: fenced by one backtick more than its longest run of
    /// them, with a space inside the fence when it starts or ends with one (CommonMark strips that space again).
    static func code(_ text: String) -> String {
        let cell = text.escapingControlCharacters.replacingOccurrences(of: "|", with: "\\|")
        var longest = 0, run = 0
        for character in cell {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = cell.hasPrefix("`") || cell.hasSuffix("`") ? " \(cell) " : cell
        return fence + padded + fence
    }
}

/// Text made safe for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD.
enum XML {
    static func escaped(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n": output += "&#10;"
            case "\t", "\r": output += "&#\(scalar.value);"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
