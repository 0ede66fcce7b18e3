extension SessionComparison {
    /// One session read again whole, as a scan reads it: its transcripts first, then its rows (`rows`), the rows above
    /// `watermark` taken as the live agent's writes in between. For a session that changed between plan and write.
    static func readAgain<Failure: Error>(_ sessionID: SessionID, transcripts: [String], watermark: Int64,
                                          rows: () throws(Failure) -> DatabaseSession) throws(Failure) -> (SessionFinding, DatabaseSession) {
        let scans = transcripts.map { TranscriptScan.scan(path: $0, sessionID: sessionID) }
        let current = try rows()
        return (compare(sessionID: sessionID, transcripts: scans, database: current, writtenAfterRowID: watermark), current)
    }
}
