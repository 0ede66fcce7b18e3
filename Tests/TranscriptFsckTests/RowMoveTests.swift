import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Where backfilled rows go by id. The agent acts on ids it read a moment before (/undo marks `id >= target`
/// inactive), so rows it can see keep their ids wherever there is room: below the lowest id for the oldest messages,
/// in free ids between two rows. Only where there is none do the rows after a gap get new ids, every value kept,
/// and only with no other process holding the database open.
@Suite(.tags(.store)) struct RowMoveTests {
    /// Every column of the session's message rows but `display_order` (and `id` unless asked), in id order.
    func rows(_ database: String, session: String, withIDs: Bool = false) throws -> [[String?]] {
        let connection = try SQLiteConnection(path: database, mode: .readOnly)
        let columns = try StoreSchema.read(from: connection).messageColumns.map(\.name)
            .filter { $0 != "display_order" && (withIDs || $0 != "id") }
        let statement = try connection.prepare("SELECT \(columns.joined(separator: ", ")) FROM messages WHERE session_id = ? ORDER BY id")
        try statement.bind([.text(session)])
        var rows: [[String?]] = []
        while try statement.step() { rows.append((0..<Int32(columns.count)).map { statement.text($0) }) }
        return rows
    }

    /// Messages 1-5 and 16-20 of 20 kept, written back to back: the gap between them has no free id.
    func middleGap(seed: UInt64, schema: FixtureSchema = .early) throws -> TruncatedSession {
        try TruncatedSession(count: 20, seed: seed, schema: schema, kept: { Array($0.prefix(5) + $0.suffix(5)) })
    }

    @Test func theOldestLostMessagesGoBelowTheLowestIDAndNoRowMoves() async throws {
        let session = try TruncatedSession(count: 30, keepNewest: 10, seed: 5, schema: .late)
        let database = try SQLiteConnection(path: session.databasePath, mode: .readWrite)
        try database.execute("""
            UPDATE messages SET reasoning = 'thought ' || id, token_count = id * 7, finish_reason = 'stop',
                platform_message_id = 'tg-' || id, api_content = 'sent ' || id, observed = 1
            """)
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.placement == [.insert(rows: 20, firstMessage: 1, anchor: .before(rowID: 1), flags: nil,
                                                             ids: .init(first: -20, last: -1))])
        #expect(report.sessions.first?.placement.first?.sentence == "20 rows before row id 1 (messages 1-20, ids -20 to -1)")
        let after = try rows(session.databasePath, session: "s", withIDs: true)
        #expect(Array(after.suffix(10)) == before)
        #expect(try session.isWhole())
    }

    @Test func idsLeftFreeByDeletedRowsAreUsedBeforeAnyRowMoves() async throws {
        // Messages 1-5, then ten rows of another session, then messages 16-20; the other session's rows are deleted.
        let session = try TruncatedSession(count: 20, seed: 11, kept: { Array($0.prefix(5)) })
        var other = ConversationGenerator(seed: 3)
        try session.store.addMessages("other", other.conversation(count: 10, start: 1_772_000_000))
        try session.store.addMessages("s", Array(session.messages.suffix(5)))
        try session.store.connection.execute("DELETE FROM messages WHERE session_id = 'other'")
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.placement.contains(where: \.movesRows) == false, "\(report.sessions)")
        #expect(Set(try rows(session.databasePath, session: "s", withIDs: true)).isSuperset(of: before))
        #expect(try session.isWhole())
    }

    @Test func aGapBetweenRowsWrittenBackToBackMovesTheRowsAfterItWithEveryValue() async throws {
        let session = try middleGap(seed: 12, schema: .late)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute("""
            UPDATE messages SET reasoning = 'thought ' || id, token_count = id * 7, platform_message_id = 'tg-' || id, observed = 1
            """)
        let before = try rows(session.databasePath, session: "s")
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.placement.last == .move(rows: 5, fromRowID: 6))
        #expect(report.sessions.first?.placement.last?.sentence == "5 rows from row id 6 on get new ids behind them, every value kept")
        let after = try rows(session.databasePath, session: "s")
        #expect(Array(after.prefix(5)) == Array(before.prefix(5)) && Array(after.suffix(5)) == Array(before.suffix(5)))
        #expect(try session.isWhole())
    }

    @Test func displayOrderDerivedFromTheOldIDIsDerivedAgain() async throws {
        let session = try middleGap(seed: 6, schema: .late)
        _ = try await StoreRun.repair(session.home)
        let order = try SQLiteConnection(path: session.databasePath, mode: .readOnly)
            .prepare("SELECT count(*) FROM messages WHERE display_order != id").singleInteger()
        #expect(order == 0)
    }

    @Test(arguments: FixtureSchema.allCases)
    func theFullTextIndexFollowsTheMovedRows(schema: FixtureSchema) async throws {
        let session = try middleGap(seed: 7, schema: schema)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.placement.contains(where: \.movesRows) == true)
        #expect(!report.fullTextChecks.isEmpty)
        #expect(report.fullTextChecks.allSatisfy { $0.failure == nil }, "\(report.fullTextChecks)")
        if schema == .middle {
            // This generation's index keeps its own copy: a moved row's old entry must be gone, not left beside the new.
            let indexed = try SQLiteConnection(path: session.databasePath, mode: .readOnly)
                .prepare("SELECT count(*) FROM messages_fts").singleInteger()
            #expect(indexed == 20)
        }
    }

    @Test func bookkeepingRowsKeepTheirPlaceAmongTheRowsAroundThem() async throws {
        var generator = ConversationGenerator(seed: 8)
        let messages = generator.conversation(count: 12, start: 1_772_000_000)
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        try store.writeTranscript("s", messages: messages)
        try store.addMessages("s", Array(messages[8..<10]))
        try store.addSessionMetaRow("s", at: messages[10].timestamp!)
        try store.addMessages("s", Array(messages[10...]))
        _ = try await StoreRun.repair(directory.path)
        #expect(try AgentView.matches(store.databasePath, session: "s", messages))
        let roles = try SQLiteConnection(path: store.databasePath, mode: .readOnly).prepare(
            "SELECT group_concat(role, ',') FROM (SELECT role FROM messages WHERE session_id = 's' ORDER BY id) WHERE 1")
        #expect(try roles.step())
        #expect(roles.text(0)?.components(separatedBy: ",").firstIndex(of: "session_meta") == 10)
    }

    /// The schema as SQLite resolves names: any case, any spacing, comments between the words.
    @Test(arguments: ["CREATE TABLE bookmarks (message_id INTEGER REFERENCES messages(id))",
                      "CREATE TABLE bookmarks (message_id INTEGER REFERENCES Messages(id))",
                      "CREATE TABLE bookmarks (message_id INTEGER, FOREIGN KEY (message_id) REFERENCES \"MESSAGES\" (id))"])
    func aTableReferencingMessageIDsStopsTheMoveWithTheReason(table: String) async throws {
        let session = try middleGap(seed: 9)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute(table)
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.action == .refused)
        #expect(report.sessions.first?.reason == .rowsCannotMove(rows: 5, .referencingTable("bookmarks")))
        #expect(try rows(session.databasePath, session: "s", withIDs: true) == before)
    }

    @Test(arguments: ["CREATE TRIGGER messages_audit AFTER DELETE ON messages BEGIN INSERT INTO audit VALUES (old.content); END",
                      "CREATE TRIGGER messages_audit AFTER DELETE  ON MESSAGES BEGIN INSERT INTO audit VALUES (old.content); END",
                      "create trigger messages_audit after delete/**/on \"Messages\" begin insert into \"AUDIT\" values (old.content); end",
                      "CREATE TRIGGER messages_audit BEFORE DELETE ON messages -- keep a copy\nBEGIN REPLACE INTO audit VALUES (old.content); END",
                      "CREATE TRIGGER messages_audit AFTER INSERT ON messages BEGIN INSERT INTO audit VALUES (new.content); END"])
    func aTriggerWritingBeyondTheIndexStopsTheMove(trigger: String) async throws {
        let session = try middleGap(seed: 10)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute("CREATE TABLE audit (what TEXT); \(trigger);")
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.action == .refused)
        #expect(report.sessions.first?.reason == .rowsCannotMove(rows: 5, .trigger("messages_audit", writes: ["audit"])))
        #expect(report.sessions.first?.reason?.sentence.contains("trigger messages_audit runs when message rows are inserted or deleted and writes audit") == true)
        #expect(try rows(session.databasePath, session: "s", withIDs: true) == before)
    }

    /// A trigger's name is read as its name, whatever word it is.
    @Test(arguments: ["\"update\"", "[on]", "\"Update\"", "`begin`"])
    func aTriggerNamedLikeAKeywordIsStillJudgedByItsBody(name: String) async throws {
        let session = try middleGap(seed: 15)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute("""
            CREATE TABLE pins (message_id INTEGER);
            INSERT INTO pins SELECT id FROM messages;
            CREATE TRIGGER \(name) AFTER DELETE ON messages BEGIN DELETE FROM pins WHERE message_id = old.id; END;
            """)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.action == .refused, "\(report.sessions)")
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM pins") == 10)
    }

    @Test func anUpdateTriggerWritingASideTableStopsTheMoveToo() async throws {
        // The late schema's display_order trigger updates every inserted row, a moved row's copy included.
        let session = try middleGap(seed: 16, schema: .late)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute("""
            CREATE TABLE edit_log (id INTEGER);
            CREATE TRIGGER log_edits AFTER UPDATE ON messages BEGIN INSERT INTO edit_log VALUES (new.id); END;
            """)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.reason == .rowsCannotMove(rows: 5, .trigger("log_edits", writes: ["edit_log"])))
    }

    @Test func aTriggerWritingElsewhereDoesNotStopABackfillThatMovesNothing() async throws {
        let session = try TruncatedSession(count: 20, keepNewest: 5, seed: 13)
        try SQLiteConnection(path: session.databasePath, mode: .readWrite).execute("""
            CREATE TABLE audit (what TEXT);
            CREATE TRIGGER messages_audit AFTER DELETE ON messages BEGIN INSERT INTO audit VALUES (old.content); END;
            """)
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.action == .backfilled)
        #expect(try AgentView.integer(session.databasePath, "SELECT count(*) FROM audit") == 0)
        #expect(try session.isWhole())
    }

    @Test func rowsOnlyAfterEveryRowMoveNothing() async throws {
        let session = try TruncatedSession(count: 20, seed: 12, kept: { Array($0.prefix(15)) })
        let before = try rows(session.databasePath, session: "s")
        let report = try await StoreRun.repair(session.home)
        #expect(report.sessions.first?.placement == [.insert(rows: 5, firstMessage: 16, anchor: .after(rowID: 15), flags: nil, ids: nil)])
        #expect(report.sessions.first?.placement.map(\.sentence) == ["5 rows after row id 15 (messages 16-20)"])
        #expect(Array(try rows(session.databasePath, session: "s").prefix(15)) == before)
    }

    /// WAL, where an idle connection holds a lock on the `-shm`, and DELETE, where it holds only the open file.
    @Test(arguments: ["wal", "delete"])
    func rowsMoveOnlyOnceNoOtherProcessHasTheDatabaseOpen(journalMode: String) async throws {
        let session = try middleGap(seed: 14)
        try session.store.connection.execute("PRAGMA journal_mode = \(journalMode)")
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let agent = try OpenConnection(session.databasePath)
        let waiting = try await StoreRun.repair(session.home)
        agent.close()
        let result = try #require(waiting.sessions.first)
        #expect(result.action == .deferred)
        #expect(result.reason == .rowsMustMoveBesideAgent(rows: 5, seen: true))
        #expect(result.reason?.sentence.contains("stop the agent and run the repair again") == true)
        #expect(waiting.needsAttention)
        #expect(try rows(session.databasePath, session: "s", withIDs: true) == before)
        let written = try await StoreRun.repair(session.home)
        #expect(written.sessions.first?.action == .backfilled)
        #expect(try session.isWhole())
    }

    /// A dry run beside the agent predicts the deferral the write would make, by the same test, and says so.
    @Test func aDryRunBesideTheAgentPredictsTheDeferralOfRowsThatMustMove() async throws {
        let session = try middleGap(seed: 15)
        let agent = try OpenConnection(session.databasePath)
        let predicted = try await StoreRun.repair(session.home, .init(dryRun: true))
        let written = try await StoreRun.repair(session.home, .init())
        agent.close()
        #expect(written.backupPath == nil, "nothing was written, so no backup was made")
        #expect(predicted.sessions.first?.action == .deferred)
        #expect(predicted.sessions.first?.reason == .rowsMustMoveBesideAgent(rows: 5, seen: true))
        #expect(written.sessions.first?.reason == predicted.sessions.first?.reason)
        #expect(predicted.needsAttention)
        #expect(predicted.renderedTable(colored: false).contains("1 session would be deferred while another process has the database open"))
        let alone = try await StoreRun.repair(session.home, .init(dryRun: true))
        #expect(alone.sessions.first?.action == .backfilled, "with the agent gone, the rows may move")
    }

    /// In a PID namespace of its own (a container), `/proc` shows neither the agent nor its locks; the kernel's lock
    /// table still answers for the `-shm`.
    @Test func anAgentOutsideTheRepairsContainerIsSeenByItsLockOnTheSharedMemory() throws {
        let session = try middleGap(seed: 17)
        let before = try rows(session.databasePath, session: "s", withIDs: true)
        let agent = try OpenConnection(session.databasePath)
        let inside = try CommandRunner.shell("unshare --pid --fork --mount-proc '\(CommandRunner.path(of: "transcript-fsck"))' "
                                             + "repair --home '\(session.home)' --no-backup --format json")
        agent.close()
        try #require(!inside.standardError.contains("unshare:"), "no PID namespace here: \(inside.standardError)")
        #expect(inside.status == 1, "\(inside.standardOutput)\n\(inside.standardError)")
        #expect(inside.standardOutput.contains("\"deferred\""), "\(inside.standardOutput)")
        #expect(try rows(session.databasePath, session: "s", withIDs: true) == before)
    }
}
