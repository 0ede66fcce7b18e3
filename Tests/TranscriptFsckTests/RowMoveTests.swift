import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// The rows after a gap are rewritten behind the backfilled ones, so that the agent's ORDER BY id reads the
/// transcript's order: every value they hold is kept, and nothing else changes.
@Suite struct RowMoveTests {
    func repair(_ home: String, _ options: StoreRepairer.Options = .init(makeBackup: false)) async throws -> RepairReport {
        try await StoreRepairer(location: .resolve(home: home, database: nil, transcriptRoots: [], environment: [:]), options: options).repair()
    }

    /// Every column of the session's message rows but `id` and `display_order`, in id order.
    func rows(_ database: String, session: String) throws -> [[String?]] {
        let connection = try SQLiteConnection(path: database, mode: .readOnly)
        let columns = try StoreSchema.read(from: connection).messageColumns.map(\.name).filter { !["id", "display_order"].contains($0) }
        let statement = try connection.prepare("SELECT \(columns.joined(separator: ", ")) FROM messages WHERE session_id = ? ORDER BY id")
        try statement.bind([.text(session)])
        var rows: [[String?]] = []
        while try statement.step() { rows.append((0..<Int32(columns.count)).map { statement.text($0) }) }
        return rows
    }

    @Test func survivorsKeepEveryValueTheyHeld() async throws {
        let session = try TruncatedSession(count: 30, keepNewest: 10, seed: 5, schema: .late)
        let database = try SQLiteConnection(path: session.databasePath, mode: .readWrite)
        try database.execute("""
            UPDATE messages SET reasoning = 'thought ' || id, token_count = id * 7, finish_reason = 'stop',
                platform_message_id = 'tg-' || id, api_content = 'sent ' || id, observed = 1
            """)
        let before = try rows(session.databasePath, session: "s")
        let report = try await repair(session.home)
        #expect(report.sessions.first?.placement.last == .move(rows: 10, fromRowID: 1))
        #expect(report.sessions.first?.placement.last?.sentence == "10 rows from row id 1 on get new ids behind them, every value kept")
        let after = try rows(session.databasePath, session: "s")
        #expect(after.count == 30)
        #expect(Array(after.suffix(10)) == before)
        #expect(try session.isWhole())
    }

    @Test func displayOrderDerivedFromTheOldIDIsDerivedAgain() async throws {
        let session = try TruncatedSession(count: 20, keepNewest: 5, seed: 6, schema: .late)
        try await repair(session.home)
        let order = try SQLiteConnection(path: session.databasePath, mode: .readOnly)
            .prepare("SELECT count(*) FROM messages WHERE display_order != id").singleInteger()
        #expect(order == 0)
    }

    @Test(arguments: FixtureSchema.allCases)
    func theFullTextIndexFollowsTheMovedRows(schema: FixtureSchema) async throws {
        let session = try TruncatedSession(count: 40, keepNewest: 8, seed: 7, schema: schema)
        let report = try await repair(session.home)
        #expect(!report.fullTextChecks.isEmpty)
        #expect(report.fullTextChecks.allSatisfy { $0.failure == nil }, "\(report.fullTextChecks)")
        if schema == .middle {
            // This generation's index keeps its own copy: a moved row's old entry must be gone, not left beside the new.
            let indexed = try SQLiteConnection(path: session.databasePath, mode: .readOnly)
                .prepare("SELECT count(*) FROM messages_fts").singleInteger()
            #expect(indexed == 40)
        }
    }

    @Test func bookkeepingRowsMoveWithTheRowsAroundThem() async throws {
        var generator = ConversationGenerator(seed: 8)
        let messages = generator.conversation(count: 12, start: 1_772_000_000)
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path)
        try store.writeTranscript("s", messages: messages)
        try store.addMessages("s", Array(messages[8..<10]))
        try store.addSessionMetaRow("s", at: messages[10].timestamp!)
        try store.addMessages("s", Array(messages[10...]))
        try await repair(directory.path)
        #expect(try AgentView.matches(store.databasePath, session: "s", messages))
        let roles = try SQLiteConnection(path: store.databasePath, mode: .readOnly).prepare(
            "SELECT group_concat(role, ',') FROM (SELECT role FROM messages WHERE session_id = 's' ORDER BY id) WHERE 1")
        #expect(try roles.step())
        #expect(roles.text(0)?.components(separatedBy: ",").firstIndex(of: "session_meta") == 10)
    }

    @Test func aTableReferencingMessageIDsStopsTheMoveWithTheReason() async throws {
        let session = try TruncatedSession(count: 20, keepNewest: 5, seed: 9)
        let database = try SQLiteConnection(path: session.databasePath, mode: .readWrite)
        try database.execute("CREATE TABLE bookmarks (message_id INTEGER REFERENCES messages(id))")
        let before = try rows(session.databasePath, session: "s")
        let report = try await repair(session.home)
        #expect(report.sessions.first?.action == .refused)
        #expect(report.sessions.first?.reason == .rowsCannotMove(beforeRowID: 1, .referencingTable("bookmarks")))
        #expect(try rows(session.databasePath, session: "s") == before)
    }

    @Test func aDeleteTriggerWritingBeyondTheIndexStopsTheMove() async throws {
        let session = try TruncatedSession(count: 20, keepNewest: 5, seed: 10)
        let database = try SQLiteConnection(path: session.databasePath, mode: .readWrite)
        try database.execute("""
            CREATE TABLE audit (what TEXT);
            CREATE TRIGGER messages_audit AFTER DELETE ON messages BEGIN INSERT INTO audit VALUES (old.content); END;
            """)
        let report = try await repair(session.home)
        #expect(report.sessions.first?.reason == .rowsCannotMove(beforeRowID: 1, .deleteTrigger("messages_audit", writes: ["audit"])))
        #expect(report.sessions.first?.reason?.sentence.contains("trigger messages_audit runs on delete and writes audit") == true)
    }

    @Test func rowsOnlyAfterEveryRowMoveNothing() async throws {
        let session = try TruncatedSession(count: 20, seed: 12, kept: { Array($0.prefix(15)) })
        let before = try rows(session.databasePath, session: "s")
        let report = try await repair(session.home)
        #expect(report.sessions.first?.placement == [.insert(rows: 5, firstMessage: 16, anchor: .after(rowID: 15), flags: nil)])
        #expect(report.sessions.first?.placement.map(\.sentence) == ["5 rows after row id 15 (messages 16-20)"])
        #expect(Array(try rows(session.databasePath, session: "s").prefix(15)) == before)
    }
}
