import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A compression lineage (root -> child -> grandchild through `parent_session_id`) is read by the agent with one
/// query across its sessions, `WHERE session_id IN (root..tip) ORDER BY id`: a repair keeps every ancestor's rows
/// below every descendant's.
/// Its tests are of two lanes, so each carries its own tag (Support/Tags.swift).
@Suite struct LineageRepairTests {
    /// Three sessions, each continuing the one before; `kept` says which messages of each the database holds.
    struct Chain {
        let directory = TemporaryDirectory("lineage")
        let store: StoreBuilder
        let names = ["root", "child", "grandchild"]
        var messages: [[FixtureMessage]] = []

        init(counts: [Int], kept: [([FixtureMessage]) -> [FixtureMessage]]) throws {
            store = try StoreBuilder(home: directory.path)
            var generator = ConversationGenerator(seed: 40)
            var start = 1_772_000_000.0
            for (name, count) in zip(names, counts) {
                let conversation = generator.conversation(count: count, start: start)
                start = (conversation.last?.timestamp ?? start) + 60
                messages.append(conversation)
                try store.writeTranscript(name, messages: conversation)
            }
            for (index, name) in names.enumerated() {
                try store.addMessages(name, kept[index](messages[index]))
                if index > 0 {
                    try store.connection.prepare("UPDATE sessions SET parent_session_id = ? WHERE id = ?").run([.text(names[index - 1]), .text(name)])
                }
            }
        }

        var home: String { directory.path }

        /// The lineage read as the agent reads it, root to tip, against every message of every session in order.
        func readsWhole() throws -> Bool {
            let connection = try SQLiteConnection(path: store.databasePath, mode: .readOnly)
            let statement = try connection.prepare("""
                SELECT role, content FROM messages WHERE session_id IN ('root', 'child', 'grandchild') ORDER BY id
                """)
            var read: [[String?]] = []
            while try statement.step() { read.append([statement.text(0), statement.text(1)]) }
            let whole = messages.joined().map { [$0.role, $0.databaseContent] }
            return read == whole
        }
    }

    func whole(_ messages: [FixtureMessage]) -> [FixtureMessage] { messages }

    @Test(.tags(.store)) func aRootThatLostItsOldestMessagesIsRepairedBelowItsContinuationsAndMovesNothing() async throws {
        let chain = try Chain(counts: [12, 8, 6], kept: [{ Array($0.suffix(4)) }, whole, whole])
        let report = try await StoreRun.repair(chain.home)
        let root = try #require(report.sessions.first { $0.sessionID == "root" })
        #expect(root.action == .backfilled)
        #expect(root.placement.allSatisfy { !$0.movesRows }, "\(root.placement)")
        #expect(try chain.readsWhole())
    }

    @Test(.tags(.store)) func aChildThatLostItsOldestMessagesMovesAboveItsAncestorTogetherWithItsContinuation() async throws {
        let chain = try Chain(counts: [6, 12, 6], kept: [whole, { Array($0.suffix(4)) }, whole])
        let report = try await StoreRun.repair(chain.home)
        let child = try #require(report.sessions.first { $0.sessionID == "child" })
        #expect(child.action == .backfilled)
        #expect(child.placement.contains(.move(rows: 4, fromRowID: 7)), "\(child.placement)")
        #expect(child.placement.contains(.moveContinuation(sessionID: "grandchild", rows: 6)), "\(child.placement)")
        #expect(try chain.readsWhole())
        let again = try await StoreRun.repair(chain.home)
        #expect(again.sessions.allSatisfy { $0.inserted == 0 })
    }

    @Test(.tags(.store)) func aRootThatLostItsNewestMessagesPutsItsContinuationsAfterThem() async throws {
        let chain = try Chain(counts: [10, 6, 4], kept: [{ Array($0.prefix(6)) }, whole, whole])
        let report = try await StoreRun.repair(chain.home)
        let root = try #require(report.sessions.first { $0.sessionID == "root" })
        #expect(root.placement.contains(.moveContinuation(sessionID: "child", rows: 6)), "\(root.placement)")
        #expect(root.placement.contains(.moveContinuation(sessionID: "grandchild", rows: 4)), "\(root.placement)")
        #expect(try chain.readsWhole())
    }

    @Test(.tags(.store)) func aLineageThatWouldNeedRowsMovedWaitsForTheAgentToStop() async throws {
        let chain = try Chain(counts: [6, 12, 6], kept: [whole, { Array($0.suffix(4)) }, whole])
        let agent = try OpenConnection(chain.store.databasePath)
        let report = try await StoreRun.repair(chain.home)
        agent.close()
        let child = try #require(report.sessions.first { $0.sessionID == "child" })
        #expect(child.action == .deferred)
        #expect(child.reason == .rowsMustMoveBesideAgent(rows: 10, seen: true))
        #expect(try AgentView.integer(chain.store.databasePath, "SELECT count(*) FROM messages") == 16)
    }

    @Test(.tags(.unit)) func sessionsWhoseParentsFormACycleAreTakenAsLineagesOfTheirOwn() {
        var sessions: [SessionID: DatabaseSession] = [:]
        for (id, parent) in [("a", "b"), ("b", "a"), ("c", "a"), ("d", nil)] as [(SessionID, SessionID?)] {
            sessions[id] = DatabaseSession()
            sessions[id]!.parentSessionID = parent
        }
        let lineage = Lineage(sessions: sessions)
        #expect(lineage.ancestors(of: "a") == [] && lineage.descendants(of: "a") == ["c"])
        #expect(lineage.ancestors(of: "c") == ["a"])
        #expect(lineage.ancestors(of: "d") == [] && lineage.descendants(of: "d") == [])
    }
}
