/// What the scan found for one session.
public struct SessionFinding: Sendable, Equatable {
    public let sessionID: String
    public let status: SessionStatus
    /// The transcript compared (the longer one when a session has several); nil when there is none.
    public let transcriptPath: String?
    /// Every transcript file found for the session.
    public let transcriptPaths: [String]
    public let transcriptMessages: Int
    public let databaseMessages: Int
    /// Transcript messages that the database lacks.
    public let missingMessages: Int
    /// Why the session is not ok, one line each; empty when it is.
    public let problems: [String]
    /// Things worth knowing that do not change the status (an unfinished last line, say).
    public let warnings: [String]
    /// Where the rows line up; nil when there is nothing to align. With `inFlightRows`, it aligns
    /// the rows before those.
    public let alignment: Alignment?
    /// Rows at the end of the session written after the transcripts were read (a live agent), left out
    /// of the comparison: the transcript read could not hold them yet.
    public var inFlightRows = 0
}
