/// The words for a finding's facts: the one place a `Problem` or `SessionWarning` becomes a sentence.
extension Problem {
    var sentence: String {
        switch self {
        case .truncated(let kept, let total, let lost):
            let missing = total - kept
            func the(_ which: String) -> String { missing == 1 ? "the \(which) one is" : "the \(missing) \(which) ones are" }
            return switch lost {
            case .older: "the database holds the newest \(kept) of \(total) messages; \(the("older")) missing"
            case .newer: "the database holds the oldest \(kept) of \(total) messages; \(the("newer")) missing"
            case .scattered: "the database holds \(kept) of \(total) messages; \(missing) \(missing == 1 ? "is" : "are") missing between or around them"
            }
        case .noRows(let messages, let sessionRowExists):
            let why = sessionRowExists ? "the session row exists but has no messages" : "the database has no row for this session"
            return "\(why); the transcript holds \(Counted(messages, "message").text)"
        case .noSessionRow(let messages):
            return "the database holds all \(messages) messages but no row for this session in sessions, so the agent never "
                + "lists or resumes it; repair creates the row"
        case .continued(let missing, let total, let newerRows):
            return "the database lacks \(missing) of the transcript's \(total) messages and holds \(Counted(newerRows, "newer row").text) the "
                + "transcript never saw (the session went on after an upgrade); the lost messages go before them"
        case .writtenBeforeTheTranscript(let missing, let total, let rows):
            return "the database lacks \(missing) of the transcript's \(total) messages and holds \(Counted(rows, "row").text) after them "
                + "that the transcript does not, written before the transcript was last written: a turn the transcript dropped "
                + "(a /retry, /undo or /compress whose database write failed), not the session going on; decide which history "
                + "to keep ('transcript-fsck export' writes the database's side)"
        case .writtenTwice(let rows, let from, let to):
            return "rows \(from) to \(to) repeat the session's first \(Counted(rows, "row").text): the agent wrote its history into "
                + "the session a second time (hermes-agent 0.17.0's /compress after /resume), and reads it twice; to repair it, "
                + "delete this session's repeated rows (its rows with ids \(from) to \(to)), then run the repair again"
        case .diverged(let divergence):
            let row = divergence.rowID.map { "database row id \($0)" } ?? "database row \(divergence.row)"
            let place = divergence.afterMessage == 0 ? "at the start of the transcript" : "after transcript message \(divergence.afterMessage)"
            return "\(row) (message \(divergence.row) of \(divergence.databaseRows) in the database) has no match \(place); "
                + "\(Counted(divergence.transcriptOnly, "transcript message").with("is", "are")) not in the database and "
                + "\(Counted(divergence.databaseOnly, "database row").with("is", "are")) not in the transcript"
        case .transcriptsDisagree(let first, let second, let message):
            return "transcripts \(first) and \(second) differ at message \(message) and neither is a prefix of the other"
        case .unreadable(let error):
            return "\(error.path): \(error.detail)"
        }
    }
}

extension SessionWarning {
    var sentence: String {
        switch self {
        case .unfinishedLastLine(let path, let line):
            "\(path): line \(line): the last line is unfinished (the writer stopped mid-line); not counted"
        case .rowsWithoutSessionRow(let rows):
            "\(Counted(rows, "row").with("has", "have")) no row in sessions, so the agent never lists or resumes them, and there is no transcript to "
                + "rebuild it from; 'transcript-fsck export' saves them as one"
        case .rowsWrittenDuringScan(let rows):
            "\(Counted(rows, "row").text) written while the scan ran \(rows == 1 ? "was" : "were") left out of the comparison"
        case .deletedByTheUser(let freed):
            "the database has no trace of this session and \(Counted(freed, "message id").text) from around its time "
                + "\(freed == 1 ? "is" : "are") free: the user deleted it (the agent's delete leaves the transcript); a repair "
                + "leaves it deleted unless it is named with --session"
        case .neverRecorded(let before):
            (before ? "its transcript ended before the database's first record (a session from before the SQLite store)"
                    : "no message id from its time was freed, so it never reached the database (its writes were lost)")
                + "; 'transcript-fsck repair --create-missing' brings it in"
        }
    }
}

extension StoreWarning {
    var sentence: String {
        switch self {
        case .notRead(.notAFile(let path)):
            "\(path): not a file (a FIFO, socket or device), not read; its session is not audited. Replace it with the transcript"
        case .notRead(.file(let path)):
            "\(path): symbolic link not followed; copy the file into the transcripts directory to include it"
        case .notRead(.nameNotUTF8(let path)):
            "\(path): name not UTF-8 (shown with U+FFFD), not read; no session id the agent writes has it, so it is not "
                + "audited. Rename it to the session's id"
        case .notRead(.directory(let path)):
            "\(path): symbolic link to a directory not followed; its transcripts are not audited. "
                + "Move the directory here, or pass it with --transcripts"
        case .interruptedBackupLeft(let path):
            "\(path): a partial copy left by a backup that was interrupted (its process is gone); remove it"
        case .stateFileUnopenable(let path, let code):
            "\(path): cannot read the state file (\(POSIX.describe(code))); every session was read again"
        case .stateFileUnreadable(let path, let line, let defect):
            "\(path): unreadable state file (line \(line): \(defect.words)); every session was read again and the file rewritten"
        case .stateFileOfAnotherVersion(let path, let found, let expected):
            "\(path): written by another version of transcript-fsck (state file version \(found); this one reads \(expected)); "
                + "every session was read again and the file rewritten"
        case .noTranscriptMatchesTheDatabase(let directories, let database, let transcripts, let sessions):
            "no session of the \(Counted(transcripts, "transcript").text) in \(directories.joined(separator: ", ")) is among the "
                + "\(Counted(sessions, "session").text) of \(database): if they are another store's, --transcripts and --db or "
                + "--home disagree (a repair with --create-missing would create every one of them)"
        }
    }
}

extension StoreWarning.StateFileDefect {
    var words: String {
        switch self {
        case .notAStateFile: "not a transcript-fsck state file"
        case .notASessionEntry: "not a session entry"
        }
    }
}

extension SessionFinding {
    /// The problem's sentence, or none: the form the JSON report's `problems` array has always had.
    var problemSentences: [String] { problem.map { [$0.sentence] } ?? [] }
}
