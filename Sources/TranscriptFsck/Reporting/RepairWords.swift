/// The words for what a repair did and why: the one place a `RepairReason` or a `PlacementStep` becomes a sentence.
extension RepairReason {
    var sentence: String {
        switch self {
        case .needsAPerson(let problem):
            "\(problem.status.rawValue): \(problem.sentence)"
        case .nothingToPlanFrom(let status):
            "the \(status.rawValue) finding gives nothing to plan from; scan again"
        case .rowsNotReadInDetail:
            "the session's rows were not read in detail; run the repair again"
        case .transcriptUnreadable(let error):
            "cannot read the transcript again: \(error.detail)"
        case .transcriptChanged:
            "the transcript changed while it was being read; run the repair again"
        case .messageNotReadBack(let message):
            "message \(message) was not read back"
        case .rowsCannotMove(let rows, let hazard):
            "no free ids between the lost messages' neighbours, so \(Counted(rows, "row").text) would need new ids, "
                + "and rows cannot be given new ids safely here: \(hazard.sentence)"
        case .rowsMustMoveBesideAgent(let rows, let seen):
            "no free ids between the lost messages' neighbours, so \(Counted(rows, "existing row").text) would need new ids, "
                + (seen ? "and another process has the database open (the agent acts on ids it has read: /undo); "
                        + "stop the agent and run the repair again"
                        : "and it cannot be told here whether another process has the database open (/proc shows only this "
                        + "container's processes); stop every agent that uses the store and run the repair again with --agent-stopped")
        case .lineageOutOfOrder:
            "the sessions of its compression lineage would no longer read in order; nothing was written"
        case .readBackMismatch:
            "read back in the agent's order, the rows would not match the transcript; nothing was written"
        case .rowCountMismatch:
            "the session would not hold every row it held plus the backfilled ones; nothing was written"
        case .sessionRowRefused(let sqlite):
            "cannot create the session's row in sessions (\(sqlite)); nothing was written"
        case .anchorRowsGone:
            "rows the plan places before are gone; nothing was written"
        case .storageFailed(let error, let sessionID):
            "\(error.message) (code \(error.code)); nothing of session \(sessionID) was written"
        case .databaseFailed(let error):
            "\(error.isBusy ? "the database stayed locked" : "SQLite failed"): \(error.message) (code \(error.code)); nothing was written"
        case .cannotReadAgain(let error):
            "cannot read the session again: \(error.message)"
        case .keptChanging:
            "the session kept changing while being repaired; run the repair again"
        case .writeFailed(let error):
            "\(error); nothing was written"
        case .overLockBudget(let rows, let movedRows, let estimate, let budget):
            "\(Counted(rows, "row").text) to insert" + (movedRows > 0 ? " and \(movedRows) to move" : "")
                + " would hold the write lock about \(Int((estimate.seconds * 1000).rounded(.up))) ms, over the \(Int(budget.seconds * 1000)) ms "
                + "allowed while another process has the database open; stop the agent and run the repair again "
                + "(or raise --lock-budget)"
        case .leftDeleted:
            "the user deleted this session; left deleted (name it with --session to bring it back)"
        case .createdOnlyWhenAsked:
            "the database has no trace of this session; it is created only when asked: run the repair with --create-missing "
                + "(or name it with --session)"
        case .completedMeanwhile:
            "another writer completed the session meanwhile"
        case .interrupted(let signal):
            "the repair was interrupted (\(SignalName.of(signal))) before it came to this session; run the repair again"
        }
    }
}

extension RowMoveHazard {
    var sentence: String {
        switch self {
        case .referencingTable(let table): "table \(table) references message rows by id"
        case .trigger(let name, let writes):
            "trigger \(name) runs when message rows are inserted or deleted and writes "
                + (writes.isEmpty ? "tables it does not name" : writes.joined(separator: ", "))
        }
    }
}

extension PlacementStep {
    var sentence: String {
        switch self {
        case .insert(let rows, let first, let anchor, let flags, let ids):
            let messages = (rows == 1 ? "message \(first)" : "messages \(first)-\(first + rows - 1)")
                + (ids.map { $0.first == $0.last ? ", id \($0.first)" : ", ids \($0.first) to \($0.last)" } ?? "")
            let kind = flags == .archived ? " (archived, as the rows after them)" : flags == .undone ? " (undone, as the rows around them)" : ""
            let inserted = Counted(rows, "row").text
            return switch anchor {
            case .alone: "\(inserted) (\(messages))\(kind)"
            case .after(let rowID): "\(inserted) after row id \(rowID) (\(messages))\(kind)"
            case .before(let rowID): "\(inserted) before row id \(rowID) (\(messages))\(kind)"
            }
        case .move(let rows, let rowID):
            return rows == 1 ? "the row with id \(rowID) gets a new id behind them, every value kept"
                : "\(rows) rows from row id \(rowID) on get new ids behind them, every value kept"
        case .moveContinuation(let sessionID, let rows):
            return "\(Counted(rows, "row").text) of session \(sessionID), which continues it, "
                + (rows == 1 ? "gets a new id" : "get new ids") + " after them, every value kept"
        }
    }
}

extension RepairReport.FullTextCheck.Skip {
    var sentence: String {
        switch self {
        case .otherProcessHasTheDatabaseOpen:
            "another process has the database open and the check would hold the write lock for the whole index; "
                + "run the repair again with the agent stopped, or with --lock-budget 0"
        }
    }
}

/// The name a signal goes by (`SIGINT`), for the words of an interrupted repair.
enum SignalName {
    static func of(_ signal: Int32) -> String {
        switch signal {
        case 1: "SIGHUP"
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}

/// The lines a repair interrupted outside its write loop prints as it dies (static: a signal handler prints them).
public enum InterruptionWords {
    public static let nothingWritten: StaticString =
        "transcript-fsck: interrupted before writing: nothing was written; run the repair again\n"
    public static let stopping: StaticString =
        "transcript-fsck: stopping after the session in flight; send the signal again to stop at once\n"
    public static let someWritten: StaticString =
        "transcript-fsck: interrupted between sessions: every session is whole or as it was; scan to see which, or run the repair again\n"
}
