import Testing
@testable import TranscriptFsck

@Suite(.tags(.unit)) struct AlignmentTests {
    let transcript: [MessageFingerprint] = [1, 2, 3, 4, 5, 6, 7, 8]

    @Test func sameSequenceIsIdentical() {
        #expect(Alignment.align(transcript: transcript, database: transcript) == .identical)
    }

    @Test func newestRowsSurvivingIsASubsequence() {
        #expect(Alignment.align(transcript: transcript, database: [7, 8]) == .databaseIsSubsequence(transcriptIndexOfRow: [6, 7]))
    }

    @Test func oldestRowsSurvivingIsASubsequence() {
        #expect(Alignment.align(transcript: transcript, database: [1, 2, 3]) == .databaseIsSubsequence(transcriptIndexOfRow: [0, 1, 2]))
    }

    @Test func rowsMissingInTheMiddleIsASubsequence() {
        #expect(Alignment.align(transcript: transcript, database: [1, 2, 7, 8]) == .databaseIsSubsequence(transcriptIndexOfRow: [0, 1, 6, 7]))
    }

    @Test func duplicatesMatchTheLatestMessages() {
        #expect(Alignment.align(transcript: [9, 5, 9, 5], database: [9, 5]) == .databaseIsSubsequence(transcriptIndexOfRow: [2, 3]))
    }

    @Test func moreRowsThanMessagesIsDatabaseAhead() {
        #expect(Alignment.align(transcript: [3, 4], database: transcript) == .transcriptIsSubsequence)
    }

    @Test func reorderedRowsDiverge() {
        // Row 3 holds message 2, which is due between the surviving rows 1 and 3: it may be that message, out of order.
        #expect(Alignment.align(transcript: transcript, database: [1, 3, 2]) == .diverged(databaseRow: 2, afterTranscriptMessage: 2))
    }

    @Test func rowsTheTranscriptNeverSawAfterItsMessagesAreTheSessionGoingOn() {
        #expect(Alignment.align(transcript: transcript, database: [7, 8, 20, 21]) == .databaseContinues(transcriptIndexOfRow: [6, 7], followingRows: 2))
        #expect(Alignment.align(transcript: transcript, database: [20]) == .databaseContinues(transcriptIndexOfRow: [], followingRows: 1))
    }

    @Test func aRowAfterTheTranscriptThatEqualsAnyOfItsMessagesDiverges() {
        // It may be that message said again, or a turn the user threw away and took again (/retry keeps the user's
        // message): only a person can tell.
        #expect(Alignment.align(transcript: transcript, database: [7, 8, 1]) == .diverged(databaseRow: 2, afterTranscriptMessage: 7))
    }

    @Test func foreignRowDivergesAtThatRow() {
        #expect(Alignment.align(transcript: transcript, database: [1, 2, 99, 4]) == .diverged(databaseRow: 2, afterTranscriptMessage: 1))
    }

    @Test func unmatchedCountCountsDuplicates() {
        #expect(Alignment.unmatchedCount(of: [1, 1, 2], against: [1, 3]) == 2)
    }
}
