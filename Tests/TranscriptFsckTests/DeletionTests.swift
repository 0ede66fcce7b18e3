import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A transcript of which the database has no trace: deleted by the user (the agent's delete leaves transcripts
/// behind), or never recorded. Neither is created unless asked, and only the second fails the audit.
@Suite(.tags(.store)) struct DeletionTests {
    /// Three sessions written one after the other; the middle one is `middle`'s fate.
    struct Store {
        let directory = TemporaryDirectory("deletion")
        let store: StoreBuilder
        var messages: [[FixtureMessage]] = []
        var home: String { directory.path }

        enum Fate { case deleted, neverRecorded, legacy }

        init(_ fate: Fate) throws {
            store = try StoreBuilder(home: directory.path)
            var generator = ConversationGenerator(seed: 60)
            for (index, name) in ["before", "middle", "after"].enumerated() {
                let conversation = generator.conversation(count: 10, start: 1_772_000_000 + Double(index) * 3_600)
                messages.append(conversation)
                try store.writeTranscript(name, messages: conversation)
                if name == "middle", fate != .deleted { continue }
                try store.addMessages(name, conversation)
            }
            switch fate {
            case .deleted:
                try store.connection.execute("DELETE FROM messages WHERE session_id = 'middle'; DELETE FROM sessions WHERE id = 'middle'")
            case .neverRecorded:
                break
            case .legacy:
                // From before the SQLite store: its transcript was last written before the database's first record.
                try store.writeTranscript("middle", messages: messages[1].map { var old = $0; old.timestamp = $0.timestamp.map { $0 - 86_400 }; return old })
            }
        }

        func status() async throws -> SessionFinding? {
            try await StoreRun.scan(home)
                .findings.first { $0.sessionID == "middle" }
        }
    }

    @Test func aSessionWhoseRowsWereDeletedIsDeletedAndTheNightlyAuditPasses() async throws {
        let store = try Store(.deleted)
        let finding = try #require(try await store.status())
        #expect(finding.status == .deleted)
        #expect(finding.warnings == [.deletedByTheUser(freedIDs: 10)])
        #expect(finding.warnings.first?.sentence.contains("the user deleted it") == true)
        #expect(try CommandRunner.fsck(["scan", "--home", store.home, "--quiet"]).status == 0)
    }

    @Test func aDeletedSessionStaysDeletedUnlessItIsNamed() throws {
        let store = try Store(.deleted)
        let repair = try CommandRunner.fsck(["repair", "--home", store.home, "--no-backup", "--create-missing", "--format", "json"])
        #expect(repair.status == 0, "\(repair.standardOutput)")
        #expect(repair.standardOutput.contains("left deleted"))
        #expect(try AgentView.integer(store.store.databasePath, "SELECT count(*) FROM sessions WHERE id = 'middle'") == 0)
        let named = try CommandRunner.fsck(["repair", "--home", store.home, "--no-backup", "--session", "middle"])
        #expect(named.status == 0, "\(named.standardOutput)")
        #expect(try AgentView.matches(store.store.databasePath, session: "middle", store.messages[1]))
    }

    @Test func aSessionThatNeverReachedTheDatabaseIsMissingAndCreatedOnlyWhenAsked() async throws {
        let store = try Store(.neverRecorded)
        let finding = try #require(try await store.status())
        #expect(finding.status == .missing)
        #expect(finding.warnings == [.neverRecorded(beforeTheDatabase: false)])
        #expect(try CommandRunner.fsck(["scan", "--home", store.home, "--quiet"]).status == 1)
        let asked = try CommandRunner.fsck(["repair", "--home", store.home, "--no-backup"])
        #expect(asked.status == 1)
        #expect(asked.standardOutput.contains("--create-missing"), "\(asked.standardOutput)")
        #expect(try AgentView.integer(store.store.databasePath, "SELECT count(*) FROM sessions WHERE id = 'middle'") == 0)
        let created = try CommandRunner.fsck(["repair", "--home", store.home, "--no-backup", "--create-missing"])
        #expect(created.status == 0, "\(created.standardOutput)")
        #expect(try AgentView.matches(store.store.databasePath, session: "middle", store.messages[1]))
    }

    @Test func aTranscriptFromBeforeTheDatabaseIsALegacySessionNeverRecorded() async throws {
        let store = try Store(.legacy)
        let finding = try #require(try await store.status())
        #expect(finding.status == .missing)
        #expect(finding.warnings == [.neverRecorded(beforeTheDatabase: true)])
    }

    /// The transcripts hold the agent's local time without a zone; read in another zone, they are moved back to the
    /// database's clock by what the sessions both stores hold say, so the verdict does not depend on the zone.
    @Test(arguments: ["Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"])
    func theVerdictIsTheSameInEveryTimeZone(zone: String) throws {
        for (fate, status) in [(Store.Fate.deleted, "deleted"), (.neverRecorded, "missing")] {
            let store = try Store(fate)
            let scan = try CommandRunner.fsck(["scan", "--home", store.home, "--format", "jsonl"], environment: ["TZ": zone])
            let line = scan.standardOutput.split(separator: "\n").first { $0.contains("\"session_id\":\"middle\"") } ?? ""
            #expect(line.contains("\"status\":\"\(status)\""), "\(fate) in \(zone): \(line)")
        }
    }
}
