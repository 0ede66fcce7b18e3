/// Compares each session as soon as both sides are in, so that a scan holds the transcript
/// fingerprints only of sessions still waiting (for the database pass, or for a session's other
/// files) and of sessions that need attention, never of the whole store.
final class ComparisonStage: Sendable {
    private struct State {
        var snapshot: DatabaseSnapshot?
        var waiting: [SessionID: [TranscriptScan]] = [:]
        var findings: [SessionID: SessionFinding] = [:]
        /// The transcripts of sessions that need attention, kept to compare them again after a newer read.
        var kept: [SessionID: [TranscriptScan]] = [:]
        var transcriptBytes = 0
        var storedBytes = 0
    }

    private let state = Locked(State())
    private let filesPerSession: [SessionID: Int]
    private let watermark: Int64

    init(filesPerSession: [SessionID: Int], watermark: Int64) {
        self.filesPerSession = filesPerSession
        self.watermark = watermark
    }

    /// A transcript has been read.
    func submit(_ scan: TranscriptScan) {
        let ready: (SessionID, [TranscriptScan], DatabaseSnapshot)? = state.withLock { state in
            state.transcriptBytes += scan.uncompressedBytes
            state.storedBytes += scan.storedBytes
            state.waiting[scan.sessionID, default: []].append(scan)
            guard let snapshot = state.snapshot, state.waiting[scan.sessionID]!.count == filesPerSession[scan.sessionID] else { return nil }
            return (scan.sessionID, state.waiting.removeValue(forKey: scan.sessionID)!, snapshot)
        }
        if let (id, scans, snapshot) = ready { compare(id, scans, snapshot) }
    }

    /// The database pass is done: every session whose transcripts are all in can be compared.
    func databaseReady(_ snapshot: DatabaseSnapshot) {
        let ready: [(SessionID, [TranscriptScan])] = state.withLock { state in
            state.snapshot = snapshot
            let complete = state.waiting.filter { $0.value.count == filesPerSession[$0.key] }
            for id in complete.keys { state.waiting.removeValue(forKey: id) }
            return Array(complete)
        }
        for (id, scans) in ready { compare(id, scans, snapshot) }
    }

    private func compare(_ id: SessionID, _ scans: [TranscriptScan], _ snapshot: DatabaseSnapshot) {
        let finding = SessionComparison.compare(sessionID: id, transcripts: scans, database: snapshot.sessions[id],
                                                writtenAfterRowID: watermark)
        state.withLock { state in
            state.findings[id] = finding
            if finding.status.isProblem { state.kept[id] = scans }
        }
    }

    /// Every finding, sessions with rows but no transcript included, once all transcripts and the database are in.
    func finish() -> (findings: [SessionID: SessionFinding], kept: [SessionID: [TranscriptScan]], snapshot: DatabaseSnapshot,
                      transcriptBytes: Int, storedBytes: Int) {
        state.withLock { state in
            let snapshot = state.snapshot!
            for (id, session) in snapshot.sessions where state.findings[id] == nil && filesPerSession[id] == nil {
                state.findings[id] = SessionComparison.compare(sessionID: id, transcripts: [], database: session,
                                                               writtenAfterRowID: watermark)
            }
            return (state.findings, state.kept, snapshot, state.transcriptBytes, state.storedBytes)
        }
    }
}
