/// The words for a Codex thread's findings: the one place a `CodexProblem`, `RolloutDefect` or `CodexHomeProblem`
/// becomes a sentence. What codex does with each is what the released 0.163.0 and 0.133.0 were seen to do
/// (Docs/CODEX-FORMAT.md, the damage table), so the sentence says what the user meets.
extension CodexProblem {
    var sentence: String {
        switch self {
        case .corruptRollout(let defects):
            guard let first = defects.first else { return "the rollout could not be read whole" }
            let more = defects.count > 1 ? " (and \(Counted(defects.count - 1, "more defect").text))" : ""
            return "\(first.sentence)\(more)"
        case .staleRow(let path):
            return "the index has a row for this thread, and its rollout \(path) is gone: codex 0.163.0 hides the thread "
                + "and fails to read it (\"missing source rollout\"), 0.133.0 drops the row; restore the rollout from a backup"
        case .duplicateRollouts(let paths):
            return "\(Counted(paths.count, "rollout file").text) hold this thread (\(paths.joined(separator: ", "))); "
                + "the first is the one judged"
        case .duplicateRows(let paths):
            return "state_5.sqlite has \(Counted(paths.count, "row").text) for this thread (rollout_path "
                + "\(paths.joined(separator: ", "))); the first is the one judged"
        case .fileNameDisagrees(let idInName):
            let name = idInName.map { "ends in the id \($0)" } ?? "holds no thread id"
            return "the rollout's file name \(name), not its session_meta's: codex, which finds a thread's file by its id, "
                + "cannot find it"
        case .noIndexRow(let archived):
            return "state_5.sqlite has no row for this thread, so codex's "
                + (archived ? "archived list (its rollout is in archived_sessions/)" : "resume list and sidebar")
                + " do not show it; reading it by id still works"
        case .pathDisagrees(let rowPath, let rolloutPath):
            return "the index row says the rollout is \(rowPath), and it is \(rolloutPath): codex cannot read the thread"
        case .archiveFlagDisagrees(let rowArchived, let inArchivedSessions):
            return "the index row says the thread is \(rowArchived ? "archived" : "not archived"), and its rollout is "
                + (inArchivedSessions ? "in" : "not in") + " archived_sessions/: codex lists it in neither list"
        case .noProjection(let turns):
            return "a paginated thread whose rollout holds \(Counted(turns, "turn").text) has no projection in "
                + "thread_history_1.sqlite: codex shows it with no turns until a new turn is written"
        case .projectionBehind(let projected, let rollout):
            return "the projection holds \(projected.turns) of the rollout's \(Counted(rollout.turns, "turn").text) "
                + "(\(projected.messages) of \(Counted(rollout.messages, "message").text); its cursor is at byte "
                + "\(projected.byteOffset), line \(projected.ordinal), the rollout ends at byte \(rollout.byteOffset), "
                + "line \(rollout.ordinal)): codex shows the turns it holds and no more"
        case .projectionAhead(let projected, let rollout):
            return "the projection claims more than the rollout holds (\(projected.turns) turns and a cursor at byte "
                + "\(projected.byteOffset), line \(projected.ordinal), against \(rollout.turns) turns ending at byte "
                + "\(rollout.byteOffset), line \(rollout.ordinal)): the rollout lost its end, or the projection is another's"
        case .cursorOffLineBoundary(let cursor):
            return "the projection's cursor (byte \(cursor.byteOffset), line \(cursor.ordinal)) is not where that line "
                + "starts: torn between two writes (\"ordinal mismatch\" when codex next appends)"
        case .projectedTurnDisagrees(let turn, let rolloutTurn):
            let rollout = rolloutTurn.map { "the rollout has it from line \($0.startOrdinal)" } ?? "the rollout has no such turn"
            return "projected turn \(turn.turnID) starts at line \(turn.ordinal), and \(rollout)"
        case .projectedItemDisagrees(let item):
            return "projected message \(item.itemID) of turn \(item.turnID) (line \(item.ordinal)) is no message of that "
                + "turn in the rollout: codex shows what the rollout does not hold, or a turn without its message"
        }
    }
}

extension RolloutDefect {
    /// `PATH: line N (byte B): reason`, as a transcript's defects read.
    var sentence: String { "\(path): \(place.prefixing(reason))" }

    var reason: String {
        switch kind {
        case .unreadable(let defect): defect.reason
        case .notAFile: "not a regular file (a FIFO, a device or a directory), so not read: codex writes its rollouts as files"
        case .notJSON(let column, let parserSays): "column \(column): \(parserSays)"
        case .notUTF8(let column): "column \(column): not UTF-8"
        case .refusedByCodex(let column, let refusal): "column \(column): \(refusal.reason), so codex's parser (serde_json) skips the line"
        case .notARolloutLine: "not a rollout line (an object with a string type and an object payload)"
        case .cutShort: "the last line is cut short (the writer stopped in the middle of it)"
        case .noFinalNewline: "the last line has no newline: the next line codex appends would run into it"
        case .noSessionMeta: "the rollout does not open with a session_meta line"
        case .sessionMetaWithoutID: "the session_meta line names no thread id"
        case .ordinalOutOfStep(let expected, let found):
            "the line's ordinal is \(found.map(String.init) ?? "not an integer"), where its place makes it \(expected)"
        }
    }
}

extension CodexJSONDialect.Refusal {
    var reason: String {
        switch self {
        case .nonFiniteNumber: "NaN or Infinity, which JSON has not"
        case .nestedTooDeep(let limit): "nested \(limit) levels deep"
        case .loneSurrogate: "a \\u escape of half a surrogate pair"
        case .numberOutOfRange: "a number past a double's range"
        }
    }
}

extension CodexHomeProblem {
    var sentence: String {
        switch self {
        case .stateDatabaseMissing(let rollouts):
            "there is no state_5.sqlite: codex rebuilds its index from the \(Counted(rollouts, "rollout").text) on its "
                + "next start, but not the projections of paginated threads, which then show no turns"
        }
    }
}
