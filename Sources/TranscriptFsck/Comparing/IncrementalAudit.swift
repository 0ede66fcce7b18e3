#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `scan --since STATE_FILE`: reads again only the sessions whose transcripts (size, modification
/// time) or database rows (count, newest id) changed since the audit that wrote the state file, and
/// takes the others' findings from it. The state file is rewritten atomically after each run.
public struct IncrementalAudit: Sendable {
    public let scanner: StoreScanner
    public let statePath: String

    public init(scanner: StoreScanner, statePath: String) {
        self.scanner = scanner
        self.statePath = statePath
    }

    struct State {
        var database: String
        var sessions: [SessionID: Entry]
    }

    struct Entry {
        var files: [String: FileStamp]
        var rows: Int
        var newestRowID: Int64
        var finding: SessionFinding
    }

    public func run(progress: (any ScanObserver)? = nil) async throws(FsckError) -> ScanReport {
        let clock = ContinuousClock()
        let started = clock.now
        let location = scanner.location
        var warnings: [StoreWarning] = []
        var previous = try loadState(warnings: &warnings)
        if previous?.database != location.database { previous = nil }

        let discovery = try TranscriptDiscovery.find(roots: location.transcriptRoots)
        let statistics = try DatabaseReader.rowStatistics(path: location.database)
        var ids = Set(discovery.transcripts.keys).union(statistics.keys)
        if !scanner.sessionIDs.isEmpty {
            if let unknown = scanner.sessionIDs.first(where: { !ids.contains($0) }) { throw scanner.unknownSession(unknown) }
            ids.formIntersection(scanner.sessionIDs)
        }
        func stamps(_ id: SessionID) -> [String: FileStamp] {
            Dictionary(uniqueKeysWithValues: (discovery.transcripts[id] ?? []).compactMap { path in discovery.stamps[path].map { (path, $0) } })
        }
        let unchanged = ids.filter { id in
            guard let entry = previous?.sessions[id] else { return false }
            let rows = statistics[id] ?? (0, 0)
            return entry.files == stamps(id) && entry.rows == rows.count && entry.newestRowID == rows.newest
        }
        let changed = ids.subtracting(unchanged).sorted()

        var collected: StoreScanner.Collected?
        if !changed.isEmpty {
            var fresh = scanner
            fresh.sessionIDs = changed
            collected = try await fresh.collect(progress: progress)
        }
        // One table of entries, updated in place (three copies of it were most of an unchanged run's memory): the
        // sessions read again replace theirs, and without --session the entries of sessions gone are dropped.
        let hadState = previous != nil
        var sessions = previous?.sessions ?? [:]
        previous = nil
        let gone = scanner.sessionIDs.isEmpty ? sessions.keys.filter { !ids.contains($0) } : []
        for id in gone { sessions[id] = nil }
        var findings: [SessionFinding] = []
        findings.reserveCapacity(ids.count)
        for finding in collected?.report.findings ?? [] where ids.contains(finding.sessionID) {
            let id = finding.sessionID
            let rows = statistics[id] ?? (0, 0)
            sessions[id] = Entry(files: stamps(id), rows: rows.count, newestRowID: rows.newest, finding: finding)
            findings.append(finding)
        }
        for id in unchanged { findings.append(sessions[id]!.finding) }
        findings.sort { $0.sessionID < $1.sessionID }
        // An audit that changed nothing leaves the file alone (rewriting it was half the time of an unchanged run of
        // 50,000 sessions).
        if !changed.isEmpty || !gone.isEmpty || !hadState {
            try saveState(State(database: location.database, sessions: sessions))
        }

        var report = ScanReport(location: location, findings: findings,
                                warnings: warnings + (collected?.report.warnings ?? discovery.unread.map(StoreWarning.notRead)),
                                transcriptBytes: collected?.report.transcriptBytes ?? 0, storedBytes: collected?.report.storedBytes ?? 0,
                                duration: clock.now - started)
        report.unchangedSkipped = unchanged.count
        return report.filtered(by: scanner.filter)
    }

    /// The state an earlier run wrote; nil when there is none, or it is unreadable (said in `warnings`). A file that is
    /// not a state file at all is refused, never replaced: `--since` names a file it would overwrite.
    private func loadState(warnings: inout [StoreWarning]) throws(FsckError) -> State? {
        let descriptor = open(statePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno != ENOENT { warnings.append(.stateFileUnopenable(path: statePath, errno: errno)) }
            return nil
        }
        defer { POSIX.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.read(descriptor, into: $0) }
            if count <= 0 { break }
            bytes += chunk.prefix(count)
        }
        do {
            return try AuditStateFile.decode(bytes)
        } catch {
            switch error {
            case .defect(1, .notAStateFile) where !bytes.isEmpty:
                throw .io(path: statePath, detail: "is not a transcript-fsck state file; name a new file, or the one an earlier "
                          + "scan --since wrote; nothing was read or written")
            case .defect(let line, let defect):
                warnings.append(.stateFileUnreadable(path: statePath, line: line, reason: defect))
            case .otherVersion(let found):
                warnings.append(.stateFileOfAnotherVersion(path: statePath, found: found, expected: AuditStateFile.version))
            }
            return nil
        }
    }

    private func saveState(_ state: State) throws(FsckError) {
        try scanner.location.writeOutput(AuditStateFile.encode(state), to: statePath)
    }
}
