import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Scans and repairs beside a process that writes the way the agent does.
/// Its tests are of two lanes, so each carries its own tag (Support/Tags.swift).
@Suite struct LiveWriterTests {
    /// Row `id` was written at time `id`; the transcript last at `transcriptWritten`.
    func scan(_ fingerprints: [MessageFingerprint], rows: [MessageFingerprint], rowIDs: [Int64], watermark: Int64,
              transcriptWritten: Double = 0) -> SessionFinding {
        var transcript = TranscriptScan(sessionID: "s", path: "s.jsonl")
        transcript.fingerprints = fingerprints
        transcript.modified = transcriptWritten
        var database = DatabaseSession()
        database.hasSessionRow = true
        for (fingerprint, id) in zip(rows, rowIDs) { database.append(fingerprint: fingerprint, rowID: id, timestamp: Double(id), flags: nil) }
        return SessionComparison.compare(sessionID: "s", transcripts: [transcript], database: database, writtenAfterRowID: watermark)
    }

    @Test(.tags(.unit)) func rowsWrittenAfterTheTranscriptWasReadDoNotMakeATruncatedSessionDiverge() {
        // The transcript was read with messages 1...5; the agent then wrote row 6 before appending it to the transcript.
        let finding = scan([1, 2, 3, 4, 5], rows: [4, 5, 6], rowIDs: [10, 11, 12], watermark: 11)
        #expect(finding.status == .truncated)
        #expect(finding.missingMessages == 3)
        #expect(finding.inFlightRows == 1)
    }

    @Test(.tags(.unit)) func rowsFromBeforeTheTranscriptReadAreTheSessionGoingOn() {
        // Row 12 was there before the transcript was read and the transcript never held it: written after an upgrade.
        let finding = scan([1, 2, 3, 4, 5], rows: [4, 5, 6], rowIDs: [10, 11, 12], watermark: 12)
        #expect(finding.status == .continued)
        #expect(finding.missingMessages == 3)
        #expect(finding.inFlightRows == 0)
    }

    @Test(.tags(.unit)) func aNewRowThatEqualsAMissingMessageIsNeverLeftOut() {
        // Row 12 holds the same as message 2: it stays in the comparison, not left out as in flight, and needs a person.
        let finding = scan([1, 2, 3, 4, 5], rows: [4, 5, 2], rowIDs: [10, 11, 12], watermark: 11)
        #expect(finding.status == .diverged)
        #expect(finding.inFlightRows == 0)
    }

    @Test(.tags(.unit)) func rowsWrittenBeforeTheTranscriptWasLastWrittenAreRowsItDropped() {
        // The transcript was rewritten (/undo, /retry) at time 20, after rows 10-12: row 12 is a turn it dropped.
        let finding = scan([1, 2, 3, 4, 5], rows: [4, 5, 6], rowIDs: [10, 11, 12], watermark: 12, transcriptWritten: 20)
        #expect(finding.status == .diverged)
        #expect(finding.problem == .writtenBeforeTheTranscript(missing: 3, of: 5, rows: 1))
        #expect(finding.problem?.sentence.contains("a turn the transcript dropped") == true)
    }

    @Test(.tags(.unit)) func historyTheAgentWroteASecondTimeIsNamedAndNeedsAPerson() {
        // hermes-agent 0.17.0's /compress after /resume flushes the history it loaded (rows 10-11) into the session again.
        let finding = scan([1, 2, 3, 4, 5], rows: [4, 5, 4, 5], rowIDs: [10, 11, 12, 13], watermark: 13)
        #expect(finding.status == .diverged)
        #expect(finding.problem == .writtenTwice(rows: 2, fromRowID: 12, toRowID: 13))
        #expect(finding.problem?.sentence.contains("delete this session's repeated rows (its rows with ids 12 to 13)") == true)
    }

    @Test(.tags(.unit)) func rowsWhoseTranscriptTimeIsUnknownAreNotTakenForTheSessionGoingOn() {
        var transcript = TranscriptScan(sessionID: "s", path: "s.jsonl")
        transcript.fingerprints = [1, 2, 3]
        var database = DatabaseSession()
        database.hasSessionRow = true
        for (fingerprint, id) in zip([2, 3, 9] as [MessageFingerprint], [1, 2, 3] as [Int64]) {
            database.append(fingerprint: fingerprint, rowID: id, timestamp: 100, flags: nil)
        }
        #expect(SessionComparison.compare(sessionID: "s", transcripts: [transcript], database: database).status == .diverged)
    }

    @Test(.tags(.unit)) func aRowThatEqualsAMessageDueAfterTheSurvivorsDiverges() {
        // Row 12 holds message 5, which belongs after the rows the transcript explains: it may be that message, out of order.
        let finding = scan([1, 2, 3, 4, 5], rows: [3, 9, 5], rowIDs: [10, 11, 12], watermark: 12)
        #expect(finding.status == .diverged)
    }

    @Test(.tags(.store)) func repairBesideAnAgentWritingKeepsEveryMessageOnceInOrder() async throws {
        let session = try TruncatedSession("live", count: 60, keepNewest: 4, seed: 41)
        let transcript = session.home + "/sessions/live.jsonl"
        let writer = try CommandRunner.start("fsck-fixtures", ["append-messages", session.databasePath, "live", "60",
                                                                "--interval", "0.02", "--transcript", transcript])
        var outputs: [String] = []
        while writer.process.isRunning {
            let result = try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup", "--jobs", "1", "--format", "json"])
            LiveWriterOutcome.expectExplained(result)
            outputs.append(result.standardOutput)
        }
        writer.process.waitUntilExit()
        #expect(writer.process.terminationStatus == 0)
        let last = try CommandRunner.fsck(["repair", "--home", session.home, "--no-backup"])
        #expect(last.status == 0, "\(last.standardOutput)")
        let report = try await StoreRun.scan(session.home)
        let finding = try #require(report.findings.first { $0.sessionID == "live" })
        #expect(finding.status == .ok, "\(String(describing: finding.problem))")
        #expect(finding.transcriptMessages == 120)
        #expect(finding.databaseMessages == 120)
        // The backfill happened while the agent was writing, not after. (Under heavy load one repair may give up
        // after re-planning three times, refusing with nothing written; a later one then does it.)
        #expect(outputs.contains { $0.contains("\"inserted_messages\": 56") }, "\(outputs)")
    }
}
