/// `scan --since STATE_FILE`: reads again only the sessions whose transcripts (size, modification
/// time) or database rows (count, newest id) changed since the audit that wrote the state file, and
/// takes the others' findings from it. The state file is rewritten atomically after each run.
public struct IncrementalAudit: Sendable {
    let scanner: StoreScanner
    let statePath: String

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

    /// Audits the store as `scan --since STATE_FILE` does: the sessions that changed are read again, the others' findings
    /// come from the state file, and the state file is rewritten for the next run.
    ///
    /// A session counts as unchanged when its transcripts' paths, sizes and modification times and its database rows'
    /// count and newest id are those the state file holds for it. A session new or touched is read as a full scan reads
    /// it, one gone is dropped from the state. The report is the one a full scan would give, with
    /// ``ScanReport/unchangedSkipped`` saying how many findings were taken over.
    ///
    /// The state file keeps a section per store (keyed by the database's resolved path), and this run replaces only its
    /// own. It is written only when something differs, atomically (a temporary file renamed over it), and never over the
    /// store's own files. No lock is taken: the database is only read, as a scan reads it. A missing state file starts
    /// the store afresh; so does one of another version or one that cannot be read, with a warning in the report.
    ///
    /// - Returns: The scan's report, with the warnings of the state file's reading first.
    /// - Throws: ``FsckError`` as ``StoreScanner/scan(progress:)`` does (no database, unreadable transcripts, an unknown
    ///   `--session`, ...), ``FsckError/notAStateFile(path:)`` when the state file holds something else, and
    ///   ``FsckError/output(_:)`` when it cannot be written; the state file is then left as it was.
    public func run(progress: (any ScanObserver)? = nil) async throws(FsckError) -> ScanReport {
        let clock = ContinuousClock()
        let started = clock.now
        var loaded = try Self.loadStates(statePath)
        let database = POSIX.resolved(scanner.location.database)
        let previous = loaded.states.firstIndex { POSIX.resolved($0.database) == database }.map { loaded.states.remove(at: $0) }
        var (report, state, changed) = try await audit(previous: previous, progress: progress)
        if changed {
            try Self.save([state] + loaded.states, to: statePath, protecting: scanner.location.ownFiles)
        }
        report.warnings = loaded.warnings + report.warnings
        report.duration = clock.now - started
        return report
    }

    /// `--since` over several stores, one state file: a section per store, each read and replaced as one store's run
    /// reads and replaces its file. A store that fails keeps its section, as do stores this run does not look at.
    public static func run(stores: [NamedStore], statePath: String, jobs: Int, progress: (any StoreSetObserver)? = nil,
                           scanner: @escaping @Sendable (NamedStore, Int) -> StoreScanner) async throws(FsckError) -> StoreSetReport<ScanReport> {
        let loaded = try loadStates(statePath)
        // Keyed by the file the path names, so that a run with a relative path finds the section an absolute one wrote.
        let previous = Dictionary(loaded.states.map { (POSIX.resolved($0.database), $0) }, uniquingKeysWith: { first, _ in first })
        // A state's `database` is resolved when written (`audit`): each store's key is its resolved path too.
        let written = Locked<[String: (state: State, changed: Bool)]>([:])
        let set = await StoreSetReport.run(stores, jobs: jobs, progress: progress) { store, jobs throws(FsckError) in
            let audit = IncrementalAudit(scanner: scanner(store, jobs), statePath: statePath)
            let (report, state, changed) = try await audit.audit(previous: previous[POSIX.resolved(store.location.database)], progress: nil)
            written.withLock { $0[state.database] = (state, changed) }
            return report
        }
        let fresh = written.withLock { $0 }
        let databases = stores.map { POSIX.resolved($0.location.database) }
        if fresh.values.contains(where: \.changed) || fresh.keys.contains(where: { previous[$0] == nil }) {
            let ours = Set(databases)
            let states = databases.compactMap { fresh[$0]?.state ?? previous[$0] }
                + loaded.states.filter { !ours.contains(POSIX.resolved($0.database)) }
            try save(states, to: statePath, protecting: stores.flatMap(\.location.ownFiles))
        }
        return StoreSetReport(entries: set.entries, warnings: loaded.warnings, duration: set.duration)
    }

    /// One store's audit against its previous state: the report, the state to keep, and whether it differs from before.
    private func audit(previous: State?, progress: (any ScanObserver)?) async throws(FsckError) -> (ScanReport, State, changed: Bool) {
        let clock = ContinuousClock()
        let started = clock.now
        let location = scanner.location
        var previous = previous

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
        // A path spelt another way (`--home .` after `--home /srv/hermes`) is the same file when its directory resolves
        // to the same one; asked only when the spellings differ, a directory once.
        var resolvedDirectories: [Substring: String] = [:]
        func resolved(_ path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return path }
            let directory = path[..<slash]
            if let known = resolvedDirectories[directory] { return known + path[slash...] }
            let resolved = POSIX.resolved(String(directory))
            resolvedDirectories[directory] = resolved
            return resolved + path[slash...]
        }
        func sameFiles(_ before: [String: FileStamp], _ now: [String: FileStamp]) -> Bool {
            if before == now { return true }
            guard before.count == now.count else { return false }
            return now.allSatisfy { before[resolved($0.key)] == $0.value }
        }
        let unchanged = ids.filter { id in
            guard let entry = previous?.sessions[id] else { return false }
            let rows = statistics[id] ?? (0, 0)
            return entry.rows == rows.count && entry.newestRowID == rows.newest && sameFiles(entry.files, stamps(id))
        }
        let changed = ids.subtracting(unchanged).sorted()

        var collected: StoreScanner.Collected?
        if !changed.isEmpty {
            var fresh = scanner
            fresh.sessionIDs = changed
            collected = try await fresh.collect(progress: progress, discovery: discovery)
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
            // Kept by absolute path: a relative one would mean another file to a run from another directory.
            let files = Dictionary(stamps(id).map { (resolved($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
            sessions[id] = Entry(files: files, rows: rows.count, newestRowID: rows.newest, finding: finding)
            findings.append(finding)
        }
        for id in unchanged { findings.append(sessions[id]!.finding) }
        findings.sort { $0.sessionID < $1.sessionID }
        var report = ScanReport(location: location, findings: findings,
                                warnings: collected?.report.warnings ?? discovery.unread.map(StoreWarning.notRead),
                                transcriptBytes: collected?.report.transcriptBytes ?? 0, storedBytes: collected?.report.storedBytes ?? 0,
                                duration: clock.now - started)
        report.unchangedSkipped = unchanged.count
        // An audit that changed nothing leaves the file alone (rewriting it was half the time of an unchanged run of
        // 50,000 sessions).
        return (report.filtered(by: scanner.filter), State(database: POSIX.resolved(location.database), sessions: sessions),
                !changed.isEmpty || !gone.isEmpty || !hadState)
    }

    /// The sections an earlier run wrote, and what was wrong with the file; no sections when there is none, or it is
    /// unreadable (said in the warnings). A file that is not a state file at all is refused, never replaced: `--since`
    /// names a file it would overwrite.
    static func loadStates(_ statePath: String) throws(FsckError) -> (states: [State], warnings: [StoreWarning]) {
        let bytes: [UInt8]
        do { bytes = try FileDescriptor.contents(of: statePath) } catch {
            return ([], error == .notFound ? [] : [.stateFileUnopenable(path: statePath, errno: error.rawValue)])
        }
        do {
            return (try AuditStateFile.decode(bytes), [])
        } catch {
            switch error {
            case .defect(1, .notAStateFile) where !bytes.isEmpty:
                throw .notAStateFile(path: statePath)
            case .defect(let line, let defect):
                return ([], [.stateFileUnreadable(path: statePath, line: line, reason: defect)])
            case .otherVersion(let found):
                return ([], [.stateFileOfAnotherVersion(path: statePath, found: found, expected: AuditStateFile.version)])
            }
        }
    }

    static func save(_ states: [State], to statePath: String, protecting files: [(name: String, path: String)]) throws(FsckError) {
        do {
            try AtomicFile.write(Array(AuditStateFile.encode(states).utf8), to: statePath, protecting: files)
        } catch {
            throw .output(error)
        }
    }
}
