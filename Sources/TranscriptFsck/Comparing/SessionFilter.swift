/// Which sessions a command looks at, beyond `--session`.
///
/// `sources` and `startedAfter` match the session's row in the database. A session without a row
/// (status `missing`) always matches them: its missing row is the problem being looked for.
/// `statuses` keeps only findings with these statuses. Summaries, metrics and the exit status are
/// computed over the sessions that match.
public struct SessionFilter: Sendable, Equatable {
    var sources: [String] = []
    var startedAfter: Double?
    var statuses: [SessionStatus] = []

    public init(sources: [String] = [], startedAfter: Double? = nil, statuses: [SessionStatus] = []) {
        self.sources = sources
        self.startedAfter = startedAfter
        self.statuses = statuses
    }

    var isEmpty: Bool { sources.isEmpty && startedAfter == nil && statuses.isEmpty }

    func matches(_ finding: SessionFinding) -> Bool {
        if !statuses.isEmpty, !statuses.contains(finding.status) { return false }
        guard let session = finding.session, session.hasSessionRow else { return true }
        if !sources.isEmpty, !sources.contains(session.source ?? "") { return false }
        if let startedAfter, (session.startedAt ?? -.infinity) < startedAfter { return false }
        return true
    }

    /// Parses `2026-03-01`, `2026-03-01T12:00:00` (local time), either with a zone, or epoch seconds.
    public static func parseDate(_ text: String) -> Double? {
        if let seconds = Double(text), seconds.isFinite { return seconds }
        let full = text.count == 10 ? text + "T00:00:00" : text
        return TimestampParser.epochSeconds(iso8601: Array(full.utf8))
    }
}

extension ScanReport {
    /// The report over only the sessions that `filter` matches.
    func filtered(by filter: SessionFilter) -> ScanReport {
        guard !filter.isEmpty else { return self }
        var copy = self
        copy.findings = findings.filter { filter.matches($0) }
        return copy
    }
}
