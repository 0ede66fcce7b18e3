#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a session's finding into a plan of rows to insert, reading the transcript again in full
/// for the messages the database lacks.
struct RepairPlanner {
    let schema: StoreSchema
    /// Used for rows and sessions that have no time at all.
    let now: Double

    /// Plans one session, or refuses it with the reason; nil when it needs nothing.
    func plan(_ finding: SessionFinding, database: DatabaseSession?) -> Result<SessionRepairPlan?, RepairRefusal> {
        switch finding.status {
        case .ok, .databaseOnly, .databaseAhead:
            return .success(nil)
        case .diverged, .corrupt:
            return .failure(RepairRefusal("\(finding.status.rawValue): \(finding.problems.joined(separator: "; "))"))
        case .truncated, .missing:
            guard let path = finding.transcriptPath, case .databaseIsSubsequence(let matches)? = finding.alignment else {
                return .failure(RepairRefusal("no alignment to plan from"))
            }
            do {
                return .success(try plan(finding.sessionID, path: path, matches: matches, transcriptCount: finding.transcriptMessages,
                                         database: database ?? DatabaseSession(), inFlight: finding.inFlightRows))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Plans against the session's rows but the last `inFlight` ones, which the live agent wrote after the
    /// transcript was read: the backfilled rows go before them, and they stay last.
    private func plan(_ sessionID: String, path: String, matches: [Int], transcriptCount: Int,
                      database: DatabaseSession, inFlight: Int) throws(RepairRefusal) -> SessionRepairPlan {
        guard database.hasDetails else { throw RepairRefusal("the session's rows were not read in detail; run the repair again") }
        let settled = Array(database.fingerprints.dropLast(inFlight))
        let matched = Set(matches)
        let wanted = Set((0..<transcriptCount).filter { !matched.contains($0) })
        let contents: TranscriptContents
        do {
            contents = try TranscriptContents.read(path: path, wanted: wanted)
        } catch {
            throw RepairRefusal("cannot read the transcript again: \(error.detail)")
        }
        // The file may have grown or changed since the scan; plan only from a read that still aligns the same way.
        guard contents.fingerprints.count == transcriptCount,
              Alignment.align(transcript: contents.fingerprints, database: settled)
                == .databaseIsSubsequence(transcriptIndexOfRow: matches) else {
            throw RepairRefusal("the transcript changed while it was being read; run the repair again")
        }
        let fallback = contents.sessionMetaTimestamp ?? contents.messages.values.compactMap(\.timestamp).min() ?? now
        var rows: [SessionRepairPlan.Row] = []
        var placement: [String] = []
        // Gap k holds the missing messages between database row k-1 and row k.
        var gapStart = 0
        for gap in 0...matches.count {
            let gapEnd = gap < matches.count ? matches[gap] : transcriptCount
            defer { gapStart = gapEnd + 1 }
            guard gapStart < gapEnd else { continue }
            let indexes = Array(gapStart..<gapEnd)
            let lower = gap > 0 ? database.timestamps[gap - 1] : nil
            let upper = gap < database.timestamps.count ? database.timestamps[gap] : nil
            guard let times = TimestampPlacement.place(indexes.map { contents.messages[$0]?.timestamp }, after: lower, before: upper,
                                                       fallback: fallback) else {
                throw RepairRefusal("no room to place \(indexes.count) messages between database rows id \(database.rowIDs[gap - 1]) "
                                    + "and id \(database.rowIDs[gap]): both have timestamp \(upper!)")
            }
            for (index, time) in zip(indexes, times) {
                guard let message = contents.messages[index] else { throw RepairRefusal("message \(index + 1) was not read back") }
                rows.append(.init(transcriptIndex: index, message: message, timestamp: time))
            }
            placement.append(describe(count: indexes.count, first: gapStart, gap: gap, database: database))
        }
        return SessionRepairPlan(
            sessionID: sessionID, transcriptPath: path,
            sessionRow: database.hasSessionRow ? nil : sessionRow(sessionID, contents: contents, fallback: fallback),
            rows: rows, expected: database, finalFingerprints: contents.fingerprints + database.fingerprints.suffix(inFlight),
            placement: placement)
    }

    private func describe(count: Int, first: Int, gap: Int, database: DatabaseSession) -> String {
        let messages = "messages \(first + 1)-\(first + count)"
        if database.rowIDs.isEmpty { return "\(count) rows (\(messages))" }
        if gap == 0 { return "\(count) rows before row id \(database.rowIDs[0]) (\(messages))" }
        if gap >= database.rowIDs.count { return "\(count) rows after row id \(database.rowIDs[gap - 1]) (\(messages))" }
        return "\(count) rows between row ids \(database.rowIDs[gap - 1]) and \(database.rowIDs[gap]) (\(messages))"
    }

    /// The session row a missing session gets: what `session_meta` says, where a column of that name exists.
    private func sessionRow(_ sessionID: String, contents: TranscriptContents, fallback: Double) -> [(column: String, value: SQLiteStatement.Value)] {
        let meta = contents.sessionMeta ?? []
        var source = "cli"
        for key in ["source", "platform"] {
            if case .text(let text)? = meta.last(where: { $0.name == key })?.value, !text.isEmpty { source = text; break }
        }
        var row: [(column: String, value: SQLiteStatement.Value)] = [("id", .text(sessionID)), ("source", .text(source)),
                                                                     ("started_at", .real(fallback))]
        let managed: Set<String> = ["id", "source", "started_at", "message_count", "tool_call_count", "role", "timestamp"]
        for (name, value) in meta where !managed.contains(name) && schema.hasSessionColumn(name) {
            row.append((name, value.sqliteValue))
        }
        return row
    }
}

extension TranscriptMessage.Value {
    /// How the value is bound: as Python's sqlite3 binds the decoded JSON value, with lists and objects as their JSON text.
    var sqliteValue: SQLiteStatement.Value {
        switch self {
        case .null: .null
        case .text(let text), .json(let text): .text(text)
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        }
    }
}
