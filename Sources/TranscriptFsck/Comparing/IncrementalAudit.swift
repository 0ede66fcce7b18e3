#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
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

    struct State: Codable {
        var version = 1
        var database: String
        var sessions: [String: Entry]
    }

    struct Entry: Codable {
        var files: [String: FileStamp]
        var rows: Int
        var newestRowID: Int64
        var facts: SessionFacts?
        var finding: StoredFinding
    }

    /// The parts of a finding a report shows.
    struct StoredFinding: Codable {
        var status: SessionStatus
        var transcriptPath: String?
        var transcriptPaths: [String]
        var transcriptMessages: Int
        var databaseMessages: Int
        var missingMessages: Int
        var problems: [String]
        var warnings: [String]

        init(_ finding: SessionFinding) {
            status = finding.status
            transcriptPath = finding.transcriptPath
            transcriptPaths = finding.transcriptPaths
            transcriptMessages = finding.transcriptMessages
            databaseMessages = finding.databaseMessages
            missingMessages = finding.missingMessages
            problems = finding.problems
            warnings = finding.warnings
        }

        func finding(_ id: String) -> SessionFinding {
            SessionFinding(sessionID: id, status: status, transcriptPath: transcriptPath, transcriptPaths: transcriptPaths,
                           transcriptMessages: transcriptMessages, databaseMessages: databaseMessages,
                           missingMessages: missingMessages, problems: problems, warnings: warnings, alignment: nil)
        }
    }

    public func run(progress: ScanProgress? = nil) async throws(FsckError) -> ScanReport {
        let clock = ContinuousClock()
        let started = clock.now
        let location = scanner.location
        var warnings: [String] = []
        var previous = loadState(warnings: &warnings)
        if previous?.database != location.database { previous = nil }

        let discovery = try TranscriptDiscovery.find(roots: location.transcriptRoots)
        try SessionIDSpelling.check(transcriptIDs: discovery.transcripts.keys,
                                    databaseIDs: DatabaseReader.sessionIDs(path: location.database), database: location.database)
        let statistics = try DatabaseReader.rowStatistics(path: location.database)
        var ids = Set(discovery.transcripts.keys).union(statistics.keys)
        if !scanner.sessionIDs.isEmpty {
            if let unknown = scanner.sessionIDs.first(where: { !ids.contains($0) }) { throw scanner.unknownSession(unknown) }
            ids.formIntersection(scanner.sessionIDs)
        }
        func stamps(_ id: String) -> [String: FileStamp] {
            Dictionary(uniqueKeysWithValues: (discovery.transcripts[id] ?? []).compactMap { path in discovery.stamps[path].map { (path, $0) } })
        }
        let unchanged = ids.filter { id in
            guard let entry = previous?.sessions[id] else { return false }
            let rows = statistics[id] ?? (0, 0)
            return entry.files == stamps(id) && entry.rows == rows.count && entry.newestRowID == rows.newest
        }
        let changed = ids.subtracting(unchanged).sorted()

        var entries: [String: Entry] = [:]
        var findings: [SessionFinding] = []
        var collected: StoreScanner.Collected?
        if !changed.isEmpty {
            var fresh = scanner
            fresh.sessionIDs = changed
            collected = try await fresh.collect(progress: progress)
        }
        for finding in collected?.report.findings ?? [] where ids.contains(finding.sessionID) {
            let id = finding.sessionID
            let rows = statistics[id] ?? (0, 0)
            entries[id] = Entry(files: stamps(id), rows: rows.count, newestRowID: rows.newest,
                                facts: collected?.snapshot.sessions[id].map(SessionFacts.init), finding: StoredFinding(finding))
            findings.append(finding)
        }
        for id in unchanged {
            let entry = previous!.sessions[id]!
            entries[id] = entry
            findings.append(entry.finding.finding(id))
        }
        findings.sort { $0.sessionID < $1.sessionID }
        try saveState(State(database: location.database, sessions: entries))

        var report = ScanReport(location: location, findings: findings,
                                warnings: warnings + (collected?.report.warnings ?? discovery.warnings),
                                transcriptBytes: collected?.report.transcriptBytes ?? 0, storedBytes: collected?.report.storedBytes ?? 0,
                                duration: clock.now - started)
        report.unchangedSkipped = unchanged.count
        return report.filtered(by: scanner.filter) { entries[$0]?.facts }
    }

    private func loadState(warnings: inout [String]) -> State? {
        guard FileManager.default.fileExists(atPath: statePath) else { return nil }
        do {
            return try JSONDecoder().decode(State.self, from: Data(contentsOf: URL(fileURLWithPath: statePath)))
        } catch {
            warnings.append("\(statePath): unreadable state file, every session was read again (\(Self.reason(error)))")
            return nil
        }
    }

    /// What is wrong with the file, in a phrase: the decoder's own description, not a generic "could not be read".
    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context)?, .keyNotFound(_, let context)?, .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return context.debugDescription
        default:
            return "\(error)"
        }
    }

    private func saveState(_ state: State) throws(FsckError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw .io(path: statePath, detail: "cannot encode the audit state: \(error)")
        }
        try AtomicFile.write(Array(data), to: statePath, protecting: scanner.location)
    }
}
