import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Faults around the tool: a full disk, a read-only file system, a database that vanishes, links that leave the store.
@Suite(.tags(.store)) struct ReliabilityTests {
    /// Runs `transcript-fsck` under a shell that caps file sizes, as a full disk would.
    func fsckWithFileSizeLimit(kilobytes: Int, _ arguments: [String]) throws -> CommandResult {
        // Ignoring SIGXFSZ turns the over-limit write into an EFBIG error that SQLite reports, as ENOSPC would be.
        return try CommandRunner.shell("ulimit -f \(kilobytes); trap '' XFSZ; exec \(CommandRunner.shellLine(arguments))")
    }

    /// ThreadSanitizer's runtime itself dies of SIGBUS under a file-size limit, so make sanitize's TSan pass skips the ulimit tests.
    static let underThreadSanitizer = ProcessInfo.processInfo.environment["TRANSCRIPT_FSCK_SANITIZER"] == "thread"

    @Test(.disabled(if: underThreadSanitizer, "TSan's runtime cannot run under ulimit -f"))
    func fullDiskStopsTheRepairWithEverySessionWholeOrUntouched() throws {
        let directory = TemporaryDirectory("full")
        let sessions = try KillFixture.build(home: directory.path, sessions: 30)
        let database = directory.path + "/state.db"
        try StoreFiles.checkpoint(database)
        let size = try FileManager.default.attributesOfItem(atPath: database)[.size] as! Int
        // Room for the database as it is and a little write-ahead log: a few sessions fit, then the disk is "full".
        let result = try fsckWithFileSizeLimit(kilobytes: size / 1024 + 400, ["repair", "--home", directory.path, "--no-backup", "--jobs", "1"])
        #expect(result.status == 2, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardError.contains("repair stopped"))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(try AgentView.text(database, "PRAGMA integrity_check") == "ok")
        for session in sessions {
            let rows = try AgentView.rows(database, session: session.id).count
            #expect(rows == session.surviving || rows == session.messages.count)
        }
        #expect(try CommandRunner.fsck(["repair", "--home", directory.path, "--no-backup"]).status == 0)
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path]).status == 0)
    }

    @Test(.disabled(if: underThreadSanitizer, "TSan's runtime cannot run under ulimit -f"))
    func fullDiskDuringTheBackupWritesNothing() throws {
        let directory = TemporaryDirectory("full")
        try KillFixture.build(home: directory.path, sessions: 30)
        let database = directory.path + "/state.db"
        try StoreFiles.checkpoint(database)
        let before = try StoreFiles.bytes(database)
        // Half the database: room for SQLite's 32 KiB shared-memory file and the log, not for a whole copy.
        let result = try fsckWithFileSizeLimit(kilobytes: before.count / 2048, ["repair", "--home", directory.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("backup failed"))
        #expect(result.standardError.contains("nothing was written"))
        try StoreFiles.checkpoint(database)
        #expect(try StoreFiles.bytes(database) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".bak-") }
        #expect(leftovers.isEmpty, "a partial backup was left: \(leftovers)")
    }

    static let canMount: Bool = {
        let probe = TemporaryDirectory("mount")
        return (try? CommandRunner.shell("mount -t tmpfs -o size=1m tmpfs '\(probe.path)' && umount '\(probe.path)'").status) == 0
    }()

    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func readOnlyFileSystemIsAClearErrorAndTheDatabaseIsUnchanged() throws {
        let directory = TemporaryDirectory("readonly")
        let shell = { (command: String) throws -> Int32 in try CommandRunner.shell(command).status }
        #expect(try shell("mount -t tmpfs -o size=64m tmpfs '\(directory.path)'") == 0)
        defer { _ = try? shell("umount -l '\(directory.path)'") }
        let home = directory.path + "/store"
        try DemoStore.build(home: home)
        try StoreFiles.checkpoint(home + "/state.db")
        let before = try StoreFiles.bytes(home + "/state.db")
        #expect(try shell("mount -o remount,ro '\(directory.path)'") == 0)
        let result = try CommandRunner.fsck(["repair", "--home", home, "--no-backup"])
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains(home))
        #expect(try StoreFiles.bytes(home + "/state.db") == before)
    }

    @Test func aDatabaseWithAnIndexMissingRowsIsRefusedBeforeAnythingIsWritten() throws {
        // Five rows go in while the session index is hidden from SQLite, so the index lacks them: quick_check
        // passes, lookups by session see 5 of 10 rows, and a repair trusting them would insert 5 rows again.
        let session = try TruncatedSession(count: 10, keepNewest: 5, seed: 41)
        let database = session.databasePath
        let root = try #require(try AgentView.integer(database, "SELECT rootpage FROM sqlite_master WHERE name = 'idx_messages_session'"))
        let sql = try #require(try AgentView.text(database, "SELECT sql FROM sqlite_master WHERE name = 'idx_messages_session'"))
        try SQLiteConnection(path: database, mode: .readWrite)
            .execute("PRAGMA writable_schema = ON; DELETE FROM sqlite_master WHERE name = 'idx_messages_session'")
        do {  // a new connection, which no longer knows the index
            let hidden = try SQLiteConnection(path: database, mode: .readWrite)
            try hidden.execute("INSERT INTO messages (session_id, role, content, timestamp) SELECT session_id, role, content, timestamp - 1000 FROM messages")
            try hidden.execute("PRAGMA writable_schema = ON; INSERT INTO sqlite_master VALUES ('index', 'idx_messages_session', 'messages', \(root), '\(sql)')")
        }
        #expect(try AgentView.text(database, "PRAGMA quick_check") == "ok")
        let rows = try AgentView.integer(database, "SELECT count(*) FROM messages NOT INDEXED")

        let repair = try CommandRunner.fsck(["repair", "--home", session.home])
        #expect(repair.status == 2)
        #expect(repair.standardError.contains("the database is damaged (row "), "\(repair.standardError)")
        #expect(repair.standardError.contains("nothing was written"))
        #expect(try AgentView.integer(database, "SELECT count(*) FROM messages NOT INDEXED") == rows)
        #expect(try FileManager.default.contentsOfDirectory(atPath: session.home).allSatisfy { !$0.contains(".bak-") })
        let doctor = try CommandRunner.fsck(["doctor", "--home", session.home])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains("failure  integrity"), "\(doctor.standardOutput)")
    }

    /// The database pass is over and the transcript is being read (with --jobs 1, one after the other): the scan is
    /// stopped there, `change` removes or replaces the database, and the scan goes on.
    func scanWhileTheDatabaseChanges(_ label: String, _ change: (String) throws -> Void) throws -> CommandResult {
        let directory = TemporaryDirectory(label)
        #expect(try CommandRunner.run("fsck-fixtures", ["big-transcript", directory.path, "--megabytes", "48"]).status == 0)
        let scan = try CommandRunner.start("transcript-fsck", ["scan", "--home", directory.path, "--jobs", "1"])
        let reading = try #require(ProcessFiles.waitUntilOpen(scan.process, fileIn: directory.path + "/sessions"),
                                   "the scan never had the transcript open")
        kill(scan.process.processIdentifier, SIGSTOP)
        try change(directory.path + "/state.db")
        kill(scan.process.processIdentifier, SIGCONT)
        let result = scan.finish()
        #expect(scan.process.terminationReason == .exit, "\(reading)")
        return result
    }

    @Test func databaseDeletedWhileScanningIsOneLineAndExitTwo() throws {
        let result = try scanWhileTheDatabaseChanges("vanish") { database in
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("state.db: the database was removed or replaced while it was being read"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func databaseReplacedByAnotherFileWhileScanningIsOneLineAndExitTwo() throws {
        let result = try scanWhileTheDatabaseChanges("replace") { database in
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: database + ".new"))
            rename(database + ".new", database)
        }
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("state.db: the database was removed or replaced while it was being read"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test(.asNobody)
    func anUnreadableTranscriptsDirectoryStopsTheScanInsteadOfHidingItsSessions() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 10, seed: 52)
        try session.store.writeTranscript("hidden", messages: session.messages)
        let hidden = session.home + "/sessions/private"
        try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: session.home + "/sessions/hidden.jsonl", toPath: hidden + "/hidden.jsonl")
        // nobody may read the store and write its -shm, but not list sessions/private.
        #expect(chmod(session.home, 0o777) == 0 && chmod(session.databasePath, 0o666) == 0 && chmod(hidden, 0o700) == 0)
        for file in ["-wal", "-shm"] { chmod(session.databasePath + file, 0o666) }
        let result = try Nobody.fsck(["scan", "--home", session.home])
        #expect(result.status == 2, "\(result.standardOutput)")
        #expect(result.standardError.contains("private: cannot read this transcripts directory (Permission denied)"), "\(result.standardError)")
    }

    @Test(.asNobody)
    func aWALDatabaseInADirectoryThisUserCannotWriteSaysWhatIsWrong() throws {
        // A closed copy without its -shm: reading it needs one, in a directory that only root may write.
        let copy = try TruncatedSession.closedCopy(seed: 55)
        #expect(chmod(copy.file("state.db"), 0o644) == 0)
        let scan = try Nobody.fsck(["scan", "--home", copy.path])
        #expect(scan.status == 2)
        #expect(scan.standardError.contains("cannot read it as this user: it is in WAL mode"), "\(scan.standardError)")
        #expect(!scan.standardError.contains("pragma_table_info"))

        // Owned by nobody but made read-only: doctor says a repair cannot write it.
        Nobody.give(copy.path, copy.file("state.db"))
        #expect(chmod(copy.file("state.db"), 0o444) == 0)
        let doctor = try Nobody.fsck(["doctor", "--home", copy.path])
        #expect(doctor.status == 1)
        #expect(doctor.standardOutput.contains("state.db is not writable by this user: repair cannot write it"), "\(doctor.standardOutput)")
    }

    @Test func aBackupDirectoryGetsTheDefaultNameInside() async throws {
        let directory = TemporaryDirectory("demo")
        try DemoStore.build(home: directory.path)
        let backups = TemporaryDirectory("backups")
        let result = try CommandRunner.fsck(["repair", "--home", directory.path, "--backup", backups.path])
        #expect(result.status == 1, "\(result.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: backups.path)
        #expect(names.count == 1 && names[0].hasPrefix("state.db.bak-"), "\(names)")
        #expect(try AgentView.text(backups.file(names[0]), "PRAGMA integrity_check") == "ok")
    }

    /// A full scan, then an incremental one that writes its state file and one that reads it, as JSON lines; each is
    /// expected to find problems (exit 1).
    private func scansFullAndIncremental(_ directory: TemporaryDirectory) throws -> [([String], CommandResult)] {
        let since = ["scan", "--since", directory.file("since.json")]
        return try [["scan"], since, since].map { command in
            let result = try CommandRunner.fsck(command + ["--home", directory.path, "--format", "jsonl"])
            #expect(result.status == 1, "\(command): \(result.standardError)")
            return (command, result)
        }
    }

    @Test func sessionIDsThatDifferOnlyInUnicodeNormalisationAreTwoSessions() throws {
        let directory = TemporaryDirectory("nfc")
        let store = try StoreBuilder(home: directory.path)
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed && !composed.utf8.elementsEqual(decomposed.utf8))  // Swift: equal; SQLite: not
        var generator = ConversationGenerator(seed: 56)
        for (id, kept) in [(composed, 3), (decomposed, 4), ("plain", 2)] {
            let messages = generator.conversation(count: 6, start: 1_772_000_000)
            try store.writeTranscript(id, messages: messages)
            try store.addMessages(id, Array(messages.suffix(kept)))
        }
        for (command, result) in try scansFullAndIncremental(directory) {
            let lines = result.standardOutput.split(separator: "\n").filter { $0.contains("\"status\":\"truncated\"") }
            #expect(lines.count == 3, "\(command): \(result.standardOutput)")
            #expect(lines.contains { $0.contains("\"session_id\":\"\(composed)\"") && $0.contains("\"missing_messages\":3") })
            #expect(lines.contains { $0.contains("\"session_id\":\"\(decomposed)\"") && $0.contains("\"missing_messages\":2") })
        }
        let repair = try CommandRunner.fsck(["repair", "--home", directory.path])
        #expect(repair.status == 0, "\(repair.standardOutput)\(repair.standardError)")
        // Each spelling's rows went to its own session, byte for byte.
        #expect(try AgentView.text(store.databasePath, "SELECT group_concat(hex(session_id) || ':' || n, ' ') FROM "
                                   + "(SELECT session_id, count(*) AS n FROM messages GROUP BY session_id ORDER BY hex(session_id))")
                == "63616665CC81:6 636166C3A9:6 706C61696E:6")
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path]).status == 0)
        // One spelling in each store: two sessions to SQLite, so neither is paired with the other.
        try store.connection.execute("DELETE FROM messages WHERE session_id = '\(decomposed)'; DELETE FROM sessions WHERE id = '\(decomposed)'")
        try FileManager.default.removeItem(atPath: store.sessionsDirectory + "/\(composed).jsonl")
        let crossed = try CommandRunner.fsck(["scan", "--home", directory.path, "--format", "jsonl"])
        #expect(crossed.status == 0)
        #expect(crossed.standardOutput.contains("\"session_id\":\"\(composed)\",\"status\":\"database_only\""), "\(crossed.standardOutput)")
        // Its rows are gone and their ids free: the user deleted it, and the other spelling's rows are no trace of it.
        #expect(crossed.standardOutput.contains("\"session_id\":\"\(decomposed)\",\"status\":\"deleted\""), "\(crossed.standardOutput)")
        #expect(try CommandRunner.fsck(["repair", "--home", directory.path]).status == 0)
        #expect(try AgentView.integer(store.databasePath, "SELECT count(*) FROM messages WHERE session_id = '\(composed)'") == 6)
        #expect(try AgentView.integer(store.databasePath, "SELECT count(*) FROM messages WHERE session_id = '\(decomposed)'") == 0)
    }

    @Test func databaseIDsThatAreNotUTF8StayApartFromEachOtherAndFromTheReplacementCharacter() throws {
        let directory = TemporaryDirectory("notutf8")
        let store = try StoreBuilder(home: directory.path)
        var generator = ConversationGenerator(seed: 57)
        let replaced = "a\u{FFFD}"  // what both ids below become when decoded with repair
        let messages = generator.conversation(count: 6, start: 1_772_000_000)
        try store.writeTranscript(replaced, messages: messages)
        try store.addMessages(replaced, Array(messages.suffix(2)))
        for (hex, count) in [("61FF", 2), ("61FE", 3)] {
            try store.connection.execute("INSERT INTO sessions (id, source, started_at) VALUES (CAST(X'\(hex)' AS TEXT), 'cli', 1772000000)")
            for number in 0..<count {
                try store.connection.execute("INSERT INTO messages (session_id, role, content, timestamp) "
                                             + "VALUES (CAST(X'\(hex)' AS TEXT), 'user', 'row \(number)', \(1_772_000_000 + number))")
            }
        }
        for (command, result) in try scansFullAndIncremental(directory) {
            let sessions = result.standardOutput.split(separator: "\n").filter { $0.contains("\"session_id\"") }
            #expect(sessions.count == 3, "\(command): \(result.standardOutput)")
            #expect(sessions.contains { $0.contains("\"session_id_hex\":\"61ff\"") && $0.contains("\"database_messages\":2") })
            #expect(sessions.contains { $0.contains("\"session_id_hex\":\"61fe\"") && $0.contains("\"database_messages\":3") })
            #expect(sessions.contains { $0.contains("\"status\":\"truncated\"") && !$0.contains("session_id_hex") })
        }
        let junit = try CommandRunner.fsck(["scan", "--home", directory.path, "--format", "junit"])
        #expect(junit.standardOutput.contains("name=\"a\\xff\"") && junit.standardOutput.contains("name=\"a\\xfe\""), "\(junit.standardOutput)")
        let repair = try CommandRunner.fsck(["repair", "--home", directory.path])
        #expect(repair.status == 0, "\(repair.standardOutput)\(repair.standardError)")
        #expect(try AgentView.text(store.databasePath, "SELECT group_concat(hex(session_id) || ':' || n, ' ') FROM "
                                   + "(SELECT session_id, count(*) AS n FROM messages GROUP BY session_id ORDER BY hex(session_id))")
                == "61EFBFBD:6 61FE:3 61FF:2")
    }

    @Test func aTranscriptWhoseNameIsNotUTF8IsNamedAndEveryOtherSessionAudited() throws {
        let session = try TruncatedSession(count: 10, keepNewest: 2, seed: 53)
        // "café.jsonl" in Latin-1: the é is the single byte 0xE9.
        let name = Array("\(session.home)/sessions/caf".utf8) + [0xE9] + Array(".jsonl".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        #expect(descriptor >= 0)
        close(descriptor)
        let result = try CommandRunner.fsck(["scan", "--home", session.home])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("truncated"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("caf\u{FFFD}.jsonl: name not UTF-8"), "\(result.standardOutput)")
        // The session beside it is whole again, but the odd name still keeps the audit from an all-clear.
        #expect(try CommandRunner.fsck(["repair", "--home", session.home]).status == 0)
        #expect(try CommandRunner.fsck(["scan", "--home", session.home, "--quiet"]).status == 1)
    }

    @Test func symbolicLinksOutOfTheTranscriptsDirectoryAreNotFollowed() async throws {
        let outside = TemporaryDirectory("outside")
        let session = try TruncatedSession(count: 10, keepNewest: 10, seed: 51)
        try outside.write("stranger.jsonl", text: Transcripts.lines(5).joined(separator: "\n") + "\n")
        try FileManager.default.createDirectory(atPath: outside.file("tree"), withIntermediateDirectories: true)
        try outside.write("tree/other.jsonl", text: Transcripts.lines(5).joined(separator: "\n") + "\n")
        try FileManager.default.createSymbolicLink(atPath: session.home + "/sessions/stranger.jsonl", withDestinationPath: outside.file("stranger.jsonl"))
        try FileManager.default.createSymbolicLink(atPath: session.home + "/sessions/linked-dir", withDestinationPath: outside.file("tree"))
        let report = try await StoreRun.scan(session.home)
        #expect(report.findings.map(\.sessionID) == ["s"])
        #expect(Set(report.warnings.map(\.sentence)) == [
            session.home + "/sessions/linked-dir: symbolic link to a directory not followed; its transcripts are not audited. "
                + "Move the directory here, or pass it with --transcripts",
            session.home + "/sessions/stranger.jsonl: symbolic link not followed; copy the file into the transcripts directory to include it"])
    }

    /// Exit 0 means everything was read: a link the scan does not follow, or a FIFO under a transcript's name, is history
    /// it cannot vouch for.
    @Test func anUnreadTranscriptNeverGivesAnAllClear() throws {
        let outside = TemporaryDirectory("outside")
        let session = try TruncatedSession(count: 10, keepNewest: 10, seed: 52)
        try outside.write("s1.jsonl", text: Transcripts.lines(10).joined(separator: "\n") + "\n")
        try FileManager.default.createSymbolicLink(atPath: session.home + "/sessions/s1.jsonl", withDestinationPath: outside.file("s1.jsonl"))
        let metrics = session.directory.file("metrics.prom")
        let linked = try CommandRunner.fsck(["scan", "--home", session.home, "--quiet", "--metrics", metrics])
        #expect(linked.status == 1)
        let unread = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("transcript_fsck_unread_transcripts{") }
        #expect(unread?.hasSuffix("} 1") == true, "\(String(describing: unread))")
        let table = try CommandRunner.fsck(["scan", "--home", session.home])
        #expect(!table.standardOutput.contains("Every session's history is in"), "\(table.standardOutput)")
        #expect(table.standardOutput.contains("1 transcript entry was not read"), "\(table.standardOutput)")
        unlink(session.home + "/sessions/s1.jsonl")
        #expect(mkfifo(session.home + "/sessions/x.jsonl", 0o644) == 0)
        let fifo = try CommandRunner.fsck(["scan", "--home", session.home])
        #expect(fifo.status == 1)
        #expect(fifo.standardOutput.contains("x.jsonl: not a file (a FIFO, socket or device), not read"), "\(fifo.standardOutput)")
    }

    /// No recursion bounded only by the input: a value nested deeper than the agent's own json.loads can read is a
    /// `corrupt` line, and a database row like it is compared as the text it is; the scan goes on.
    @Test func valuesNestedFiftyThousandDeepAreNamedNotACrash() throws {
        let session = try TruncatedSession(count: 4, keepNewest: 4, seed: 53)
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        try session.store.writeTranscript("nested", lines: [#"{"role": "user", "content": "hi"}"#, #"{"role": "user", "content": "# + deep + "}"])
        try session.store.connection.prepare("INSERT INTO sessions (id, source, started_at) VALUES ('row', 'cli', 1772000000)").run()
        try session.store.connection.prepare("INSERT INTO messages (session_id, role, content, tool_calls, timestamp) VALUES ('row', 'user', ?, ?, 1772000001)")
            .run([.text("\u{0}json:" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)), .text(deep)])
        let scan = try CommandRunner.fsck(["scan", "--home", session.home, "--format", "jsonl"])
        #expect(scan.status == 1, "\(scan.standardError)")
        let lines = scan.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.contains("\"session_id\":\"nested\"") && $0.contains("line 2") && $0.contains("nested deeper than 1000 levels") })
        #expect(lines.contains { $0.contains("\"session_id\":\"row\"") && $0.contains("database_only") })
        #expect(lines.contains { $0.contains("\"session_id\":\"s\"") && $0.contains("\"status\":\"ok\"") })
    }

    @Test func olderSchemaWithoutOptionalColumnsIsScannedAndRepaired() async throws {
        let directory = TemporaryDirectory("old")
        try FileManager.default.createDirectory(atPath: directory.file("sessions"), withIntermediateDirectories: true)
        let connection = try SQLiteConnection(path: directory.file("state.db"), mode: .create)
        try connection.execute("""
            CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT NOT NULL, started_at REAL NOT NULL);
            CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL,
                                   content TEXT, timestamp REAL NOT NULL);
            INSERT INTO sessions VALUES ('s', 'cli', 1772000000);
            INSERT INTO messages (session_id, role, content, timestamp) VALUES ('s', 'user', 'last words', 1772999999);
            """)
        let lines = [#"{"role": "user", "content": "first words", "timestamp": "2026-02-25T10:00:00"}"#,
                     #"{"role": "assistant", "content": "a reply"}"#,
                     #"{"role": "user", "content": "last words"}"#]
        try directory.write("sessions/s.jsonl", text: lines.joined(separator: "\n") + "\n")
        #expect(try await StoreRun.scan(directory.path).findings.first?.status == .truncated)
        let report = try await StoreRun.repair(directory.path)
        #expect(report.insertedMessages == 2)
        #expect(try AgentView.integer(directory.file("state.db"), "SELECT count(*) FROM messages") == 3)
        #expect(try await StoreRun.scan(directory.path).hasProblems == false)
    }
}

/// A single huge message (issue 17, case 11): the scan held it twice and the repair eleven times.
@Suite(.tags(.store)) struct HugeMessageMemoryTests {
    /// Sanitizers' shadow memory makes resident size meaningless; make sanitize skips these.
    @Test(.disabled(if: ProcessInfo.processInfo.environment["TRANSCRIPT_FSCK_SANITIZER"] != nil, "RSS under a sanitizer"))
    func aHugeMessageIsHeldOnceByTheScanAndTwiceByTheRepair() throws {
        let directory = TemporaryDirectory("huge")
        // The early schema: its one full-text index costs SQLite itself about a third of the message to fill.
        let size = try HugeMessageStore.build(home: directory.path, megabytes: 48, schema: .early)
        let idle = try fsckPeakResidentMemory(["scan", "--help"]).bytes
        let scan = try fsckPeakResidentMemory(["scan", "--home", directory.path])
        #expect(scan.status == 1)
        #expect(scan.bytes - idle < size * 5 / 4, "scan: \(scan.bytes >> 20) MiB for a \(size >> 20) MiB message")
        let repair = try fsckPeakResidentMemory(["repair", "--home", directory.path, "--no-backup"])
        #expect(repair.status == 0)
        #expect(repair.bytes - idle < size * 3, "repair: \(repair.bytes >> 20) MiB for a \(size >> 20) MiB message")
        #expect(try CommandRunner.fsck(["scan", "--home", directory.path]).status == 0)
        // Both sides hold it now: the database's copy and the transcript's line, read at once.
        let after = try fsckPeakResidentMemory(["scan", "--home", directory.path])
        #expect(after.status == 0)
        #expect(after.bytes - idle < size * 9 / 4, "scan: \(after.bytes >> 20) MiB for a \(size >> 20) MiB message")
    }
}
