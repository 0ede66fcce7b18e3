extension CodexScanReport {
    /// `scan --since STATE_FILE` on a Codex home. A Codex audit reads every thread again (a home of some thousand threads
    /// is read in well under a second), so the home's section of the state file names the home and holds no thread:
    /// the file keeps working for the runs that share it, the other stores' sections as they were. The state file is
    /// read first (one that holds something else stops the run) and written, atomically, only when the section is new.
    ///
    /// - Throws: as ``scan(_:threadIDs:statuses:)``, ``FsckError/notAStateFile(path:)``, and ``FsckError/output(_:)``
    ///   when the state file cannot be written (it is then left as it was).
    public static func scan(_ home: CodexHome, threadIDs: [String] = [], statuses: [CodexThreadStatus] = [],
                            since statePath: String) throws(FsckError) -> CodexScanReport {
        let loaded = try IncrementalAudit.loadStates(statePath)
        var report = try scan(home, threadIDs: threadIDs, statuses: statuses)
        let key = POSIX.resolved(home.stateDatabase)
        let others = loaded.states.filter { POSIX.resolved($0.database) != key }
        let recorded = loaded.states.contains { POSIX.resolved($0.database) == key && $0.sessions.isEmpty }
        if !recorded || others.count + 1 != loaded.states.count || !loaded.warnings.isEmpty {
            try IncrementalAudit.save([IncrementalAudit.State(database: key, sessions: [:])] + others, to: statePath,
                                      protecting: home.ownFiles)
        }
        report.warnings = loaded.warnings + report.warnings
        return report
    }
}
