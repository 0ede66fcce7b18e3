import Dispatch
import Synchronization

/// Scans a whole store: every transcript and the database in one snapshot, then compares each session.
///
/// `jobs` is the number of threads: one of them reads the database first, then joins the others on
/// the transcripts, and each session is compared as soon as both sides are in (ComparisonStage).
/// A database snapshot taken before a transcript is read may miss messages the agent wrote
/// meanwhile, which can only make the database look behind at a transcript's end; so every session
/// that looks like a problem is read again from the database once all transcripts are read, and
/// judged on that newer read.
public struct StoreScanner: Sendable {
    var location: StoreLocation
    /// Only these sessions, when not empty.
    var sessionIDs: [SessionID] = []
    /// Transcripts read at once.
    var jobs = 1
    var filter = SessionFilter()

    public init(location: StoreLocation, sessionIDs: [SessionID] = [], jobs: Int = 1, filter: SessionFilter = SessionFilter()) {
        self.location = location
        self.sessionIDs = sessionIDs
        self.jobs = max(1, jobs)
        self.filter = filter
    }

    /// Runs the scan; `progress` hears of every transcript finished.
    public func scan(progress: (any ScanObserver)? = nil) async throws(FsckError) -> ScanReport {
        let collected = try await collect(progress: progress)
        return collected.report.filtered(by: filter)
    }

    /// Everything a scan read, kept for a repair to plan from.
    struct Collected: Sendable {
        let report: ScanReport
        let snapshot: DatabaseSnapshot
        /// Each session's transcript files.
        let transcripts: [SessionID: [String]]
        let stamps: [String: FileStamp]
    }

    /// Reads both stores and compares them, keeping what was read; `filter` is not applied here
    /// (callers that report apply it, so that what is kept covers every session read).
    /// `discovery`, when given, is the transcript tree as a caller already walked it (`--since` needs it first, to
    /// tell which sessions changed), so that the tree is walked once a run.
    func collect(progress: (any ScanObserver)? = nil, discovery given: TranscriptDiscovery? = nil) async throws(FsckError) -> Collected {
        let clock = ContinuousClock()
        let started = clock.now
        // Fail on an unusable database before the (possibly long) transcript pass, and note the newest row:
        // rows above it may be written by a live agent after their transcript was read.
        let identity = POSIX.fileIdentity(location.database)
        let watermark = try DatabaseReader.newestRowID(path: location.database)
        var discovery = if let given { given } else { try TranscriptDiscovery.find(roots: location.transcriptRoots) }
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
        let stage = ComparisonStage(filesPerSession: discovery.transcripts.mapValues(\.count), watermark: watermark)
        let failure = await Self.scanAll(work, jobs: jobs, progress: progress, stage: stage) { () throws(FsckError) in
            try DatabaseReader.snapshot(path: database, sessionIDs: onlySessions)
        }
        progress?.finish()
        if let failure { throw failure }
        let stageResult = stage.finish()
        var snapshot = stageResult.snapshot
        var findings = stageResult.findings

        // Problem sessions are read again, in detail: a newer read for live writes, and row ids for placing and naming rows.
        // SQLite reads on from a file unlinked under it: a report of it would describe a database that is gone.
        func stillTheSameFile() throws(FsckError) {
            guard POSIX.fileIdentity(database) == identity else { throw .databaseReplaced(path: database) }
        }
        try stillTheSameFile()
        let suspects = findings.values.filter { $0.status.isProblem }.map(\.sessionID)
        if !suspects.isEmpty {
            let fresh: DatabaseSnapshot
            do {
                fresh = try DatabaseReader.snapshot(path: database, sessionIDs: suspects)
            } catch {
                try stillTheSameFile()
                throw error
            }
            for id in suspects {
                snapshot.sessions[id] = fresh.sessions[id]
                findings[id] = SessionComparison.compare(sessionID: id, transcripts: stageResult.kept[id] ?? [],
                                                         database: fresh.sessions[id], writtenAfterRowID: watermark)
            }
        }
        try judgeUnknownSessions(&findings, transcripts: stageResult.kept, snapshot: snapshot)
        try stillTheSameFile()
        // A session named with --session that neither store holds is a mistake, not a clean result.
        if let unknown = sessionIDs.first(where: { findings[$0] == nil }) { throw unknownSession(unknown) }
        let findingsInOrder = findings.keys.sorted().map { findings[$0]! }
        let report = ScanReport(location: location, findings: findingsInOrder,
                                warnings: discovery.unread.map(StoreWarning.notRead) + strangers(discovery, snapshot),
                                transcriptBytes: stageResult.transcriptBytes, storedBytes: stageResult.storedBytes,
                                duration: clock.now - started)
        return Collected(report: report, snapshot: snapshot, transcripts: discovery.transcripts, stamps: discovery.stamps)
    }

    /// The warning that no transcript belongs to the database, when both have sessions and none is in both.
    private func strangers(_ discovery: TranscriptDiscovery, _ snapshot: DatabaseSnapshot) -> [StoreWarning] {
        guard sessionIDs.isEmpty, !discovery.transcripts.isEmpty, !snapshot.sessions.isEmpty,
              !discovery.transcripts.keys.contains(where: { snapshot.sessions[$0] != nil }) else { return [] }
        return [.noTranscriptMatchesTheDatabase(transcriptsDirectory: location.transcriptRoots, database: location.database,
                                                transcripts: discovery.transcripts.count, databaseSessions: snapshot.sessions.count)]
    }

    /// Transcripts of which the database has no trace at all: deleted by the user, or never recorded (`DeletionEvidence`).
    private func judgeUnknownSessions(_ findings: inout [SessionID: SessionFinding], transcripts: [SessionID: [TranscriptScan]],
                                      snapshot: DatabaseSnapshot) throws(FsckError) {
        let unknown = findings.values.filter { $0.problem == .noRows(transcriptMessages: $0.transcriptMessages, sessionRowExists: false) }
        guard !unknown.isEmpty else { return }
        do {
            let connection = try StoreDatabase.open(path: location.database)
            let evidence = DeletionEvidence(connection: connection)
            // The transcripts' local times, as this machine's zone reads them, moved to the database's clock.
            let offset = DeletionEvidence.transcriptClockOffset(findings.keys.sorted().map { findings[$0]! }) { id in
                if let known = snapshot.sessions[id], known.hasDetails { return known }
                return try? DatabaseReader.readSession(id, format: snapshot.format, connection: connection)
            }
            for finding in unknown {
                // The session's time, from its transcript's own first and last messages (a copied file's modification
                // time says when it was copied); the modification time only where the messages have no time.
                // Taken by the scan as it read the file (reading it again cost as much as the scan of it).
                guard let path = finding.transcriptPath,
                      let scan = transcripts[finding.sessionID]?.first(where: { $0.path == path }) else { continue }
                let first = (scan.sessionMetaTime ?? scan.firstMessageTime).map { $0 + offset }
                guard let last = scan.lastMessageTime.map({ $0 + offset })
                        ?? (transcripts[finding.sessionID] ?? []).compactMap(\.modified).max() else { continue }
                let verdict = try evidence.judge(first: first, last: last)
                findings[finding.sessionID] = finding.judged(verdict)
            }
        } catch let error as FsckError {
            throw error
        } catch {
            throw FsckError(reading: error, path: location.database)
        }
    }

    /// The error for a `--session` that neither store holds.
    func unknownSession(_ id: SessionID) -> FsckError {
        .sessionNotFound(id: id, database: location.database)
    }

    /// Reads the database first on one worker, and the transcripts with `jobs` workers, each taking the
    /// next file until none is left; everything read goes to `stage`. Returns the database pass's failure, if any.
    static func scanAll(_ work: [(SessionID, String)], jobs: Int, progress: (any ScanObserver)?, stage: ComparisonStage,
                        readDatabase: @escaping @Sendable () throws(FsckError) -> DatabaseSnapshot) async -> FsckError? {
        let queue = WorkQueue(count: work.count)
        return await withTaskGroup(of: FsckError?.self) { group in
            for worker in 0..<max(1, jobs) {
                group.addTask {
                    await onOwnThread {
                        var failure: FsckError?
                        if worker == 0 {
                            do throws(FsckError) {
                                stage.databaseReady(try readDatabase())
                            } catch {
                                failure = error
                                queue.cancel()
                            }
                        }
                        while let index = queue.take() {
                            let scan = TranscriptScan.scan(path: work[index].1, sessionID: work[index].0)
                            progress?.transcriptDone(uncompressedBytes: scan.uncompressedBytes)
                            stage.submit(scan)
                        }
                        return failure
                    }
                }
            }
            var failure: FsckError?
            for await result in group where result != nil { failure = result }
            return failure
        }
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
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next index, or nil when all are taken (or the work was cancelled).
    func take() -> Int? {
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    func cancel() { next.store(Int.max / 2, ordering: .relaxed) }
}
