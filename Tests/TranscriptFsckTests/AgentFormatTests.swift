import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// The agent's format is detected once, from the schema, and every question about the store goes to it.
/// Its tests are of three lanes, so each carries its own tag (Support/Tags.swift).
@Suite struct AgentFormatTests {
    func detect(_ database: String) throws -> any AgentFormat {
        try DatabaseReader.withSnapshot(path: database) { _, format in format }
    }

    @Test(.tags(.store),
          arguments: [(FixtureSchema.early, "HermesTranscriptEra"), (.middle, "HermesTranscriptEra"), (.late, "HermesDisplayOrder")])
    func eachFixtureGenerationHasItsFormat(schema: FixtureSchema, expected: String) throws {
        let directory = TemporaryDirectory()
        let store = try StoreBuilder(home: directory.path, schema: schema)
        let format = try detect(store.databasePath)
        #expect(String(describing: type(of: format)) == expected)
        #expect(format.flagColumns == (schema == .late ? FlagColumns(active: "active", compacted: "compacted") : nil))
    }

    /// The stores the released agents create themselves: 0.13.0 (transcripts), 0.16.0 (active, no compacted), 0.19.0.
    @Test(.tags(.interop),
          arguments: [("0.13.0", "HermesTranscriptEra", nil), ("0.16.0", "HermesLiveContext", FlagColumns(active: "active", compacted: nil)),
                      ("0.19.0", "HermesLiveContext", FlagColumns(active: "active", compacted: "compacted"))])
    func eachReleasedAgentsOwnStoreHasItsFormat(version: String, expected: String, flags: FlagColumns?) throws {
        let directory = TemporaryDirectory()
        let venv = try CommandRunner.shell("'\(InteropScripts.directory)/hermes-venv.sh' \(version)")
        try #require(venv.status == 0, "\(venv.standardError)")
        let python = venv.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let made = try CommandRunner.shell("HERMES_HOME='\(directory.path)' '\(python)' -c 'import hermes_state, pathlib; "
                                           + "hermes_state.SessionDB(db_path=pathlib.Path(\"\(directory.path)/state.db\")).close()'")
        try #require(made.status == 0, "\(made.standardError)")
        let format = try detect(directory.path + "/state.db")
        #expect(String(describing: type(of: format)) == expected)
        #expect(format.flagColumns == flags)
        #expect(format.sessionOrder == "id")
        #expect(format.bookkeepingRole == "session_meta")
    }

    @Test(.tags(.store)) func aStoreWithoutTheMessagesTableIsNoKnownGeneration() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.path + "/state.db", mode: .create)
        try connection.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY)")
        #expect {
            _ = try detect(directory.path + "/state.db")
        } throws: { error in
            "\(error)".contains("unknown schema: no table messages")
        }
    }

    /// The flag columns are the ones the store has, whatever the generation: a store with display_order but no
    /// active column (once read as having one, whose SELECT then failed) has none.
    @Test(.tags(.store)) func aGenerationsFlagsAreTheColumnsTheStoreHas() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.path + "/state.db", mode: .create)
        try connection.execute("""
            CREATE TABLE sessions (id TEXT PRIMARY KEY);
            CREATE TABLE messages (id INTEGER PRIMARY KEY, session_id TEXT, role TEXT, content TEXT, timestamp REAL,
                                   display_order INTEGER);
            INSERT INTO sessions VALUES ('s');
            INSERT INTO messages (session_id, role, content, timestamp) VALUES ('s', 'user', 'hi', 1);
            """)
        let format = try detect(directory.path + "/state.db")
        #expect(String(describing: type(of: format)) == "HermesDisplayOrder")
        #expect(format.flagColumns == nil)
        let snapshot = try DatabaseReader.snapshot(path: directory.path + "/state.db", sessionIDs: ["s"])
        #expect(snapshot.sessions["s"]?.flags == [nil])
    }

    /// What the repair stores for list content, the export reads back as the list; what the agent cannot decode stays text.
    @Test(.tags(.unit)) func encodedContentIsDecodedAsTheAgentDecodesIt() {
        let list = #"[{"type": "text", "text": "hi"}]"#
        guard case .text(let stored) = HermesMessageValues.content(.json(list)) else {
            Issue.record("list content not stored as text")
            return
        }
        #expect(stored == "\u{0}json:" + list)
        #expect(HermesMessageValues.storedJSON(content: stored) == list)
        #expect(HermesMessageValues.storedJSON(content: "\u{0}json:[broken") == nil)
        #expect(HermesMessageValues.storedJSON(content: "plain") == nil)
    }

    @Test(.tags(.store)) func aMovedRowHasItsDerivedDisplayOrderDerivedAgain() throws {
        let directory = TemporaryDirectory()
        let late = try detect(StoreBuilder(home: directory.path, schema: .late).databasePath)
        #expect(late.copiedValue(of: "display_order") == "CASE WHEN display_order = id THEN NULL ELSE display_order END")
        #expect(late.copiedValue(of: "content") == "\"content\"")
    }
}
