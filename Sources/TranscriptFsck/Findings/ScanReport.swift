/// The result of scanning a store: one finding per session, in session id order.
public struct ScanReport: Sendable {
    public let location: StoreLocation
    public internal(set) var findings: [SessionFinding]
    /// Store-wide notes (links not followed, an unreadable state file).
    var warnings: [StoreWarning]
    public let transcriptBytes: Int
    let storedBytes: Int
    public internal(set) var duration: Duration
    /// Sessions an incremental audit (`--since`) took from its state file without reading them again.
    var unchangedSkipped = 0
    /// The most memory the process had held when the scan ended (VmHWM), taken then: a report rendered later, or
    /// after other stores' scans, shows the scan's memory, not the renderer's.
    var peakResidentBytes: Int? = PeakMemory.residentBytes()

    /// Session counts by status, and the messages missing from the database over all sessions.
    var summary: Summary { Summary(findings) }

    /// True when any session is truncated, missing, continued, diverged or corrupt, or some transcript was not read:
    /// exit status 1, never all clear.
    public var hasProblems: Bool { findings.contains { $0.status.isProblem } || !unreadTranscripts.isEmpty }
    /// The store-wide warnings that leave history unaudited (transcripts not read).
    var unreadTranscripts: [StoreWarning] { warnings.filter(\.leavesHistoryUnread) }

    struct Summary: Sendable, Equatable {
        var sessions = 0
        var byStatus: [SessionStatus: Int] = [:]
        var missingMessages = 0

        init(_ findings: [SessionFinding]) {
            sessions = findings.count
            for finding in findings {
                byStatus[finding.status, default: 0] += 1
                if finding.status.isProblem { missingMessages += finding.missingMessages }
            }
        }

        subscript(status: SessionStatus) -> Int { byStatus[status] ?? 0 }
    }
}
