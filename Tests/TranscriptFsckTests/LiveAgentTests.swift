import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A repair beside a process that has the database open, as the running agent does.
/// Its tests are of two lanes, so each carries its own tag (Support/Tags.swift).
@Suite struct LiveAgentTests {
    @Test(.tags(.store)) func anotherProcessWithTheDatabaseOpenIsSeenAndOurOwnConnectionIsNot() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 21)
        // The fixture's own connection (this process) is open: it does not count.
        #expect(!OtherConnections.present(databasePath: session.databasePath))
        let agent = try OpenConnection(session.databasePath)
        #expect(OtherConnections.present(databasePath: session.databasePath))
        // Asking must not drop this process's own SQLite locks on the -shm file (a closed descriptor would).
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM messages") == 2)
        agent.close()
        #expect(!OtherConnections.present(databasePath: session.databasePath))
    }

    @Test(.tags(.unit)) func noSharedMemoryFileMeansNoOtherConnection() {
        #expect(!OtherConnections.present(databasePath: "/nonexistent/state.db"))
    }

    @Test(.tags(.unit)) func lockLinesAreReadAsTheKernelWritesThem() throws {
        let held = try #require(OtherConnections.Lock("1: POSIX  ADVISORY  READ 15831 fe:00:16229735 128 128"))
        #expect((held.pid, held.major, held.minor, held.inode, held.start, held.end) == (15831, 0xfe, 0, 16229735, 128, 128))
        #expect(OtherConnections.Lock("2: POSIX  ADVISORY  WRITE 99 08:01:5 0 EOF")?.end == nil)
        #expect(OtherConnections.Lock("1: -> POSIX  ADVISORY  WRITE 15832 fe:00:16229735 128 128") == nil)
    }

    @Test(.tags(.unit)) func thePauseOutlastsTheLongestSleepOfSQLitesBusyHandler() {
        // SQLite's default busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms at most.
        #expect(WritePacing.pause == .milliseconds(105))
    }

    @Test(.tags(.unit)) func theEstimateCountsInsertsAndMovesAndLearnsFromTheHolds() throws {
        var pacing = WritePacing()
        var expected = DatabaseSession()
        for id in 1...4 { expected.append(fingerprint: UInt64(id), rowID: Int64(id), timestamp: 0, flags: nil) }
        let rows = (0..<1000).map { SessionRepairPlan.Row(transcriptIndex: $0, toolCalls: 0, timestamp: 0, flags: nil) }
        var plan = SessionRepairPlan(sessionID: "s", transcriptPath: "s.jsonl", transcriptMessages: 1000, sessionRow: nil,
                                     gaps: [.init(beforeRowID: 1, rows: rows)],
                                     expected: expected, finalFingerprints: [], ancestors: [], descendants: [])
        plan.predicted = IDPlacement(gapIDs: [nil], movesFromGap: 0, movedRows: 4, movedDescendants: [])
        #expect(WritePacing.units(of: plan) == 1000 + 2 * 4 + (2 * 4 + 1000) / 50)
        #expect(pacing.estimate(plan) < .milliseconds(150))  // about 103 ms at the first guess
        pacing.record(plan, held: .milliseconds(206))
        #expect(pacing.estimate(plan) > .milliseconds(150))  // measured twice as slow: 206 ms
    }

    @Test(.tags(.store)) func aSessionTooLargeForTheBudgetIsDeferredWhileTheAgentHasTheDatabaseOpen() async throws {
        let session = try TruncatedSession(count: 3000, keepNewest: 4, seed: 22)
        let agent = try OpenConnection(session.databasePath)
        let deferred = try await StoreRun.repair(session.home, .init(makeBackup: false, lockBudget: .milliseconds(1)))
        agent.close()
        let result = try #require(deferred.sessions.first)
        #expect(result.action == .deferred)
        guard case .overLockBudget(let rows, _, let estimate, let budget)? = result.reason else {
            Issue.record("deferred for another reason: \(String(describing: result.reason))")
            return
        }
        #expect(rows == 2996 && budget == .milliseconds(1) && estimate > budget)
        #expect(result.reason?.sentence.contains("stop the agent and run the repair again") == true)
        #expect(deferred.needsAttention)
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM messages") == 4)
        // With the agent gone there is nobody to stall: the same budget lets it through.
        let written = try await StoreRun.repair(session.home, .init(makeBackup: false, lockBudget: .milliseconds(1)))
        #expect(written.sessions.first?.action == .backfilled)
        #expect(try session.isWhole())
        #expect(!written.fullTextChecks.isEmpty)
        #expect(written.fullTextChecks.allSatisfy { $0.skipped == nil && $0.failure == nil })
    }

    @Test(.tags(.store)) func smallSessionsAreWrittenBesideTheAgent() async throws {
        let session = try TruncatedSession(count: 40, keepNewest: 4, seed: 23)
        let agent = try OpenConnection(session.databasePath)
        defer { agent.close() }
        let report = try await StoreRun.repair(session.home, .init(makeBackup: false, lockBudget: .milliseconds(100)))
        #expect(report.sessions.first?.action == .backfilled)
        #expect(try session.isWhole())
        // The FTS5 integrity-check is an INSERT that holds the write lock over the whole index: not beside the agent.
        #expect(!report.fullTextChecks.isEmpty)
        #expect(report.fullTextChecks.allSatisfy { $0.skipped == .otherProcessHasTheDatabaseOpen && $0.failure == nil })
        #expect(report.fullTextChecks.allSatisfy { $0.skipped?.sentence.contains("--lock-budget 0") == true })
        #expect(!report.needsAttention)
    }
}
