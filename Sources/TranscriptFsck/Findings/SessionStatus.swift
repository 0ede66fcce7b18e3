/// The verdict on one session.
public enum SessionStatus: String, Sendable, CaseIterable, Codable {
    /// The database holds exactly the transcript's messages.
    case ok
    /// The database rows are a proper subsequence of the transcript: history was lost and can be backfilled.
    case truncated
    /// The transcript has messages, the database has no session row or no rows for it.
    case missing
    /// The database lacks transcript messages and holds newer rows the transcript never saw: the agent was
    /// upgraded past transcripts (0.15.0 on) and the session went on. Repairable: the lost messages go before the new rows.
    case continued
    /// Each side has messages the other lacks; needs a person.
    case diverged
    /// The transcript could not be read whole.
    case corrupt
    /// A transcript of a session the database has no trace of, which the evidence says the user deleted (the agent's
    /// delete leaves transcripts behind). Not a problem: a repair brings it back only when it is named with `--session`.
    case deleted
    /// Rows with no transcript: normal for sessions whose transcript was never kept.
    case databaseOnly = "database_only"
    /// The database holds every transcript message and more: the agent rewrote the transcript shorter. Not damage.
    case databaseAhead = "database_ahead"

    /// True for the statuses that make `scan` exit 1.
    var isProblem: Bool {
        switch self {
        case .truncated, .missing, .continued, .diverged, .corrupt: true
        case .ok, .deleted, .databaseOnly, .databaseAhead: false
        }
    }
}
