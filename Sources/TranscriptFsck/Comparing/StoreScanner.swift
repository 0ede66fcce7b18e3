import Synchronization

/// Scans a whole store: every transcript (in parallel), then the database in one snapshot, then
/// compares each session.
///
/// Transcripts are read before the database so that messages the agent writes during the scan
/// show up as database rows ahead of the transcript (harmless) rather than as false truncation.
public struct StoreScanner: Sendable {
    public var location: StoreLocation
    /// Only these sessions, when not empty.
    public var sessionIDs: [String] = []
    /// Transcripts read at once.
    public var jobs = 1

    public init(location: StoreLocation, sessionIDs: [String] = [], jobs: Int = 1) {
        self.location = location
        self.sessionIDs = sessionIDs
        self.jobs = max(1, jobs)
    }

    /// Runs the scan; `progress` hears of every transcript finished.
    public func scan(progress: ScanProgress? = nil) async throws(FsckError) -> ScanReport {
        try await collect(progress: progress).report
    }

    /// Everything a scan read, kept for a repair to plan from.
    public struct Collected: Sendable {
        public let report: ScanReport
        public let snapshot: DatabaseSnapshot
        /// Each session's transcript files.
        public let transcripts: [String: [String]]
    }

    /// Reads both stores and compares them, keeping what was read.
    public func collect(progress: ScanProgress? = nil) async throws(FsckError) -> Collected {
        let clock = ContinuousClock()
        let started = clock.now
        // Fail on an unusable database before the (possibly long) transcript pass.
        _ = try StoreSchema.read(from: DatabaseReader.open(path: location.database))
        var discovery = try TranscriptDiscovery.find(roots: location.transcriptRoots)
        if !sessionIDs.isEmpty {
            let wanted = Set(sessionIDs)
            discovery.transcripts = discovery.transcripts.filter { wanted.contains($0.key) }
        }
        let work = discovery.transcripts.sorted { $0.key < $1.key }.flatMap { id, paths in paths.map { (id, $0) } }
        progress?.start(files: work.count)
        let scans = await Self.scanAll(work, jobs: jobs, progress: progress)
        let snapshot = try DatabaseReader.snapshot(path: location.database, sessionIDs: sessionIDs.isEmpty ? nil : sessionIDs)
        progress?.finish()

        var bySession: [String: [TranscriptScan]] = [:]
        for scan in scans { bySession[scan.sessionID, default: []].append(scan) }
        let ids = Set(bySession.keys).union(snapshot.sessions.keys).sorted()
        let findings = ids.map { id in
            SessionComparison.compare(sessionID: id, transcripts: bySession[id] ?? [], database: snapshot.sessions[id])
        }
        let report = ScanReport(location: location, findings: findings, warnings: discovery.warnings,
                                transcriptBytes: scans.reduce(0) { $0 + $1.uncompressedBytes },
                                storedBytes: scans.reduce(0) { $0 + $1.storedBytes },
                                duration: clock.now - started)
        return Collected(report: report, snapshot: snapshot, transcripts: discovery.transcripts)
    }

    /// Reads the transcripts with `jobs` workers, each taking the next file until none is left.
    static func scanAll(_ work: [(String, String)], jobs: Int, progress: ScanProgress?) async -> [TranscriptScan] {
        let queue = WorkQueue()
        return await withTaskGroup(of: [(Int, TranscriptScan)].self) { group in
            for _ in 0..<min(jobs, max(1, work.count)) {
                group.addTask {
                    var done: [(Int, TranscriptScan)] = []
                    while true {
                        let index = queue.take()
                        guard index < work.count else { return done }
                        let scan = TranscriptScan.scan(path: work[index].1, sessionID: work[index].0)
                        progress?.transcriptDone(uncompressedBytes: scan.uncompressedBytes)
                        done.append((index, scan))
                    }
                }
            }
            var results = [TranscriptScan?](repeating: nil, count: work.count)
            for await batch in group {
                for (index, scan) in batch { results[index] = scan }
            }
            return results.compactMap { $0 }
        }
    }
}

/// Hands out work item indexes, each once, to any number of workers.
final class WorkQueue: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
