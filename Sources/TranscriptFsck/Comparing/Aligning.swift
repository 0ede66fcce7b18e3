/// Finding the alignment: matching fingerprint sequences, from the end where duplicates allow a choice.
extension Alignment {
    /// Aligns `database` (rows in the agent's `ORDER BY id` order) with `transcript`.
    ///
    /// Where duplicates allow more than one embedding, the latest is chosen: the rows that survive
    /// in a truncated database are the newest ones (FORMAT.md, paths A and B).
    ///
    /// Rows after the longest prefix the transcript explains can be the session going on after its transcript
    /// ended, but only when none of them equals any transcript message: such a row may be that message out of order,
    /// or a turn the user threw away and took again (/retry keeps the user's message, and a /retry whose database
    /// write failed leaves the discarded turn in the database), and that needs a person. Whether they were written
    /// after the transcript is the comparison's question (`SessionComparison`), which has their times.
    static func align(transcript: [MessageFingerprint], database: [MessageFingerprint]) -> Alignment {
        if transcript == database { return .identical }
        if database.count < transcript.count, let matches = latestEmbedding(of: database, in: transcript) {
            return .databaseIsSubsequence(transcriptIndexOfRow: matches)
        }
        if transcript.count < database.count, latestEmbedding(of: transcript, in: database) != nil {
            return .transcriptIsSubsequence
        }
        // The forward, earliest matching explains the longest prefix; the first row after it is where the two part.
        let (explained, next) = explainedPrefix(of: database, in: transcript)
        if explained < database.count, let matches = latestEmbedding(of: Array(database[..<explained]), in: transcript) {
            let messages = Set(transcript)
            if !database[explained...].contains(where: messages.contains) {
                return .databaseContinues(transcriptIndexOfRow: matches, followingRows: database.count - explained)
            }
        }
        return .diverged(databaseRow: explained, afterTranscriptMessage: next - 1)
    }

    /// How many leading rows of `database` embed in `transcript` in order (matching each as early as it can),
    /// and the transcript position after the last of them.
    static func explainedPrefix(of database: [MessageFingerprint], in transcript: [MessageFingerprint]) -> (rows: Int, next: Int) {
        var next = 0
        for (row, fingerprint) in database.enumerated() {
            guard let found = transcript[next...].firstIndex(of: fingerprint) else { return (row, next) }
            next = found + 1
        }
        return (database.count, next)
    }

    /// For each element of `needle`, its index in `haystack`, matching from the end; nil when not a subsequence.
    static func latestEmbedding(of needle: [MessageFingerprint], in haystack: [MessageFingerprint]) -> [Int]? {
        var matches = [Int](repeating: 0, count: needle.count)
        var position = haystack.count - 1
        for index in stride(from: needle.count - 1, through: 0, by: -1) {
            while position >= 0, haystack[position] != needle[index] { position -= 1 }
            guard position >= 0 else { return nil }
            matches[index] = position
            position -= 1
        }
        return matches
    }

    /// How many messages of `transcript` have no counterpart in `database`, counting duplicates.
    static func unmatchedCount(of transcript: [MessageFingerprint], against database: [MessageFingerprint]) -> Int {
        var available: [MessageFingerprint: Int] = [:]
        for fingerprint in database { available[fingerprint, default: 0] += 1 }
        var unmatched = 0
        for fingerprint in transcript {
            if let count = available[fingerprint], count > 0 {
                available[fingerprint] = count - 1
            } else {
                unmatched += 1
            }
        }
        return unmatched
    }
}
