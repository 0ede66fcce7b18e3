/// Compares one session's transcripts with its database rows and gives the verdict.
public enum SessionComparison {
    public static func compare(sessionID: String, transcripts: [TranscriptScan], database: DatabaseSession?) -> SessionFinding {
        let rows = database?.fingerprints ?? []
        let warnings = transcripts.flatMap { scan in scan.warnings.map { "\(scan.path): \($0)" } }
        let paths = transcripts.map(\.path)
        func finding(_ status: SessionStatus, _ transcript: TranscriptScan?, missing: Int = 0,
                     problems: [String] = [], alignment: Alignment? = nil) -> SessionFinding {
            SessionFinding(sessionID: sessionID, status: status, transcriptPath: transcript?.path, transcriptPaths: paths,
                           transcriptMessages: transcript?.messageCount ?? 0, databaseMessages: rows.count,
                           missingMessages: missing, problems: problems, warnings: warnings, alignment: alignment)
        }

        if transcripts.isEmpty { return finding(.databaseOnly, nil) }
        if let damaged = transcripts.first(where: { $0.error != nil }), let error = damaged.error {
            return finding(.corrupt, damaged, problems: ["\(error.path): \(error.detail)"])
        }
        let chosen: TranscriptScan
        switch choose(transcripts) {
        case .success(let longest): chosen = longest
        case .failure(let conflict): return finding(.diverged, transcripts[0], problems: [conflict.description])
        }
        let messages = chosen.fingerprints

        if rows.isEmpty {
            if messages.isEmpty { return finding(.ok, chosen) }
            let why = database?.hasSessionRow == true ? "the session row exists but has no messages" : "the database has no row for this session"
            return finding(.missing, chosen, missing: messages.count,
                           problems: ["\(why); the transcript holds \(messages.count) messages"],
                           alignment: .databaseIsSubsequence(transcriptIndexOfRow: []))
        }
        let alignment = Alignment.align(transcript: messages, database: rows)
        switch alignment {
        case .identical:
            return finding(.ok, chosen, alignment: alignment)
        case .transcriptIsSubsequence:
            return finding(.databaseAhead, chosen, alignment: alignment)
        case .databaseIsSubsequence(let matches):
            let missing = messages.count - rows.count
            return finding(.truncated, chosen, missing: missing,
                           problems: [describeTruncation(matches: matches, transcriptCount: messages.count)], alignment: alignment)
        case .diverged(let row, let after):
            let rowID = database.flatMap { row < $0.rowIDs.count ? $0.rowIDs[row] : nil }
            let place = after < 0 ? "at the start of the transcript" : "after transcript message \(after + 1)"
            let what = rowID.map { "database row id \($0)" } ?? "database row \(row + 1)"
            let missing = Alignment.unmatchedCount(of: messages, against: rows)
            let extra = Alignment.unmatchedCount(of: rows, against: messages)
            return finding(.diverged, chosen, missing: missing,
                           problems: ["\(what) (message \(row + 1) of \(rows.count) in the database) has no match \(place); "
                                      + "\(missing) transcript messages are not in the database and \(extra) database rows are not in the transcript"],
                           alignment: alignment)
        }
    }

    /// Two transcripts of one session that disagree.
    struct TranscriptConflict: Error, CustomStringConvertible {
        let first: String, second: String, position: Int
        var description: String {
            "transcripts \(first) and \(second) differ at message \(position + 1) and neither is a prefix of the other"
        }
    }

    /// The longest transcript, when every other one is a prefix of it.
    static func choose(_ transcripts: [TranscriptScan]) -> Result<TranscriptScan, TranscriptConflict> {
        let ordered = transcripts.sorted { ($0.messageCount, $0.path) > ($1.messageCount, $1.path) }
        let longest = ordered[0]
        for shorter in ordered.dropFirst() where !longest.fingerprints.starts(with: shorter.fingerprints) {
            let position = zip(longest.fingerprints, shorter.fingerprints).prefix { $0 == $1 }.count
            return .failure(TranscriptConflict(first: longest.path, second: shorter.path, position: position))
        }
        return .success(longest)
    }

    /// Says which messages survived: the newest (the two failure paths), the oldest, or others.
    static func describeTruncation(matches: [Int], transcriptCount: Int) -> String {
        let kept = matches.count
        let lost = transcriptCount - kept
        if matches.first == transcriptCount - kept {
            return "the database holds the newest \(kept) of \(transcriptCount) messages; the \(lost) older ones are missing"
        }
        if matches.last == kept - 1 {
            return "the database holds the oldest \(kept) of \(transcriptCount) messages; the \(lost) newer ones are missing"
        }
        return "the database holds \(kept) of \(transcriptCount) messages; \(lost) are missing between or around them"
    }
}
