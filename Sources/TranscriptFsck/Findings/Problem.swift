/// Why a session is not ok, as facts; Reporting puts them into words. Positions are 1-based, as people count.
public indirect enum Problem: Sendable, Equatable {
    /// The database rows are `kept` of the transcript's `of` messages, in order; which ones were lost.
    case truncated(kept: Int, of: Int, lost: LostMessages)
    /// The transcript holds `transcriptMessages` messages and the database no row of the session;
    /// `sessionRowExists` tells whether the session row itself is there.
    case noRows(transcriptMessages: Int, sessionRowExists: Bool)
    /// The database holds all `messages` messages but no session row, so the agent never lists or resumes it.
    case noSessionRow(messages: Int)
    /// The database lacks `missing` of the transcript's `of` messages and holds `newerRows` rows the transcript
    /// never saw: the session went on after an upgrade.
    case continued(missing: Int, of: Int, newerRows: Int)
    /// The database lacks `missing` of the transcript's `of` messages and holds `rows` rows after them that the
    /// transcript does not, written before the transcript was last written: rows it dropped (a rewrite whose database
    /// write failed), not rows it never saw.
    case writtenBeforeTheTranscript(missing: Int, of: Int, rows: Int)
    /// The rows from `fromRowID` on repeat the session's first `rows` rows, in order: the agent wrote the history it
    /// had into the session a second time (hermes-agent 0.17.0's `/compress` after `/resume`).
    case writtenTwice(rows: Int, fromRowID: Int64, toRowID: Int64)
    /// Each side holds messages the other lacks.
    case diverged(Divergence)
    /// Two transcripts of the session differ at `message` and neither is a prefix of the other.
    case transcriptsDisagree(first: String, second: String, message: Int)
    /// A transcript could not be read whole.
    case unreadable(TranscriptError)

    /// Which of the transcript's messages a truncated database lacks.
    public enum LostMessages: String, Sendable, Equatable {
        /// The two failure paths: the newest rows survived.
        case older
        case newer
        /// Some between or around the rows that survived.
        case scattered
    }

    /// The status a session with this problem has.
    var status: SessionStatus {
        switch self {
        case .truncated: .truncated
        case .noRows, .noSessionRow: .missing
        case .continued: .continued
        case .diverged, .transcriptsDisagree, .writtenBeforeTheTranscript, .writtenTwice: .diverged
        case .unreadable: .corrupt
        }
    }
}

/// Where a database parts from its transcript.
public struct Divergence: Sendable, Equatable {
    /// The first row with no counterpart: its place among the session's `databaseRows` rows, and its id.
    let row: Int
    let rowID: Int64?
    let databaseRows: Int
    /// The transcript message after which that row has no match; 0 for the start of the transcript.
    let afterMessage: Int
    /// Messages of the transcript not in the database, and rows of the database not in the transcript.
    let transcriptOnly: Int
    let databaseOnly: Int
}
