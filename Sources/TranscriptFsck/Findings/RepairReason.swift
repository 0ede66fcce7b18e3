/// Why a repair left a session as it was (refused, deferred, or found nothing left to do), as facts; Reporting
/// words it. Every refusal leaves the session exactly as it was.
public enum RepairReason: Sendable, Equatable {
    /// The finding needs a person (diverged, corrupt): a repair never guesses which side is right.
    case needsAPerson(Problem)
    /// The finding gave nothing to plan from (no alignment, no transcript): a finding the planner should never get.
    case nothingToPlanFrom(SessionStatus)
    /// The session's rows were read without their ids and timestamps.
    case rowsNotReadInDetail
    /// Reading the transcript again for the missing messages failed.
    case transcriptUnreadable(TranscriptError)
    /// The transcript read again no longer aligns as the scan found it.
    case transcriptChanged
    /// A missing message (1-based) was not among those read back.
    case messageNotReadBack(Int)
    /// There is no free id between the lost messages' neighbours, so `rows` existing rows would have to get new ids,
    /// and that could lose or break something.
    case rowsCannotMove(rows: Int, RowMoveHazard)
    /// Deferred: `rows` existing rows would have to get new ids while another process (the agent?) has the database
    /// open (`seen`), or while that cannot be told (a container's own view of the processes), and the agent acts on ids
    /// it read a moment before (/undo marks `id >= target` inactive).
    case rowsMustMoveBesideAgent(rows: Int, seen: Bool)
    /// Inside the transaction, the lineage (the session, those it continues and those continuing it) would no longer
    /// read in order by id.
    case lineageOutOfOrder
    /// Inside the transaction, the rows read back in the agent's order would not match the transcript.
    case readBackMismatch
    /// Inside the transaction, the session would not hold every row it held plus the backfilled ones.
    case rowCountMismatch
    /// The sessions table refused the row a missing session needs (a NOT NULL or CHECK constraint): SQLite's words.
    case sessionRowRefused(String)
    /// Rows the plan places messages before were gone by the time it was written.
    case anchorRowsGone
    /// The storage failed (disk full, read-only file, I/O error): no later session could fare better, so the run stops.
    case storageFailed(SQLiteError, sessionID: SessionID)
    /// SQLite failed, or the write lock was not had within the busy timeout.
    case databaseFailed(SQLiteError)
    /// The session could not be read again after another writer changed it.
    case cannotReadAgain(SQLiteError)
    /// Another writer changed the session under every attempt.
    case keptChanging
    /// Any other failure of the write, as it printed.
    case writeFailed(String)
    /// Deferred: writing `rows` (and moving `movedRows`) would hold the write lock about `estimate`, over `budget`,
    /// while another process has the database open.
    case overLockBudget(rows: Int, movedRows: Int, estimate: Duration, budget: Duration)
    /// Left as it is: the evidence says the user deleted the session (name it with `--session` to bring it back).
    case leftDeleted
    /// The database has no trace of the session: it is created only when asked (`--create-missing`, or `--session`).
    case createdOnlyWhenAsked
    /// Nothing left to do: another writer completed the session meanwhile.
    case completedMeanwhile
    /// Deferred: the repair was asked to stop (SIGINT, SIGTERM, SIGHUP: `signal`) before it came to this session.
    case interrupted(signal: Int32)
}
