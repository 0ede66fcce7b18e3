/// How a report is printed.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// A summary and one row per session that needs attention, for people.
    case table
    /// One JSON document listing every session, for programs.
    case json
    /// One JSON object per line: a line per session, then a summary line.
    case jsonl
    /// A report to paste into a ticket or a mail.
    case markdown
    /// JUnit XML: one test case per session, failing for a problem; CI systems show it.
    case junit
}
