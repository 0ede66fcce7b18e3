/// The scan's figures in the Prometheus text format, for node_exporter's textfile collector.
///
/// ```
/// transcript_fsck_sessions{status="truncated"} 4
/// transcript_fsck_last_success_timestamp_seconds 1.7640432e+09
/// ```
public enum PrometheusMetrics {
    /// The `database` (and `root`) label is the absolute path, whatever the command line said: a relative one would
    /// name another series from another directory, and two spellings of one store two series.
    public static func text(for report: ScanReport, database: String, finishedAt: Double) -> String {
        text(for: [(labels(["database": POSIX.resolved(database)]), report)], failed: [], finishedAt: finishedAt)
    }

    /// A run over several stores: every sample labelled with its store's database, root and profile, and
    /// `transcript_fsck_store_failed` 1 for a store that could not be read (which has no other samples).
    public static func text(for set: StoreSetReport<ScanReport>, finishedAt: Double) -> String {
        var read: [(String, ScanReport)] = []
        var failed: [(String, Bool)] = []
        for entry in set.entries {
            let store = entry.store
            let labels = labels(["database": POSIX.resolved(store.location.database), "root": store.root.map(POSIX.resolved) ?? "",
                                 "profile": store.profile ?? ""])
            if let report = entry.report { read.append((labels, report)) }
            failed.append((labels, entry.failure != nil))
        }
        return text(for: read, failed: failed, finishedAt: finishedAt)
    }

    private static func labels(_ values: KeyValuePairs<String, String>) -> String {
        values.map { "\($0.key)=\"\(escaped($0.value))\"" }.joined(separator: ",")
    }

    /// A Codex home's scan: codex's own families (`transcript_fsck_codex_threads` by codex's statuses, ...) and the
    /// scan's duration and time under the names and help Hermes' have, every sample labelled `agent="codex"` and with
    /// the home's absolute path.
    public static func text(for report: CodexScanReport, finishedAt: Double) -> String {
        var families = Families(reports: [(labels(["agent": Agent.codex.rawValue, "home": POSIX.resolved(report.home.path)]), report)])
        let statuses = CodexThreadStatus.allCases.map(\.rawValue)
        let problems = statuses.filter { $0 != CodexThreadStatus.ok.rawValue }
        families.gauge("codex_threads", "Codex threads by status at the last scan: \(statuses.joined(separator: ", ")).") { report in
            let counts = report.countsByStatus
            return CodexThreadStatus.allCases.map { ("status=\"\($0.rawValue)\"", String(counts[$0] ?? 0)) }
        }
        families.gauge("codex_problem_threads", "Codex threads with a problem: \(problems.dropLast().joined(separator: ", ")) or \(problems.last!).") {
            [("", String($0.problemThreads.count))]
        }
        families.gauge("codex_home_problems", "Problems of the Codex home as a whole (no state_5.sqlite: codex rebuilds it at its next start).") {
            [("", String($0.homeProblems.count))]
        }
        families.gauge("codex_unread_entries", "Entries of the Codex home's rollout folders not read (symbolic links, FIFOs): history not audited.") {
            [("", String($0.warnings.filter(\.leavesHistoryUnread).count))]
        }
        families.gauge("scan_duration_seconds", durationHelp) { [("", String($0.duration.seconds))] }
        families.gauge("last_success_timestamp_seconds", lastSuccessHelp) { _ in [("", String(finishedAt))] }
        return families.lines.joined(separator: "\n") + "\n"
    }

    /// Shared by both agents' metrics: node_exporter refuses one family with two help texts.
    private static let durationHelp = "How long the last scan took."
    private static let lastSuccessHelp = "When the last scan finished (Unix time); problems found still count as a finished scan."

    /// Gauge families, each its HELP and TYPE lines and a sample per report and label set.
    private struct Families<Report> {
        let reports: [(labels: String, report: Report)]
        var lines: [String] = []

        mutating func gauge(_ name: String, _ help: String, _ samples: (Report) -> [(String, String)]) {
            lines.append("# HELP transcript_fsck_\(name) \(help)")
            lines.append("# TYPE transcript_fsck_\(name) gauge")
            for (store, report) in reports {
                for (labels, value) in samples(report) {
                    lines.append("transcript_fsck_\(name){\(store)\(labels.isEmpty ? "" : "," + labels)} \(value)")
                }
            }
        }
    }

    private static func text(for reports: [(labels: String, report: ScanReport)], failed: [(labels: String, Bool)], finishedAt: Double) -> String {
        var families = Families(reports: reports)
        // The statuses are named from the type, so that a new one is in the help text as soon as it has samples.
        let statuses = SessionStatus.allCases.map(\.rawValue)
        let problems = SessionStatus.allCases.filter(\.isProblem).map(\.rawValue)
        families.gauge("sessions", "Sessions by status at the last scan: \(statuses.joined(separator: ", ")).") { report in
            SessionStatus.allCases.map { ("status=\"\($0.rawValue)\"", String(report.summary[$0])) }
        }
        families.gauge("missing_messages", "Transcript messages missing from the database, over the problem sessions.") {
            [("", String($0.summary.missingMessages))]
        }
        families.gauge("problem_sessions", "Sessions that need a repair or a person: \(problems.dropLast().joined(separator: ", ")) or \(problems.last!).") {
            [("", String($0.findings.filter { $0.status.isProblem }.count))]
        }
        families.gauge("unread_transcripts", "Entries of the transcripts directories not read (symbolic links, FIFOs): history not audited.") {
            [("", String($0.unreadTranscripts.count))]
        }
        families.gauge("scan_duration_seconds", durationHelp) { [("", String($0.duration.seconds))] }
        families.gauge("transcript_bytes_read", "Uncompressed transcript bytes the last scan read.") { [("", String($0.transcriptBytes))] }
        families.gauge("stored_bytes_read", "Transcript bytes as stored (compressed) that the last scan read.") { [("", String($0.storedBytes))] }
        families.gauge("last_success_timestamp_seconds", lastSuccessHelp) { _ in
            [("", String(finishedAt))]
        }
        var lines = families.lines
        if !failed.isEmpty {
            lines.append("# HELP transcript_fsck_store_failed 1 when the store could not be read at the last scan (it has no other samples).")
            lines.append("# TYPE transcript_fsck_store_failed gauge")
            for (labels, didFail) in failed { lines.append("transcript_fsck_store_failed{\(labels)} \(didFail ? 1 : 0)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
