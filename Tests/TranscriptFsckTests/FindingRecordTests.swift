import Testing
@testable import TranscriptFsck

/// The `--since` state file keeps whole findings: every problem and warning must come back as it went in.
@Suite(.tags(.unit)) struct FindingRecordTests {
    static let problems: [Problem?] = [
        nil,
        .truncated(kept: 2, of: 996, lost: .older),
        .truncated(kept: 3, of: 9, lost: .scattered),
        .noRows(transcriptMessages: 40, sessionRowExists: true),
        .noSessionRow(messages: 20),
        .continued(missing: 30, of: 64, newerRows: 5),
        .writtenBeforeTheTranscript(missing: 8, of: 16, rows: 4),
        .writtenTwice(rows: 12, fromRowID: 431, toRowID: 442),
        .diverged(Divergence(row: 3, rowID: 812, databaseRows: 9, afterMessage: 0, transcriptOnly: 4, databaseOnly: 2)),
        .diverged(Divergence(row: 1, rowID: nil, databaseRows: 1, afterMessage: 7, transcriptOnly: 1, databaseOnly: 1)),
        .transcriptsDisagree(first: "a/s.jsonl", second: "b/s.jsonl.gz", message: 12),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(18231), defect: .gzipEndsEarly)),
        .unreadable(TranscriptError(path: "s.jsonl", place: .line(41, byteOffset: 9000), defect: .notAMessage(column: 3, parserSays: "bad"))),
        .unreadable(TranscriptError(path: "s.jsonl", place: .file, defect: .cannotOpen(errno: 2))),
        .unreadable(TranscriptError(path: "s.jsonl", place: .byte(4096), defect: .readFailed(errno: 5))),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .file, defect: .emptyArchive)),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(10), defect: .corruptGzip(zlibMessage: "invalid block type"))),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(10), defect: .zlibOutOfMemory)),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(99), defect: .expandsTooFar(ratio: 1032, mebibytes: 512, storedBytes: 520_000))),
        .unreadable(TranscriptError(path: "s.jsonl.gz", place: .byte(12), defect: .gzipMakesNoProgress)),
        .unreadable(TranscriptError(path: "r.jsonl.zst", place: .file, defect: .emptyZstd)),
        .unreadable(TranscriptError(path: "r.jsonl.zst", place: .byte(40), defect: .zstdEndsEarly)),
        .unreadable(TranscriptError(path: "r.jsonl.zst", place: .byte(9), defect: .corruptZstd(zstdMessage: "Data corruption detected"))),
        .unreadable(TranscriptError(path: "r.jsonl.zst", place: .byte(12), defect: .zstdMakesNoProgress)),
        .unreadable(TranscriptError(path: "s.jsonl", place: .line(2, byteOffset: 80), defect: .lineTooLong(limitMebibytes: 512))),
        .unreadable(TranscriptError(path: "s.jsonl", place: .line(2, byteOffset: 80), defect: .noMemoryForLine(mebibytes: 256))),
    ]

    @Test(arguments: problems)
    func aFindingComesBackWhole(problem: Problem?) throws {
        let finding = SessionFinding(
            sessionID: "20260301_090000_a1b2c3", status: problem?.status ?? .databaseAhead, problem: problem, transcriptPath: "sessions/s \"quoted\".jsonl",
            transcriptPaths: ["sessions/s \"quoted\".jsonl", "archive/s.jsonl.gz"], transcriptMessages: 996, databaseMessages: 2,
            missingMessages: 994,
            warnings: [.unfinishedLastLine(path: "archive/s.jsonl.gz", line: 997), .rowsWithoutSessionRow(rows: 12), .rowsWrittenDuringScan(rows: 3),
                       .deletedByTheUser(freedIDs: 24), .neverRecorded(beforeTheDatabase: true), .neverRecorded(beforeTheDatabase: false)],
            session: SessionFacts(hasSessionRow: true, source: "telegram", startedAt: 1_772_355_600.25), alignment: nil)
        let text = FindingRecord.encode(finding).rendered()
        let node = try #require(Array(text.utf8).withUnsafeBytes { ParsedJSON.parse($0) })
        #expect(FindingRecord.decode(node, sessionID: finding.sessionID) == finding)
    }

    @Test func aRecordWithAnUnknownProblemIsNotAFinding() throws {
        let text = #"["truncated",["lost_in_space",1],null,[],1,0,1,[],null]"#
        let node = try #require(Array(text.utf8).withUnsafeBytes { ParsedJSON.parse($0) })
        #expect(FindingRecord.decode(node, sessionID: "s") == nil)
    }
}
