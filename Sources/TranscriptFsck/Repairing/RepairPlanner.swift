
/// Turns a session's finding into a plan of rows to insert, reading the transcript again in full
/// for the messages the database lacks.
struct RepairPlanner {
    let format: any AgentFormat
    let lineage: Lineage
    /// Whether sessions of which the database has no trace are created: `--create-missing` for those never recorded;
    /// those the user deleted only when named with `--session`.
    var createMissing = false
    var named: Set<SessionID> = []
    /// Used for rows and sessions that have no time at all.
    let now: Double

    /// Plans one session, or refuses it with the reason; nil when it needs nothing.
    func plan(_ finding: SessionFinding, database: DatabaseSession?) -> Result<SessionRepairPlan?, RepairRefusal> {
        let unknownToTheDatabase = finding.problem == .noRows(transcriptMessages: finding.transcriptMessages, sessionRowExists: false)
            || finding.status == .deleted
        if unknownToTheDatabase, !named.contains(finding.sessionID) {
            if finding.status == .deleted { return .failure(RepairRefusal(.leftDeleted)) }
            if !createMissing { return .failure(RepairRefusal(.createdOnlyWhenAsked)) }
        }
        switch finding.status {
        case .ok, .databaseOnly, .databaseAhead:
            return .success(nil)
        case .diverged, .corrupt:
            return .failure(RepairRefusal(finding.problem.map(RepairReason.needsAPerson) ?? .nothingToPlanFrom(finding.status)))
        case .truncated, .missing, .continued, .deleted:
            let matches: [Int], following: Int
            switch finding.alignment {
            case .databaseIsSubsequence(let explained)?: (matches, following) = (explained, 0)
            case .databaseContinues(let explained, let rows)?: (matches, following) = (explained, rows)
            default: return .failure(RepairRefusal(.nothingToPlanFrom(finding.status)))
            }
            guard let path = finding.transcriptPath else { return .failure(RepairRefusal(.nothingToPlanFrom(finding.status))) }
            do {
                return .success(try plan(finding.sessionID, path: path, matches: matches, transcriptCount: finding.transcriptMessages,
                                         database: database ?? DatabaseSession(), following: following + finding.inFlightRows))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Plans against the session's rows but the last `following` ones, which the transcript never saw (the session
    /// went on after an upgrade, or the live agent wrote them after the transcript was read): they stay last.
    private func plan(_ sessionID: SessionID, path: String, matches: [Int], transcriptCount: Int,
                      database: DatabaseSession, following: Int) throws(RepairRefusal) -> SessionRepairPlan {
        guard database.hasDetails else { throw RepairRefusal(.rowsNotReadInDetail) }
        let settled = Array(database.fingerprints.dropLast(following))
        let matched = Set(matches)
        let wanted = Set((0..<transcriptCount).filter { !matched.contains($0) })
        let contents: TranscriptContents
        do {
            contents = try TranscriptContents.read(path: path, wanted: wanted)
        } catch {
            throw RepairRefusal(.transcriptUnreadable(error))
        }
        // The file may have grown or changed since the scan; plan only from a read that still aligns the same way.
        let realigned = Alignment.align(transcript: contents.fingerprints, database: settled)
        guard contents.fingerprints.count == transcriptCount,
              realigned == .databaseIsSubsequence(transcriptIndexOfRow: matches)
                || (matches.count == transcriptCount && realigned == .identical) else {
            throw RepairRefusal(.transcriptChanged)
        }
        let fallback = contents.sessionMetaTimestamp ?? contents.messages.values.compactMap(\.timestamp).min() ?? now
        var gaps: [SessionRepairPlan.Gap] = []
        // Gap g holds the missing messages that go before database row g (the g-th matched row, or for the last
        // gap the first row the transcript never saw); a gap with no row after it goes after every row.
        var gapStart = 0
        for gap in 0...matches.count {
            let gapEnd = gap < matches.count ? matches[gap] : transcriptCount
            defer { gapStart = gapEnd + 1 }
            guard gapStart < gapEnd else { continue }
            let indexes = Array(gapStart..<gapEnd)
            let next = gap < database.rowIDs.count ? gap : nil
            let times = TimestampPlacement.place(indexes.map { contents.messages[$0]?.timestamp },
                                                 after: gap > 0 ? database.timestamps[gap - 1] : nil,
                                                 before: next.map { database.timestamps[$0] }, fallback: fallback)
            let flags = Self.flags(before: next.flatMap { database.flags[$0] }, after: gap > 0 ? database.flags[gap - 1] : nil)
            var rows: [SessionRepairPlan.Row] = []
            for (index, time) in zip(indexes, times) {
                guard let message = contents.messages[index] else { throw RepairRefusal(.messageNotReadBack(index + 1)) }
                rows.append(.init(transcriptIndex: index, toolCalls: message.toolCallCount, timestamp: time, flags: flags))
            }
            gaps.append(.init(beforeRowID: next.map { database.rowIDs[$0] }, rows: rows))
        }
        return SessionRepairPlan(
            sessionID: sessionID, transcriptPath: path, transcriptMessages: contents.fingerprints.count,
            sessionRow: database.hasSessionRow ? nil : format.sessionRow(id: sessionID, meta: contents.sessionMeta ?? [], startedAt: fallback),
            gaps: gaps, expected: database, finalFingerprints: contents.fingerprints + database.fingerprints.suffix(following),
            ancestors: lineage.ancestors(of: sessionID), descendants: lineage.descendants(of: sessionID))
    }

    /// The flags backfilled rows take from their neighbours: the archive of an in-place compaction when a row beside
    /// them was compacted away; undone only inside an undone run; else the columns' defaults (live).
    static func flags(before next: RowFlags?, after previous: RowFlags?) -> RowFlags? {
        // Everything before a compaction's output was archived by it, the newest of those messages too.
        if next == .archived || previous == .archived { return .archived }
        guard let next else { return nil }
        if next == .undone, previous == .undone { return .undone }
        return nil
    }
}
