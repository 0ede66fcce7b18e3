/// Something worth knowing about a session that does not change its status.
enum SessionWarning: Sendable, Equatable {
    /// The transcript's last line has no newline: the writer stopped mid-line. It is not counted.
    case unfinishedLastLine(path: String, line: Int)
    /// Rows with no session row and no transcript to rebuild the row from.
    case rowsWithoutSessionRow(rows: Int)
    /// Rows a live agent wrote while the scan ran, left out of the comparison.
    case rowsWrittenDuringScan(rows: Int)
    /// The database has no trace of the session, and `freedIDs` message ids from around its time are free: rows that were
    /// there and were deleted (`DeletionEvidence`).
    case deletedByTheUser(freedIDs: Int)
    /// The database has no trace of the session and never had: its transcript ended before the database's first record
    /// (a session from before the SQLite store), or no id of its time was freed (every write of it was lost).
    case neverRecorded(beforeTheDatabase: Bool)
}
