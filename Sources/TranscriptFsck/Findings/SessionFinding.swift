/// What the scan found for one session.
public struct SessionFinding: Sendable, Equatable {
    let sessionID: SessionID
    let status: SessionStatus
    /// Why the session is not ok; nil when its status is not a problem. Its `status` is the finding's.
    let problem: Problem?
    /// The transcript compared (the longer one when a session has several); nil when there is none.
    let transcriptPath: String?
    /// Every transcript file found for the session.
    let transcriptPaths: [String]
    let transcriptMessages: Int
    var databaseMessages: Int
    /// Transcript messages that the database lacks.
    let missingMessages: Int
    /// Things worth knowing that do not change the status (an unfinished last line, say).
    var warnings: [SessionWarning]
    /// What the session row says, for filters; nil when the database holds nothing of the session.
    let session: SessionFacts?
    /// Where the rows line up; nil when there is nothing to align (or the finding was taken from an audit's state
    /// file). With `inFlightRows`, it aligns the rows before those.
    let alignment: Alignment?
    /// Rows at the end of the session written after the transcripts were read (a live agent), left out
    /// of the comparison: the transcript read could not hold them yet.
    var inFlightRows = 0
}

extension SessionFinding {
    /// This finding of a session the database has no trace of, as the deletion evidence judges it: `deleted` (not a
    /// problem) or still `missing`, with the evidence as a warning.
    func judged(_ verdict: DeletionEvidence.Verdict) -> SessionFinding {
        switch verdict {
        case .deleted(let freed):
            SessionFinding(sessionID: sessionID, status: .deleted, problem: nil, transcriptPath: transcriptPath, transcriptPaths: transcriptPaths,
                           transcriptMessages: transcriptMessages, databaseMessages: databaseMessages, missingMessages: missingMessages,
                           warnings: warnings + [.deletedByTheUser(freedIDs: freed)], session: session, alignment: alignment)
        case .neverRecorded(let before):
            SessionFinding(sessionID: sessionID, status: status, problem: problem, transcriptPath: transcriptPath, transcriptPaths: transcriptPaths,
                           transcriptMessages: transcriptMessages, databaseMessages: databaseMessages, missingMessages: missingMessages,
                           warnings: warnings + [.neverRecorded(beforeTheDatabase: before)], session: session, alignment: alignment)
        }
    }
}
