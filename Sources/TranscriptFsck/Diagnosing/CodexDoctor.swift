extension Doctor {
    /// A Codex home's checks: what of codex's layout is there, whether its two databases read, how many rollouts it has,
    /// and whether a codex process uses it now. Nothing is written, and no lock is taken.
    public static func codexChecks(_ home: CodexHome) -> [Check] {
        var checks: [Check] = []
        func add(_ name: String, _ result: Check.Result, _ detail: String, fix: String? = nil) {
            checks.append(Check(name: name, result: result, detail: detail, fix: fix))
        }
        let layout = [(home.hasStateDatabase, CodexHome.stateDatabaseName), (home.hasHistoryDatabase, CodexHome.historyDatabaseName),
                      (home.hasSessions, CodexHome.sessionsName + "/"), (home.hasArchivedSessions, CodexHome.archivedSessionsName + "/")]
        add("home", .ok, "\(home.path): a Codex CLI home (\(layout.filter(\.0).map(\.1).joined(separator: ", ")))")

        if home.hasStateDatabase {
            do {
                let rows = try CodexStateReader.threads(in: home.stateDatabase)
                add("index", .ok, "\(home.stateDatabase): \(Counted(rows.count, "thread row").text)")
            } catch {
                add("index", .failure, error.parts.problem, fix: error.parts.remedy ?? "restore it from a backup, or move it aside: codex "
                    + "rebuilds it from the rollouts at its next start")
            }
        } else {
            add("index", .warning, "\(home.stateDatabase): not there; codex rebuilds it from the rollouts at its next start, "
                + "but not the projections of paginated threads", fix: "start codex once (it rebuilds the index), then scan again")
        }

        if home.hasHistoryDatabase {
            do {
                let projections = try CodexStateReader.projections(in: home.historyDatabase)
                add("history", .ok, "\(home.historyDatabase): \(Counted(projections.count, "paginated thread").text) projected")
            } catch {
                add("history", .failure, error.parts.problem, fix: error.parts.remedy ?? "restore it from a backup")
            }
        } else {
            add("history", .ok, "no \(CodexHome.historyDatabaseName): codex 0.133.0 makes none, 0.163.0 makes it with its first "
                + "paginated thread")
        }

        do {
            let discovery = try home.discoverRollouts()
            let archived = discovery.rollouts.filter { $0.place == .archivedSessions }.count
            let skipped = discovery.unread.map { StoreWarning.notRead($0).sentence }
            add("rollouts", skipped.isEmpty ? .ok : .warning,
                "\(Counted(discovery.rollouts.count - archived, "rollout").text) under \(CodexHome.sessionsName)/, \(archived) under "
                    + "\(CodexHome.archivedSessionsName)/" + (skipped.isEmpty ? "" : "; " + skipped.joined(separator: "; ")),
                fix: skipped.isEmpty ? nil : "move the linked or special entries' rollouts into the home: codex reads them there")
        } catch {
            add("rollouts", .failure, error.parts.problem, fix: error.parts.remedy)
        }

        switch home.activity() {
        case nil:
            add("codex", .ok, "no codex process uses \(home.path) now")
        case .databaseOpen(let path)?:
            add("codex", .ok, "a codex process has \(path) open: a scan reads beside it safely, and may see a turn half written")
        case .threadBeingWritten(let lock)?:
            add("codex", .ok, "a codex process is writing a turn (it holds \(lock)): a scan may see that turn half written")
        }
        return checks
    }
}
