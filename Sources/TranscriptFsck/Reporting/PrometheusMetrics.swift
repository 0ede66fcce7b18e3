/// The scan's figures in the Prometheus text format, for node_exporter's textfile collector.
///
/// ```
/// transcript_fsck_sessions{status="truncated"} 4
/// transcript_fsck_last_success_timestamp_seconds 1.7640432e+09
/// ```
public enum PrometheusMetrics {
    public static func text(for report: ScanReport, database: String, finishedAt: Double) -> String {
        let label = "database=\"\(escaped(database))\""
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP transcript_fsck_\(name) \(help)")
            lines.append("# TYPE transcript_fsck_\(name) gauge")
            for (labels, value) in samples {
                lines.append("transcript_fsck_\(name){\(label)\(labels.isEmpty ? "" : "," + labels)} \(value)")
            }
        }
        let summary = report.summary
        metric("sessions", "Sessions by status at the last scan.",
               SessionStatus.allCases.map { ("status=\"\($0.rawValue)\"", String(summary[$0])) })
        metric("missing_messages", "Transcript messages missing from the database, over the problem sessions.",
               [("", String(summary.missingMessages))])
        metric("problem_sessions", "Sessions that are truncated, missing, continued, diverged or corrupt.",
               [("", String(report.findings.filter { $0.status.isProblem }.count))])
        metric("unread_transcripts", "Entries of the transcripts directories not read (symbolic links, FIFOs): history not audited.",
               [("", String(report.unreadTranscripts.count))])
        metric("scan_duration_seconds", "How long the last scan took.", [("", String(report.duration.seconds))])
        metric("transcript_bytes_read", "Uncompressed transcript bytes the last scan read.", [("", String(report.transcriptBytes))])
        metric("stored_bytes_read", "Transcript bytes as stored (compressed) that the last scan read.", [("", String(report.storedBytes))])
        metric("last_success_timestamp_seconds", "When the last scan finished (Unix time); problems found still count as a finished scan.",
               [("", String(finishedAt))])
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
