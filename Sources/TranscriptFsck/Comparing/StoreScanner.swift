import Dispatch
import Synchronization

/// Scans a whole store: every transcript and the database in one snapshot, then compares each session.
///
/// `jobs` is the number of threads. With one, transcripts are read first and the database after;
/// with more, one worker reads the database first and then joins the others on the transcripts.
/// A database snapshot taken before a transcript is read may miss messages the agent wrote
/// meanwhile, which can only make the database look behind at a transcript's end; so every session
/// that looks like a problem is read again from the database once all transcripts are read, and
/// judged on that newer read.
public struct StoreScanner: Sendable {
    public var location: StoreLocation
    /// Only these sessions, when not empty.
    public var sessionIDs: [String] = []
    /// Transcripts read at once.
    public var jobs = 1
    public var filter = SessionFilter()

    public init(location: StoreLocation, sessionIDs: [String] = [], jobs: Int = 1, filter: SessionFilter = SessionFilter()) {
        self.location = location
        self.sessionIDs = sessionIDs
        self.jobs = max(1, jobs)
        self.filter = filter
    }

    /// Runs the scan; `progress` hears of every transcript finished.
    public func scan(progress: ScanProgress? = nil) async throws(FsckError) -> ScanReport {
        let collected = try await collect(progress: progress)
        return collected.report.filtered(by: filter) { collected.snapshot.sessions[$0].map(SessionFacts.init) }
    }

    /// Everything a scan read, kept for a repair to plan from.
    public struct Collected: Sendable {
        public let report: ScanReport
        public let snapshot: DatabaseSnapshot
        /// Each session's transcript files.
        public let transcripts: [String: [String]]
        public let stamps: [String: FileStamp]
    }

    /// Reads both stores and compares them, keeping what was read.
    public func collect(progress: ScanProgress? = nil) async throws(FsckError) -> Collected {
        let clock = ContinuousClock()
        let started = clock.now
        // Fail on an unusable database before the (possibly long) transcript pass, and note the newest row:
        // rows above it may be written by a live agent after their transcript was read.
        let watermark = try DatabaseReader.newestRowID(path: location.database)
        var discovery = try TranscriptDiscovery.find(roots: location.transcriptRoots)
        if !sessionIDs.isEmpty {
            let wanted = Set(sessionIDs)
            discovery.transcripts = discovery.transcripts.filter { wanted.contains($0.key) }
        }
        // Largest first, so that the workers finish together instead of one waiting on a long file at the end.
        let work = discovery.transcripts.flatMap { id, paths in paths.map { (id, $0) } }
            .sorted { (discovery.stamps[$0.1]?.size ?? 0, $1.1) > (discovery.stamps[$1.1]?.size ?? 0, $0.1) }
        progress?.start(files: work.count)
        let database = location.database
        let onlySessions = sessionIDs.isEmpty ? nil : sessionIDs
        let readDatabase = { @Sendable () throws(FsckError) -> DatabaseSnapshot in
            try DatabaseReader.snapshot(path: database, sessionIDs: onlySessions)
        }
        let (scans, databasePass) = await Self.scanAll(work, jobs: jobs, progress: progress, alongside: readDatabase)
        var snapshot = try databasePass.get()
        progress?.finish()

        var bySession: [String: [TranscriptScan]] = [:]
        for scan in scans { bySession[scan.sessionID, default: []].append(scan) }
        let ids = Set(bySession.keys).union(snapshot.sessions.keys).sorted()
        var findings = ids.map { id in
            SessionComparison.compare(sessionID: id, transcripts: bySession[id] ?? [], database: snapshot.sessions[id],
                                      writtenAfterRowID: watermark)
        }
        // Problem sessions are read again, in detail: a newer read for live writes, and row ids for placing and naming rows.
        let suspects = findings.filter { $0.status.isProblem }.map(\.sessionID)
        if !suspects.isEmpty {
            let fresh = try DatabaseReader.snapshot(path: database, sessionIDs: suspects)
            for (index, finding) in findings.enumerated() where suspects.contains(finding.sessionID) {
                snapshot.sessions[finding.sessionID] = fresh.sessions[finding.sessionID]
                findings[index] = SessionComparison.compare(sessionID: finding.sessionID, transcripts: bySession[finding.sessionID] ?? [],
                                                            database: fresh.sessions[finding.sessionID], writtenAfterRowID: watermark)
            }
        }
        let report = ScanReport(location: location, findings: findings, warnings: discovery.warnings,
                                transcriptBytes: scans.reduce(0) { $0 + $1.uncompressedBytes },
                                storedBytes: scans.reduce(0) { $0 + $1.storedBytes },
                                duration: clock.now - started)
        return Collected(report: report, snapshot: snapshot, transcripts: discovery.transcripts, stamps: discovery.stamps)
    }

    /// Reads the transcripts with `jobs` workers, each taking the next file until none is left, and
    /// runs `alongside` once: first on one worker when there are several, after the transcripts when there is one.
    static func scanAll<Other: Sendable>(_ work: [(String, String)], jobs: Int, progress: ScanProgress?,
                                         alongside: @escaping @Sendable () throws(FsckError) -> Other)
        async -> ([TranscriptScan], Result<Other, FsckError>) {
        let queue = WorkQueue()
        let workers = max(1, jobs)
        let (batches, other) = await withTaskGroup(of: ([(Int, TranscriptScan)], Result<Other, FsckError>?).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    await onOwnThread {
                        var other: Result<Other, FsckError>?
                        if worker == 0, workers > 1 { other = Result(catching: alongside) }
                        var done: [(Int, TranscriptScan)] = []
                        while true {
                            let index = queue.take()
                            guard index < work.count else { break }
                            let scan = TranscriptScan.scan(path: work[index].1, sessionID: work[index].0)
                            progress?.transcriptDone(uncompressedBytes: scan.uncompressedBytes)
                            done.append((index, scan))
                        }
                        if worker == 0, workers == 1 { other = Result(catching: alongside) }
                        return (done, other)
                    }
                }
            }
            var batches: [[(Int, TranscriptScan)]] = []
            var other: Result<Other, FsckError>?
            for await (batch, result) in group {
                batches.append(batch)
                if let result { other = result }
            }
            return (batches, other!)
        }
        var results = [TranscriptScan?](repeating: nil, count: work.count)
        for batch in batches {
            for (index, scan) in batch { results[index] = scan }
        }
        return (results.compactMap { $0 }, other)
    }

    /// Runs blocking work (file and database reads) on a thread of its own, not on the cooperative
    /// pool, whose threads are as many as the cores and must not wait on I/O.
    static func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}

/// Hands out work item indexes, each once, to any number of workers.
final class WorkQueue: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
