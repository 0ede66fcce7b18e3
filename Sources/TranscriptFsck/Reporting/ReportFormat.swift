/// How a report is printed.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// A summary and one row per session that needs attention, for people.
    case table
    /// One JSON document listing every session, for programs.
    case json
}
