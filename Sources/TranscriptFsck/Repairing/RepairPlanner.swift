
/// Turns a session's finding into a plan of rows to insert, reading the transcript again in full
/// for the messages the database lacks.
struct RepairPlanner {
    let format: any AgentFormat
    /// Used for rows and sessions that have no time at all.
    let now: Double

    /// Plans one session, or refuses it with the reason; nil when it needs nothing.
    func plan(_ finding: SessionFinding, database: DatabaseSession?) -> Result<SessionRepairPlan?, RepairRefusal> {
        switch finding.status {
        case .ok, .databaseOnly, .databaseAhead:
            return .success(nil)
        case .diverged, .corrupt:
            return .failure(finding.problem.map(RepairRefusal.needsAPerson) ?? RepairRefusal("no problem recorded"))
        case .truncated, .missing, .continued:
            let matches: [Int], following: Int
            switch finding.alignment {
            case .databaseIsSubsequence(let explained)?: (matches, following) = (explained, 0)
            case .databaseContinues(let explained, let rows)?: (matches, following) = (explained, rows)
            default: return .failure(RepairRefusal("no alignment to plan from"))
            }
            guard let path = finding.transcriptPath else { return .failure(RepairRefusal("no transcript to plan from")) }
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
    private func plan(_ sessionID: String, path: String, matches: [Int], transcriptCount: Int,
                      database: DatabaseSession, following: Int) throws(RepairRefusal) -> SessionRepairPlan {
        guard database.hasDetails else { throw RepairRefusal("the session's rows were not read in detail; run the repair again") }
        let settled = Array(database.fingerprints.dropLast(following))
        let matched = Set(matches)
        let wanted = Set((0..<transcriptCount).filter { !matched.contains($0) })
        let contents: TranscriptContents
        do {
            contents = try TranscriptContents.read(path: path, wanted: wanted)
        } catch {
            throw RepairRefusal("cannot read the transcript again: \(error.detail)")
        }
        // The file may have grown or changed since the scan; plan only from a read that still aligns the same way.
        let realigned = Alignment.align(transcript: contents.fingerprints, database: settled)
        guard contents.fingerprints.count == transcriptCount,
              realigned == .databaseIsSubsequence(transcriptIndexOfRow: matches)
                || (matches.count == transcriptCount && realigned == .identical) else {
            throw RepairRefusal("the transcript changed while it was being read; run the repair again")
        }
        let fallback = contents.sessionMetaTimestamp ?? contents.messages.values.compactMap(\.timestamp).min() ?? now
        var gaps: [SessionRepairPlan.Gap] = []
        var placement: [String] = []
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
                guard let message = contents.messages[index] else { throw RepairRefusal("message \(index + 1) was not read back") }
                rows.append(.init(transcriptIndex: index, message: message, timestamp: time, flags: flags))
            }
            gaps.append(.init(beforeRowID: next.map { database.rowIDs[$0] }, rows: rows))
            placement.append(describe(count: indexes.count, first: gapStart, next: next, database: database, flags: flags))
        }
        if let first = gaps.compactMap(\.beforeRowID).min() {
            if let hazard = format.schema.rowMoveHazards.first {
                throw RepairRefusal("the lost messages belong before row id \(first), and rows cannot be given new ids safely here: \(hazard)")
            }
            let moved = database.rowIDs.count { $0 >= first }
            placement.append("\(moved) rows from row id \(first) on get new ids behind them, every value kept")
        }
        return SessionRepairPlan(
            sessionID: sessionID, transcriptPath: path,
            sessionRow: database.hasSessionRow ? nil : format.sessionRow(id: sessionID, meta: contents.sessionMeta ?? [], startedAt: fallback),
            gaps: gaps, expected: database, finalFingerprints: contents.fingerprints + database.fingerprints.suffix(following),
            placement: placement)
    }

    /// The flags backfilled rows take from their neighbours: the archive of an in-place compaction when the row
    /// after them was compacted away; undone only inside an undone run; else the columns' defaults (live).
    static func flags(before next: RowFlags?, after previous: RowFlags?) -> RowFlags? {
        guard let next else { return nil }
        if next == .archived { return .archived }
        if next == .undone, previous == .undone { return .undone }
        return nil
    }

    private func describe(count: Int, first: Int, next: Int?, database: DatabaseSession, flags: RowFlags?) -> String {
        let messages = "messages \(first + 1)-\(first + count)"
        let kind = flags == .archived ? " (archived, as the rows after them)" : flags == .undone ? " (undone, as the rows around them)" : ""
        guard let next else {
            if database.rowIDs.isEmpty { return "\(count) rows (\(messages))\(kind)" }
            return "\(count) rows after row id \(database.rowIDs[database.rowIDs.count - 1]) (\(messages))\(kind)"
        }
        return "\(count) rows before row id \(database.rowIDs[next]) (\(messages))\(kind)"
    }
}
