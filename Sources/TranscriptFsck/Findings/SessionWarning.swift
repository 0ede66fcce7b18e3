/// Something worth knowing about a session that does not change its status.
public enum SessionWarning: Sendable, Equatable {
    /// The transcript's last line has no newline: the writer stopped mid-line. It is not counted.
    case unfinishedLastLine(path: String, line: Int)
    /// Rows with no session row and no transcript to rebuild the row from.
    case rowsWithoutSessionRow(rows: Int)
    /// Rows a live agent wrote while the scan ran, left out of the comparison.
    case rowsWrittenDuringScan(rows: Int)
}
