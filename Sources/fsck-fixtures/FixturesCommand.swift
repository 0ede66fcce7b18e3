import ArgumentParser
import Foundation
import StoreFixtures
import TranscriptFsck

@main
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck-fixtures",
        abstract: "Build deterministic Hermes stores for the demo, the tests and the benchmark.",
        subcommands: [Demo.self, BenchStore.self, BigTranscript.self, HugeMessage.self, HoldWriteLock.self, AppendMessages.self]
    )
}

extension FixtureSchema: ExpressibleByArgument {}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a demo store with one session of every status in DIR (replaced if it exists).")

    @Argument(help: "The store's home directory.")
    var home: String

    @Option(help: "Schema generation: early, middle or late.")
    var schema: FixtureSchema = .early

    func run() throws {
        try? FileManager.default.removeItem(atPath: home)
        let planted = try DemoStore.build(home: home, schema: schema)
        print("demo store in \(home) (\(schema.rawValue) schema):")
        for session in planted {
            print("  \(session.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(session.sessionID)  \(session.what)")
        }
    }
}

struct BenchStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store",
        abstract: "Build a benchmark store in DIR (replaced if it exists): many sessions, most gzip, a few percent truncated.")

    @Argument(help: "The store's home directory.") var home: String
    @Option(help: "Sessions to make.") var sessions = 10_000
    @Option(help: "Uncompressed transcript text to aim for, in MiB.") var megabytes = 1_000
    @Option(help: "The seed: the same seed and scale give the same store.") var seed: UInt64 = 1
    @Option(help: "Schema generation: early, middle or late.") var schema: FixtureSchema = .early
    @Flag(help: "Interleave the sessions' rows in row id order, as an agent serving many chats at once writes them.") var interleaved = false

    func run() throws {
        try? FileManager.default.removeItem(atPath: home)
        let summary = try BenchmarkStore.build(home: home, scale: .init(sessions: sessions, megabytes: megabytes, seed: seed,
                                                                        interleaved: interleaved), schema: schema)
        print("""
            bench store in \(home): \(summary.sessions) sessions, \(summary.messages) messages, \
            \(summary.transcriptBytes >> 20) MiB of transcripts; \(summary.truncatedSessions) sessions truncated, \
            \(summary.missingRows) rows missing
            """)
    }
}

struct BigTranscript: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "big-transcript",
        abstract: "Build a store in DIR whose one session has a single gzip transcript of about MEGABYTES MiB.")

    @Argument(help: "The store's home directory.") var home: String
    @Option(help: "Uncompressed size of the transcript, in MiB.") var megabytes = 2_048

    func run() throws {
        try? FileManager.default.removeItem(atPath: home)
        let store = try StoreBuilder(home: home)
        var generator = ConversationGenerator(seed: 9)
        let block = Array((generator.conversation(count: 4_000, start: 1_772_000_000).map { $0.transcriptLine() }
            .joined(separator: "\n") + "\n").utf8)
        let writer = try GzipFileWriter(path: store.sessionsDirectory + "/big.jsonl.gz")
        var written = 0
        while written < megabytes << 20 {
            try writer.write(block)
            written += block.count
        }
        try writer.close()
        print("big transcript in \(home): \(written >> 20) MiB uncompressed")
    }
}

struct HugeMessage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huge-message",
        abstract: "Build a store in DIR whose one session holds a message of MEGABYTES MiB of words, lost from the database.")

    @Argument(help: "The store's home directory.") var home: String
    @Option(help: "Size of the one large message's content, in MiB.") var megabytes = 300
    @Option(help: "The schema generation (late has the trigram index).") var schema = FixtureSchema.late

    func run() throws {
        let bytes = try HugeMessageStore.build(home: home, megabytes: megabytes, schema: schema)
        print("huge message in \(home): \(bytes >> 20) MiB, lost from the database with the message before it")
    }
}

struct HoldWriteLock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take the database's write lock, insert one agent-style message, hold it for SECONDS, then commit.",
        discussion: "Prints 'locked' once the lock is held, so a test knows when to start the other side.")

    @Argument var database: String
    @Argument var seconds: Double
    @Option(help: "The session the held transaction writes to.") var session = "held-lock-session"

    func run() throws {
        let connection = try SQLiteConnection(path: database, mode: .readWrite)
        try connection.inTransaction(.immediate) {
            try AgentWriter(connection: connection).append(sessionID: session, role: "user", content: "written while holding the lock")
            FileHandle.standardOutput.write(Data("locked\n".utf8))
            Thread.sleep(forTimeInterval: seconds)
            return .commit
        }
    }
}

struct AppendMessages: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append COUNT messages to SESSION as the agent does: one transaction per message, INTERVAL seconds apart.")

    @Argument var database: String
    @Argument var session: String
    @Argument var count: Int
    @Option var interval: Double = 0.05
    @Option(help: "Also append each message to this transcript file, after its row.") var transcript: String?

    func run() throws {
        let connection = try SQLiteConnection(path: database, mode: .readWrite)
        let writer = AgentWriter(connection: connection)
        for index in 0..<count {
            let content = "live message \(index) of \(session)"
            try connection.inTransaction(.immediate) {
                try writer.append(sessionID: session, role: index % 2 == 0 ? "user" : "assistant", content: content)
                return .commit
            }
            if let transcript {
                let line = FixtureMessage(role: index % 2 == 0 ? "user" : "assistant", content: .text(content),
                                          timestamp: Date().timeIntervalSince1970).transcriptLine() + "\n"
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: transcript))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(line.utf8))
                try handle.close()
            }
            Thread.sleep(forTimeInterval: interval)
        }
        print("appended \(count)")
    }
}
