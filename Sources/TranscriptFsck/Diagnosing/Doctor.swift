/// `transcript-fsck doctor`: checks the environment and the store, and says what to fix.
public enum Doctor {
    /// One check's outcome.
    public struct Check: Sendable {
        public enum Result: String, Sendable, CaseIterable { case ok, warning, failure }
        let name: String
        public let result: Result
        let detail: String
        /// What to do, when the result is not ok.
        let fix: String?
    }

    public static func run(location: StoreLocation) -> [Check] {
        environmentChecks() + storeChecks(location)
    }

    /// One store's checks, under its name; the machine's own come first, with no name.
    public struct StoreChecks: Sendable {
        let store: NamedStore?
        let checks: [Check]
    }

    /// Several stores (a root's profiles, many homes): the machine's checks and the profiles found in each root, then
    /// every store's own checks. A profile that has never run is said to be so, and not checked further.
    public static func run(stores: [NamedStore]) -> [StoreChecks] {
        var general = environmentChecks()
        var roots: [(root: String, profiles: [String])] = []
        for store in stores {
            guard let root = store.root, let profile = store.profile else { continue }
            if let index = roots.firstIndex(where: { $0.root == root }) { roots[index].profiles.append(profile) } else { roots.append((root, [profile])) }
        }
        for (root, profiles) in roots {
            let ignored = HermesProfiles.passedOver(root: root)
            general.append(Check(name: "profiles", result: .ok, detail: "\(root): \(profiles.joined(separator: ", "))"
                                    + (ignored.isEmpty ? "" : "; not profiles to the agent, so not audited: \(ignored.joined(separator: ", "))"),
                                 fix: nil))
        }
        return [StoreChecks(store: nil, checks: general)] + stores.map { store in
            if let failure = store.unavailable {
                return StoreChecks(store: store, checks: [Check(name: "profile", result: .failure, detail: failure.parts.problem,
                                                                fix: failure.parts.remedy)])
            }
            return store.hasNeverRun()
                ? StoreChecks(store: store, checks: [Check(name: "profile", result: .ok, detail: "\(store.location.database): no state.db and no "
                                                          + "transcripts yet: this profile has never run a session, so there is nothing to check", fix: nil)])
                : StoreChecks(store: store, checks: storeChecks(store.location))
        }
    }

    /// The machine's own checks, which every store's come after.
    public static func environmentChecks() -> [Check] {
        let version = SQLiteConnection.libraryVersion
        if SQLiteConnection.hasFullTextSearch {
            return [Check(name: "sqlite", result: .ok, detail: "SQLite \(version) with FTS5", fix: nil)]
        }
        return [Check(name: "sqlite", result: .failure, detail: "SQLite \(version) without FTS5: the agent's FTS triggers cannot run",
                      fix: "install a SQLite built with FTS5 (Debian's libsqlite3-0 is)")]
    }

    private static func storeChecks(_ location: StoreLocation) -> [Check] {
        var checks: [Check] = []
        func add(_ name: String, _ result: Check.Result, _ detail: String, fix: String? = nil) {
            checks.append(Check(name: name, result: result, detail: detail, fix: fix))
        }

        let database = location.database
        do {
            let connection = try StoreDatabase.open(path: database)
            let format = try AgentFormats.detect(StoreSchema.read(from: connection), path: database)
            let schema = format.schema
            let journal = try connection.prepare("PRAGMA journal_mode")
            _ = try journal.step()
            let mode = journal.text(0) ?? "?"
            if connection.isImmutable {
                add("journal", .warning, "\(database): on a read-only file system with no -wal left: read as a snapshot "
                    + "that cannot change (scan works; a repair cannot write here)",
                    fix: "to repair, copy the store to a writable disk, or repair the live store it was taken from")
            } else if mode == "wal" {
                add("journal", .ok, "\(database): WAL journal, safe to read and repair beside the agent")
            } else {
                add("journal", .warning, "\(database): journal mode \(mode), not WAL: readers and the agent block each other",
                    fix: "let the agent open it once (it sets WAL), or run: sqlite3 \(database) 'PRAGMA journal_mode=WAL'")
            }
            var generation = "no schema_version table"
            if let number = try? connection.prepare(HermesStatements.schemaVersion).singleInteger() {
                generation = "schema_version \(number)"
            }
            add("schema", .ok, "\(format.name), \(generation); sessions has \(schema.sessionColumns.count) columns, messages \(schema.messageColumns.count); "
                + "FTS5 tables: \(schema.fullTextTables.isEmpty ? "none" : schema.fullTextTables.joined(separator: ", "))")
            let verdict = try connection.check(.full)
            if verdict == "ok" {
                add("integrity", .ok, "PRAGMA integrity_check: ok")
            } else {
                add("integrity", .failure, "PRAGMA integrity_check: \(verdict)",
                    fix: "stop the agent, restore state.db from a backup or run sqlite3's .recover; repair refuses to write a damaged file")
            }
        } catch {
            // The error's own remedy: what is wrong with the database decides what to do (a missing file, one this user
            // cannot read, a damaged one), never one advice for all.
            let failure = FsckError(reading: error, path: database)
            add("database", .failure, failure.parts.problem, fix: failure.parts.remedy)
            // The checks below are a Hermes home's: on a Codex home they would count its rollouts as transcripts.
            if case .codexHome = failure { return checks }
        }

        for root in location.transcriptRoots {
            do {
                let discovery = try TranscriptDiscovery.find(roots: [root])
                let files = discovery.transcripts.values.reduce(0) { $0 + $1.count }
                let skipped = discovery.unread.map { StoreWarning.notRead($0).sentence }
                add("transcripts", skipped.isEmpty ? .ok : .warning,
                    "\(root): \(files) transcript files for \(discovery.transcripts.count) sessions"
                        + (skipped.isEmpty ? "" : "; " + skipped.joined(separator: "; ")),
                    fix: skipped.isEmpty ? nil : "copy linked transcripts into the directory or name their directory with --transcripts")
            } catch {
                add("transcripts", .failure, error.parts.problem, fix: error.parts.remedy)
            }
        }

        let directory = database.contains("/") ? String(database[..<database.lastIndex(of: "/")!]) : "."
        if let status = try? FileStatus(path: database), let free = try? POSIX.availableBytes(on: directory.isEmpty ? "/" : directory) {
            let needed = status.size + ((try? FileStatus(path: database + "-wal"))?.size ?? 0)
            if free > needed * 2 {
                add("disk", .ok, "\(directory): \(free >> 20) MiB free; a backup needs about \(needed < 1 << 20 ? "\(max(1, needed >> 10)) KiB" : "\(needed >> 20) MiB")")
            } else {
                add("disk", .failure, "\(directory): \(free >> 20) MiB free; a backup and the backfill need about \(needed * 2 >> 20) MiB",
                    fix: "free space, or pass --backup FILE on another disk")
            }
        }
        if !POSIX.isDirectory(directory.isEmpty ? "/" : directory) {
            add("permissions", .failure, "\(directory): no such directory, so there is no store here to repair",
                fix: "point --home at the agent's home (default $HERMES_HOME, else ~/.hermes), or --db at its state.db")
        } else if POSIX.isOnReadOnlyFileSystem(directory.isEmpty ? "/" : directory) {
            add("permissions", .failure, "\(directory) is on a read-only file system: scan works, repair cannot write here",
                fix: "to repair, copy the store to a writable disk, or repair the live store")
        } else if (try? POSIX.checkAccess(directory.isEmpty ? "/" : directory, write: true)) == nil {
            add("permissions", .failure, "\(directory) is not writable: repair cannot take its lock or write a backup",
                fix: writeAccessFix(for: directory.isEmpty ? "/" : directory))
        } else if !POSIX.exists(database) {
            add("permissions", .ok, "\(directory) is writable (repair lock, backup, WAL); there is no database in it to write")
        } else if (try? POSIX.checkAccess(database, write: true)) == nil {
            add("permissions", .failure, "\(database) is not writable by this user: repair cannot write it",
                fix: writeAccessFix(for: database) + " (or, if it was made read-only on purpose, leave it be)")
        } else {
            add("permissions", .ok, "\(directory) and \(database) are writable (repair lock, backup, WAL)")
        }
        let lockPath = location.repairLock
        switch RepairLock.state(path: lockPath) {
        case .held:
            add("repair lock", .warning, "\(lockPath) is held: another transcript-fsck repair is running",
                fix: "wait for it before starting another")
        case .free:
            add("repair lock", .ok, "\(lockPath) is free (it keeps runs of transcript-fsck apart; no agent takes it)")
        case .absent:
            add("repair lock", .ok, "no repair has run here yet")
        case .symbolicLink:
            add("repair lock", .failure, "\(lockPath) is a symbolic link: a repair refuses to follow it",
                fix: "remove it; the lock is a plain file the repair creates beside the database")
        case .notWritable where POSIX.isOnReadOnlyFileSystem(lockPath):
            add("repair lock", .ok, "\(lockPath) is on a read-only file system: no repair can run here, none is running")
        case .notWritable:
            add("repair lock", .failure, "\(lockPath) cannot be opened for writing by this user: a repair as this user fails",
                fix: "give it the database's owner (chown), or remove it; a repair run as root now gives it the database's owner")
        }
        let leftovers = BackupLeftovers.find(beside: database)
        if !leftovers.isEmpty {
            add("backup", .warning, "\(leftovers.joined(separator: ", ")): left by a backup that was interrupted (its process is gone)",
                fix: "remove \(leftovers.count == 1 ? "it" : "them"): rm " + leftovers.map { "'\($0)'" }.joined(separator: " "))
        }
        if OtherConnections.present(databasePath: database) {
            add("agent", .ok, "another process has \(database) open (the agent?): a repair leaves the write lock free between "
                + "sessions and defers any that would hold it longer than --lock-budget",
                fix: "to repair every session in one run, stop the agent first")
        } else {
            add("agent", .ok, "no other process has \(database) open")
        }
        return checks
    }

    /// What gives this user write access to `path`: an owner who may not write it needs only the permission back; anyone
    /// else runs as the owner, since a repair must leave the agent's files owned as they are.
    private static func writeAccessFix(for path: String) -> String {
        guard let status = try? FileStatus(path: path) else { return "run as the user that owns the agent's files" }
        if status.isOwnedByThisUser { return "this user owns it but may not write it: chmod u+w '\(path)'" }
        return "run as \(status.ownerName), who owns it"
    }
}
