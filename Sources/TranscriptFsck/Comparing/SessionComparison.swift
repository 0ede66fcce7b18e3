/// Compares one session's transcripts with its database rows and gives the verdict.
public enum SessionComparison {
    /// Compares; `writtenAfterRowID` is the highest row id before the transcripts were read, when known.
    ///
    /// Rows above it at the end of the session may have been written by the live agent after its
    /// transcript was read. If the session only looks wrong because of them, it is judged without them,
    /// provided none of them could be one of the messages a repair would insert (no duplicate can result).
    public static func compare(sessionID: String, transcripts: [TranscriptScan], database: DatabaseSession?,
                               writtenAfterRowID watermark: Int64? = nil) -> SessionFinding {
        let full = compare(sessionID: sessionID, transcripts: transcripts, database: database)
        guard let watermark, let database, [.diverged, .databaseAhead, .continued].contains(full.status) else { return full }
        let inFlight = database.rowIDs.reversed().prefix { $0 > watermark }.count
        guard inFlight > 0 else { return full }
        var settled = database
        settled.removeLast(inFlight)
        var finding = compare(sessionID: sessionID, transcripts: transcripts, database: settled)
        switch (finding.status, finding.alignment) {
        case (.ok, _), (.databaseAhead, _):
            break
        case (.truncated, .databaseIsSubsequence(let matches)?), (.missing, .databaseIsSubsequence(let matches)?):
            guard let chosen = transcripts.first(where: { $0.path == finding.transcriptPath }) else { return full }
            let matched = Set(matches)
            let wanted = Set(chosen.fingerprints.indices.filter { !matched.contains($0) }.map { chosen.fingerprints[$0] })
            guard wanted.isDisjoint(with: database.fingerprints.suffix(inFlight)) else { return full }
        default:
            return full
        }
        finding = SessionFinding(sessionID: finding.sessionID, status: finding.status, transcriptPath: finding.transcriptPath,
                                 transcriptPaths: finding.transcriptPaths, transcriptMessages: finding.transcriptMessages,
                                 databaseMessages: database.messageCount, missingMessages: finding.missingMessages,
                                 problems: finding.problems,
                                 warnings: finding.warnings + ["\(inFlight) rows written while the scan ran were left out of the comparison"],
                                 alignment: finding.alignment)
        finding.inFlightRows = inFlight
        return finding
    }

    private static func compare(sessionID: String, transcripts: [TranscriptScan], database: DatabaseSession?) -> SessionFinding {
        let rows = database?.fingerprints ?? []
        let warnings = transcripts.flatMap { scan in scan.warnings.map { "\(scan.path): \($0)" } }
        let paths = transcripts.map(\.path)
        func finding(_ status: SessionStatus, _ transcript: TranscriptScan?, missing: Int = 0,
                     problems: [String] = [], alignment: Alignment? = nil, warning: String? = nil) -> SessionFinding {
            SessionFinding(sessionID: sessionID, status: status, transcriptPath: transcript?.path, transcriptPaths: paths,
                           transcriptMessages: transcript?.messageCount ?? 0, databaseMessages: rows.count,
                           missingMessages: missing, problems: problems, warnings: warnings + (warning.map { [$0] } ?? []),
                           alignment: alignment)
        }

        if transcripts.isEmpty {
            guard database?.hasSessionRow == false, !rows.isEmpty else { return finding(.databaseOnly, nil) }
            // Nothing to rebuild the row from; say so rather than pass over rows the agent can never load.
            return finding(.databaseOnly, nil, warning: "\(rows.count) rows have no row in sessions, so the agent never lists or "
                           + "resumes them, and there is no transcript to rebuild it from; 'transcript-fsck export' saves them as one")
        }
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
        case .identical where database?.hasSessionRow == false:
            // The agent lists and resumes sessions from the sessions table: rows without their row are lost to it.
            return finding(.missing, chosen, problems: ["the database holds all \(messages.count) messages but no row for this session "
                                                        + "in sessions, so the agent never lists or resumes it; repair creates the row"],
                           alignment: .databaseIsSubsequence(transcriptIndexOfRow: Array(messages.indices)))
        case .identical:
            return finding(.ok, chosen, alignment: alignment)
        case .transcriptIsSubsequence:
            return finding(.databaseAhead, chosen, alignment: alignment)
        case .databaseIsSubsequence(let matches):
            let missing = messages.count - rows.count
            return finding(.truncated, chosen, missing: missing,
                           problems: [describeTruncation(matches: matches, transcriptCount: messages.count)], alignment: alignment)
        case .databaseContinues(let matches, let following):
            let missing = messages.count - matches.count
            return finding(.continued, chosen, missing: missing,
                           problems: ["the database lacks \(missing) of the transcript's \(messages.count) messages and holds \(following) "
                                      + "newer rows the transcript never saw (the session went on after an upgrade); "
                                      + "the lost messages go before them"],
                           alignment: alignment)
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
