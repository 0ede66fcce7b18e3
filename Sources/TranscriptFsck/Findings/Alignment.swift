/// How a session's database rows line up with its transcript's messages, compared as sequences of fingerprints.
enum Alignment: Equatable, Sendable {
    /// The same messages in the same order.
    case identical
    /// Every database row matches a transcript message, in order, and some messages have no row.
    /// `transcriptIndexOfRow[k]` is the transcript message that database row `k` holds.
    case databaseIsSubsequence(transcriptIndexOfRow: [Int])
    /// The database's first rows are a subsequence of the transcript and its last `followingRows` rows are messages
    /// the transcript never saw: the agent was upgraded past transcripts (0.15.0 on) and the session went on.
    /// Some transcript messages have no row; they belong before the following rows.
    case databaseContinues(transcriptIndexOfRow: [Int], followingRows: Int)
    /// The database holds every transcript message and more (the agent rewrote the transcript shorter).
    case transcriptIsSubsequence
    /// Each side has messages the other lacks. Database row `databaseRow` is the first that has no
    /// counterpart in the transcript after message `afterTranscriptMessage` (0-based; -1 for none).
    case diverged(databaseRow: Int, afterTranscriptMessage: Int)
}
