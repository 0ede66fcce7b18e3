import Testing
@testable import TranscriptFsck

/// Reporting is the one place a finding's facts become words; these are the sentences people and JSON see.
@Suite(.tags(.unit)) struct FindingWordsTests {
    @Test func everyProblemIsOneSentenceWithItsFacts() {
        #expect(Problem.truncated(kept: 2, of: 996, lost: .older).sentence
                == "the database holds the newest 2 of 996 messages; the 994 older ones are missing")
        #expect(Problem.truncated(kept: 2, of: 10, lost: .newer).sentence
                == "the database holds the oldest 2 of 10 messages; the 8 newer ones are missing")
        #expect(Problem.noRows(transcriptMessages: 7, sessionRowExists: false).sentence
                == "the database has no row for this session; the transcript holds 7 messages")
        #expect(Problem.diverged(Divergence(row: 3, rowID: 812, databaseRows: 9, afterMessage: 0, transcriptOnly: 4, databaseOnly: 2)).sentence
                == "database row id 812 (message 3 of 9 in the database) has no match at the start of the transcript; "
                + "4 transcript messages are not in the database and 2 database rows are not in the transcript")
        #expect(Problem.unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(18), defect: .gzipEndsEarly)).sentence
                == "s.jsonl.gz: byte 18: gzip stream ends early (the file was cut short)")
        #expect(Problem.truncated(kept: 9, of: 10, lost: .older).sentence
                == "the database holds the newest 9 of 10 messages; the older one is missing")
        #expect(Problem.diverged(Divergence(row: 1, rowID: 5, databaseRows: 1, afterMessage: 2, transcriptOnly: 1, databaseOnly: 1)).sentence
                == "database row id 5 (message 1 of 1 in the database) has no match after transcript message 2; "
                + "1 transcript message is not in the database and 1 database row is not in the transcript")
        #expect(SessionWarning.rowsWrittenDuringScan(rows: 1).sentence == "1 row written while the scan ran was left out of the comparison")
        #expect(PlacementStep.insert(rows: 1, firstMessage: 7, anchor: .before(rowID: 40), flags: nil, ids: .init(first: 39, last: 39)).sentence
                == "1 row before row id 40 (message 7, id 39)")
        #expect(PlacementStep.moveContinuation(sessionID: "child", rows: 1).sentence
                == "1 row of session child, which continues it, gets a new id after them, every value kept")
        #expect(SessionWarning.unfinishedLastLine(path: "s.jsonl", line: 41).sentence
                == "s.jsonl: line 41: the last line is unfinished (the writer stopped mid-line); not counted")
    }

    @Test func aRefusalForTheFindingNamesItsStatusAndProblem() {
        let reason = RepairReason.needsAPerson(.transcriptsDisagree(first: "a", second: "b", message: 4))
        #expect(reason.sentence == "diverged: transcripts a and b differ at message 4 and neither is a prefix of the other")
    }
}
