/// Tells a session the user deleted from one the agent never recorded, for a transcript of which the database has
/// no trace at all (no session row, no message).
///
/// The agent's own delete leaves transcripts behind: `hermes sessions delete` removes only the top-level
/// `sessions/<id>.jsonl`, and the dashboard, bulk delete and the ACP adapter call `delete_session` without the
/// sessions folder. It keeps no tombstone (hermes-agent 0.13.0 to 0.19.0), but what it deletes leaves ids behind:
/// message ids come from AUTOINCREMENT and are never given out again, so the rows of a deleted session are free ids
/// among the rows of its time. A session that never reached the database (every write of it lost to "database is
/// locked", or a legacy session from before the SQLite store) freed none.
final class DeletionEvidence {
    let connection: SQLiteConnection
    /// Every row's `(timestamp, id)` among the ids AUTOINCREMENT gives out, in that order: read once, when the first
    /// session needs it (no index serves a look-up by time alone, and a store may hold hundreds of such sessions).
    private var byTime: [(time: Double, id: Int64)]?
    /// The database's first record (the earliest session start or message time), once read; nil inside when it has none.
    private var databaseSince: Double??

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// What the evidence says of one session.
    enum Verdict: Equatable {
        /// `freedIDs` ids from around its time are free: rows that were there and were deleted.
        case deleted(freedIDs: Int)
        /// Never recorded: its transcript ended before the database's first record, or no id of its time was freed.
        /// (Transcript times are the agent's local time; the caller moves them by `transcriptClockOffset` first.)
        case neverRecorded(beforeTheDatabase: Bool)
    }

    /// Judges a session whose transcript was written from `first` (its first message's time, when known) to `last`
    /// (its last message's time).
    func judge(first: Double?, last: Double) throws(SQLiteError) -> Verdict {
        if databaseSince == nil {
            databaseSince = .some(try real(HermesStatements.firstRecordTime))
        }
        guard let since = databaseSince ?? nil, last >= since else {
            return .neverRecorded(beforeTheDatabase: true)
        }
        let start = min(first ?? last, last)
        // The rows written just before and just after the session's time, and the ids between them that are in use.
        // By time, not by the highest id, and among the ids AUTOINCREMENT gives out (from 1): a repair gives old
        // messages ids below the lowest, and skips 0.
        let rows = try rowsByTime()
        let firstAtOrAfterStart = rows.partitioningIndex { $0.time >= start }
        let before = firstAtOrAfterStart > 0 ? rows[firstAtOrAfterStart - 1].id : nil
        let firstAfterLast = rows.partitioningIndex { $0.time > last }
        var after = firstAfterLast < rows.count ? rows[firstAfterLast].id : nil
        if after == nil { after = try highestEverGiven().map { $0 + 1 } }
        guard let after else { return .neverRecorded(beforeTheDatabase: false) }
        var floor = before ?? 0
        if before == nil { floor = try integer(HermesStatements.belowLowestGivenID, []) ?? 0 }
        guard after > floor + 1 else { return .neverRecorded(beforeTheDatabase: false) }
        let used = try integer(HermesStatements.messageIDsUsedBetween, [.integer(floor), .integer(after)]) ?? 0
        let freed = Int(after - floor - 1 - used)
        return freed > 0 ? .deleted(freedIDs: freed) : .neverRecorded(beforeTheDatabase: false)
    }

    /// How far the transcripts' times (the agent's local time, read in this machine's zone) lie from the database's
    /// (epoch seconds), learnt from up to five sessions both stores hold: the time of each one's newest matched row
    /// (the newest rows are the agent's own: both failure paths lost older ones) against its transcript message,
    /// rounded to a quarter of an hour (time zones are, a flush delay is not), the median of them. 0 when none tells.
    static func transcriptClockOffset(_ findings: [SessionFinding], rows: (SessionID) -> DatabaseSession?) -> Double {
        var offsets: [Double] = []
        for finding in findings where offsets.count < 5 {
            guard let path = finding.transcriptPath, let alignment = finding.alignment else { continue }
            let matches: [Int]
            switch alignment {
            case .identical: matches = Array(0..<finding.transcriptMessages)
            case .databaseIsSubsequence(let explained), .databaseContinues(let explained, _): matches = explained
            default: continue
            }
            guard let message = matches.last, let session = rows(finding.sessionID), session.hasDetails,
                  matches.count <= session.timestamps.count,
                  let written = (try? TranscriptContents.read(path: path, wanted: [message]))?.messages[message]?.timestamp else { continue }
            offsets.append(((session.timestamps[matches.count - 1] - written) / 900).rounded() * 900)
        }
        return offsets.isEmpty ? 0 : offsets.sorted()[offsets.count / 2]
    }

    private func rowsByTime() throws(SQLiteError) -> [(time: Double, id: Int64)] {
        if let byTime { return byTime }
        let statement = try connection.prepare(HermesStatements.givenIDsByTime)
        var rows: [(time: Double, id: Int64)] = []
        while try statement.step() { rows.append((statement.real(0), statement.integer(1))) }
        byTime = rows
        return rows
    }

    /// AUTOINCREMENT's record of the highest id ever given out, which rows deleted from the top leave above `max(id)`.
    private func highestEverGiven() throws(SQLiteError) -> Int64? {
        guard try integer("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'", []) == 1 else { return nil }
        return try integer(HermesStatements.highestMessageIDEverGiven, [])
    }

    private func integer(_ sql: String, _ values: [SQLiteStatement.Value]) throws(SQLiteError) -> Int64? {
        let statement = try connection.prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() && !statement.isNull(0) ? statement.integer(0) : nil
    }

    private func real(_ sql: String) throws(SQLiteError) -> Double? {
        let statement = try connection.prepare(sql)
        defer { statement.reset() }
        return try statement.step() && !statement.isNull(0) ? statement.real(0) : nil
    }
}

private extension Array {
    /// The index of the first element for which `belongs` holds, in an array where it holds for a suffix.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
