/// Judges each thread of a Codex home: its rollout against its index row and, for a paginated thread, its projection.
/// The rollout is the source of truth, as it is for codex (it rebuilds the index from the rollouts, and its writer
/// projects from them); the findings are facts (`CodexProblem`), worded in Reporting.
///
/// ```swift
/// let audit = try CodexThreadCheck.audit(home)
/// for finding in audit.findings { ... finding.status, finding.problems ... }
/// ```
enum CodexThreadCheck {
    /// A rollout file and what reading it found.
    struct ReadRollout: Sendable, Equatable {
        let file: RolloutFile
        let rollout: Rollout

        /// The thread it holds: its `session_meta` id, else the id in its name, else its path.
        var threadID: String { rollout.threadID ?? file.threadIDInName ?? file.path }
    }

    /// Reads the home's rollouts and databases and judges every thread. A row whose rollout is not under
    /// `sessions/` or `archived_sessions/` but is where the row says is read from there.
    static func audit(_ home: CodexHome) throws(FsckError) -> CodexHomeAudit {
        let discovery = try home.discoverRollouts()
        let state = try CodexStateReader.read(home)
        var rollouts = discovery.rollouts.map { ReadRollout(file: $0, rollout: RolloutReader(path: $0.path).read()) }
        var found = Set(rollouts.map { POSIX.resolved($0.file.path) })
        let known = Set(rollouts.map(\.threadID))
        for row in state.rows ?? [] where !known.contains(row.id) {
            // Each file once, however many rows name it.
            guard let place = place(ofRowPath: row.rolloutPath), found.insert(place).inserted,
                  let status = try? FileStatus(path: row.rolloutPath), status.isRegularFile else { continue }
            let file = RolloutFile(path: row.rolloutPath, place: .elsewhere, threadIDInName: RolloutFile.threadID(inName: String(row.rolloutPath.split(separator: "/").last ?? "")),
                                   size: status.size)
            rollouts.append(ReadRollout(file: file, rollout: RolloutReader(path: file.path).read()))
        }
        return check(home: home, rollouts: rollouts, state: state, unread: discovery.unread)
    }

    /// Judges every thread from what was read: no file or database is opened.
    static func check(home: CodexHome, rollouts: [ReadRollout], state: CodexState, unread: [UnreadEntry] = []) -> CodexHomeAudit {
        var audit = CodexHomeAudit(home: home, unread: unread)
        // codex 0.163.0's column is NOT NULL: only a table without it gives every row no mode.
        audit.indexPredatesPagination = state.rows.map { !$0.isEmpty && $0.allSatisfy { $0.historyMode == nil } } ?? false
        if state.rows == nil, !rollouts.isEmpty { audit.homeProblems.append(.stateDatabaseMissing(rollouts: rollouts.count)) }
        let byThread = Dictionary(grouping: rollouts, by: \.threadID)
        // A table without codex's primary key can hold a thread twice: the first row is judged, the others named.
        let rows = Dictionary(grouping: state.rows ?? [], by: \.id)
        for id in Set(byThread.keys).union(rows.keys).sorted() {
            audit.threads.append(judge(id, rollouts: byThread[id] ?? [], rows: rows[id] ?? [], state: state))
        }
        return audit
    }

    /// Where a row's `rollout_path` is, its links resolved; nil when it can name no file: with a NUL, which ends the
    /// path where the C library reads it (codex, a Rust `Path`, refuses it), it would name the file before the NUL.
    private static func place(ofRowPath path: String) -> String? {
        path.utf8.contains(0) ? nil : POSIX.resolved(path)
    }

    private static func judge(_ id: String, rollouts: [ReadRollout], rows: [CodexThreadRow], state: CodexState) -> CodexThreadFinding {
        let row = rows.first
        let duplicateRows: [CodexProblem] = rows.count > 1 ? [.duplicateRows(rolloutPaths: rows.map(\.rolloutPath))] : []
        // The row's own file when it is one of them, else the first in path order.
        let rowPath = row.flatMap { place(ofRowPath: $0.rolloutPath) }
        guard let judged = rollouts.first(where: { POSIX.resolved($0.file.path) == rowPath }) ?? rollouts.first else {
            return CodexThreadFinding(threadID: id, rolloutPath: nil, problems: (row.map { [.staleRow(rolloutPath: $0.rolloutPath)] } ?? []) + duplicateRows)
        }
        let rollout = judged.rollout
        var problems: [CodexProblem] = []
        if !rollout.defects.isEmpty { problems.append(.corruptRollout(rollout.defects)) }
        problems += duplicateRows
        if rollouts.count > 1 { problems.append(.duplicateRollouts(paths: [judged.file.path] + rollouts.map(\.file.path).filter { $0 != judged.file.path })) }
        if let metaID = rollout.threadID, judged.file.threadIDInName != metaID { problems.append(.fileNameDisagrees(idInName: judged.file.threadIDInName)) }
        if state.rows != nil {
            if let row {
                if rowPath != POSIX.resolved(judged.file.path) {
                    problems.append(.pathDisagrees(rowPath: row.rolloutPath, rolloutPath: judged.file.path))
                }
                if judged.file.place != .elsewhere, row.archived != (judged.file.place == .archivedSessions) {
                    problems.append(.archiveFlagDisagrees(rowArchived: row.archived, inArchivedSessions: judged.file.place == .archivedSessions))
                }
            } else {
                problems.append(.noIndexRow(archived: judged.file.place == .archivedSessions))
            }
        }
        // Codex reads the thread as the row says it is, and a thread with no row as its session_meta says.
        if (row?.historyMode ?? rollout.historyMode) == "paginated", rollout.isReadWhole {
            problems += projectionProblems(of: rollout, projection: state.projections?[id])
        }
        return CodexThreadFinding(threadID: id, rolloutPath: judged.file.path, problems: problems)
    }

    /// The projection of a paginated thread against its rollout.
    static func projectionProblems(of rollout: Rollout, projection: CodexProjection?) -> [CodexProblem] {
        guard let projection else { return rollout.turns.isEmpty ? [] : [.noProjection(rolloutTurns: rollout.turns.count)] }
        var problems: [CodexProblem] = []
        let cursor = projection.cursor ?? CodexProjection.Cursor(byteOffset: 0, ordinal: 0)
        let projected = ProjectionExtent(byteOffset: cursor.byteOffset, ordinal: cursor.ordinal, turns: projection.turns.count,
                                         messages: projection.messageCount)
        let whole = ProjectionExtent(byteOffset: rollout.wholeLinesEnd, ordinal: rollout.lineCount, turns: rollout.turns.count,
                                     messages: rollout.completedMessageCount)
        if whole.isShort(of: projected) {
            problems.append(.projectionAhead(projected: projected, rollout: whole))
        } else if cursor.byteOffset < 0 || cursor.ordinal < 0
                    || rollout.byteOffset(ofOrdinal: cursor.ordinal).map({ $0 != cursor.byteOffset }) == true {
            // A negative cursor is before every line: no prefix of the rollout.
            problems.append(.cursorOffLineBoundary(cursor))
        } else if projected.isShort(of: whole) {
            problems.append(.projectionBehind(projected: projected, rollout: whole))
        }
        var rolloutTurns: [String: RolloutTurn] = [:]
        for turn in rollout.turns { if let turnID = turn.turnID, rolloutTurns[turnID] == nil { rolloutTurns[turnID] = turn } }
        for turn in projection.turns where !agrees(turn, rolloutTurns[turn.turnID]) {
            problems.append(.projectedTurnDisagrees(turn, rolloutTurn: rolloutTurns[turn.turnID]))
        }
        // A message the count agrees on can still be in another turn (or be another message) than the rollout's.
        let rolloutMessages = Set(rollout.completedItems.filter(\.isMessage).map { [$0.turnID ?? "", $0.itemID ?? ""] })
        for item in projection.items where item.isMessage && !rolloutMessages.contains([item.turnID, item.itemID]) {
            problems.append(.projectedItemDisagrees(item))
        }
        return problems
    }

    /// Whether the projected turn starts, and ends where it says, where the rollout's turn of that id does.
    private static func agrees(_ turn: ProjectedTurn, _ match: RolloutTurn?) -> Bool {
        guard let match, match.startOrdinal == turn.ordinal, turn.byteOffset.map({ $0 == match.startByteOffset }) ?? true else { return false }
        func same(_ projected: Int?, _ rollout: Int?) -> Bool { projected == nil || rollout == nil || projected == rollout }
        return same(turn.endOrdinal, match.endOrdinal) && same(turn.endByteOffset, match.endByteOffset)
    }
}
