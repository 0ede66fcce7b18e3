/// Compares one session's transcripts with its database rows and gives the verdict.
enum SessionComparison {
    /// Compares; `writtenAfterRowID` is the highest row id before the transcripts were read, when known.
    ///
    /// Rows above it at the end of the session may have been written by the live agent after its
    /// transcript was read. If the session only looks wrong because of them, it is judged without them,
    /// provided none of them could be one of the messages a repair would insert (no duplicate can result).
    static func compare(sessionID: SessionID, transcripts: [TranscriptScan], database: DatabaseSession?,
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
        finding.databaseMessages = database.messageCount
        finding.warnings.append(.rowsWrittenDuringScan(rows: inFlight))
        finding.inFlightRows = inFlight
        return finding
    }

    private static func compare(sessionID: SessionID, transcripts: [TranscriptScan], database: DatabaseSession?) -> SessionFinding {
        let rows = database?.fingerprints ?? []
        let warnings = transcripts.compactMap { scan in scan.unfinishedLastLine.map { SessionWarning.unfinishedLastLine(path: scan.path, line: $0) } }
        let facts = database.map { SessionFacts(hasSessionRow: $0.hasSessionRow, source: $0.source, startedAt: $0.startedAt) }
        func finding(_ status: SessionStatus, _ transcript: TranscriptScan?, missing: Int = 0, problem: Problem? = nil,
                     alignment: Alignment? = nil, warning: SessionWarning? = nil) -> SessionFinding {
            SessionFinding(sessionID: sessionID, status: problem?.status ?? status, problem: problem, transcriptPath: transcript?.path,
                           transcriptPaths: transcripts.map(\.path), transcriptMessages: transcript?.messageCount ?? 0,
                           databaseMessages: rows.count, missingMessages: missing, warnings: warnings + (warning.map { [$0] } ?? []),
                           session: facts, alignment: alignment)
        }

        if transcripts.isEmpty {
            guard database?.hasSessionRow == false, !rows.isEmpty else { return finding(.databaseOnly, nil) }
            // Nothing to rebuild the row from; say so rather than pass over rows the agent can never load.
            return finding(.databaseOnly, nil, warning: .rowsWithoutSessionRow(rows: rows.count))
        }
        if let damaged = transcripts.first(where: { $0.error != nil }), let error = damaged.error {
            return finding(.corrupt, damaged, problem: .unreadable(error))
        }
        let (chosen, conflict) = choose(transcripts)
        if let conflict { return finding(.diverged, transcripts[0], problem: conflict) }
        let messages = chosen.fingerprints

        if rows.isEmpty {
            if messages.isEmpty { return finding(.ok, chosen) }
            return finding(.missing, chosen, missing: messages.count,
                           problem: .noRows(transcriptMessages: messages.count, sessionRowExists: database?.hasSessionRow == true),
                           alignment: .databaseIsSubsequence(transcriptIndexOfRow: []))
        }
        let alignment = Alignment.align(transcript: messages, database: rows)
        // Rows after an in-place compaction's archive equal transcript messages (its live copies): asked only then.
        let afterCompaction: (matches: [Int], following: Int)? =
            if case .diverged = alignment { continuesAfterCompaction(messages, database) } else { nil }
        switch alignment {
        case .identical where database?.hasSessionRow == false:
            // The agent lists and resumes sessions from the sessions table: rows without their row are lost to it.
            return finding(.missing, chosen, problem: .noSessionRow(messages: messages.count),
                           alignment: .databaseIsSubsequence(transcriptIndexOfRow: Array(messages.indices)))
        case .identical:
            return finding(.ok, chosen, alignment: alignment)
        case .transcriptIsSubsequence:
            return finding(.databaseAhead, chosen, alignment: alignment)
        case .databaseIsSubsequence(let matches):
            return finding(.truncated, chosen, missing: messages.count - rows.count,
                           problem: .truncated(kept: matches.count, of: messages.count, lost: lost(matches: matches, transcriptCount: messages.count)),
                           alignment: alignment)
        case .databaseContinues(let matches, let following):
            let missing = messages.count - matches.count
            guard let database, writtenAfterTheTranscripts(database.timestamps.suffix(following), transcripts) else {
                // Rows the transcript dropped, not rows it never saw: a /retry, /undo or /compress rewrote it while
                // the database write failed (the agent swallows that). Which history the user meant needs a person.
                return finding(.diverged, chosen, missing: missing,
                               problem: .writtenBeforeTheTranscript(missing: missing, of: messages.count, rows: following),
                               alignment: .diverged(databaseRow: matches.count, afterTranscriptMessage: matches.last ?? -1))
            }
            return finding(.continued, chosen, missing: missing,
                           problem: .continued(missing: missing, of: messages.count, newerRows: following), alignment: alignment)
        case .diverged where afterCompaction != nil:
            let (matches, following) = afterCompaction!
            let missing = messages.count - matches.count
            return finding(.continued, chosen, missing: missing, problem: .continued(missing: missing, of: messages.count, newerRows: following),
                           alignment: .databaseContinues(transcriptIndexOfRow: matches, followingRows: following))
        case .diverged(let row, _) where database?.hasDetails == true && row > 0 && rows.count - row <= row
                                          && rows[row...].elementsEqual(rows[..<(rows.count - row)]):
            let ids = database!.rowIDs
            return finding(.diverged, chosen, missing: Alignment.unmatchedCount(of: messages, against: rows),
                           problem: .writtenTwice(rows: rows.count - row, fromRowID: ids[row], toRowID: ids[rows.count - 1]),
                           alignment: alignment)
        case .diverged(let row, let after):
            let missing = Alignment.unmatchedCount(of: messages, against: rows)
            let divergence = Divergence(row: row + 1, rowID: database.flatMap { row < $0.rowIDs.count ? $0.rowIDs[row] : nil },
                                        databaseRows: rows.count, afterMessage: after + 1, transcriptOnly: missing,
                                        databaseOnly: Alignment.unmatchedCount(of: rows, against: messages))
            return finding(.diverged, chosen, missing: missing, problem: .diverged(divergence), alignment: alignment)
        }
    }

    /// True when every one of `times` (the rows after those the transcript explains) is later than the last write of
    /// every transcript: the session went on after the agent stopped writing them (0.15.0 on). Without the rows' times
    /// (a pass that read fingerprints only) or a transcript's modification time, nothing proves it.
    static func writtenAfterTheTranscripts(_ times: ArraySlice<Double>, _ transcripts: [TranscriptScan]) -> Bool {
        guard !times.isEmpty, let earliest = times.min() else { return false }
        let written = transcripts.map(\.modified)
        guard !written.contains(where: { $0 == nil }), let last = written.compactMap({ $0 }).max() else { return false }
        return earliest > last
    }

    /// The rows the transcript explains, when they are exactly the archive of an in-place compaction (0.18.0 on:
    /// `archive_and_compact` marks them `active = 0, compacted = 1`) and every row after them is not: those are the
    /// compaction's output (a summary, and live copies of the newest messages, which equal transcript messages) and
    /// the turns after it. The agent wrote them after it stopped writing transcripts; the flags are the proof.
    /// Returns where the archived rows fall in the transcript and how many rows follow them.
    static func continuesAfterCompaction(_ messages: [MessageFingerprint], _ database: DatabaseSession?) -> (matches: [Int], following: Int)? {
        guard let database, database.hasDetails else { return nil }
        let archived = database.flags.prefix { $0 == .archived }.count
        guard archived > 0, archived < database.flags.count, !database.flags[archived...].contains(where: { $0 == .archived }),
              Alignment.explainedPrefix(of: Array(database.fingerprints[..<archived]), in: messages).rows == archived,
              let matches = Alignment.latestEmbedding(of: Array(database.fingerprints[..<archived]), in: messages) else { return nil }
        return (matches, database.fingerprints.count - archived)
    }

    /// The longest transcript, and the conflict when another one is not a prefix of it.
    static func choose(_ transcripts: [TranscriptScan]) -> (longest: TranscriptScan, conflict: Problem?) {
        let ordered = transcripts.sorted { ($0.messageCount, $0.path) > ($1.messageCount, $1.path) }
        let longest = ordered[0]
        for shorter in ordered.dropFirst() where !longest.fingerprints.starts(with: shorter.fingerprints) {
            let position = zip(longest.fingerprints, shorter.fingerprints).prefix { $0 == $1 }.count
            return (longest, .transcriptsDisagree(first: longest.path, second: shorter.path, message: position + 1))
        }
        return (longest, nil)
    }

    /// Which messages were lost: the oldest (the two failure paths), the newest, or others.
    static func lost(matches: [Int], transcriptCount: Int) -> Problem.LostMessages {
        if matches.first == transcriptCount - matches.count { return .older }
        if matches.last == matches.count - 1 { return .newer }
        return .scattered
    }
}
