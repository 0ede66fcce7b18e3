/// A transcript read in full for a backfill: fingerprints of every message, the chosen messages
/// in full, and the `session_meta` record.
struct TranscriptContents {
    var fingerprints: [MessageFingerprint] = []
    /// The messages asked for, by their 0-based index.
    var messages: [Int: TranscriptMessage] = [:]
    /// The members of the first `session_meta` line, if any.
    var sessionMeta: [(name: String, value: TranscriptMessage.Value)]?
    var sessionMetaTimestamp: Double?

    /// Reads `path`, keeping in full only the messages whose index is in `wanted`.
    static func read(path: String, wanted: Set<Int>) throws(TranscriptError) -> TranscriptContents {
        var contents = TranscriptContents()
        var fingerprinter = MessageFingerprinter()
        var members: [(name: String, value: TranscriptMessage.Value)] = []
        _ = try TranscriptReader(path: path).read(
            onMessage: { index, line, scanner, text in
                contents.fingerprints.append(line.fingerprint(using: &fingerprinter, in: scanner))
                if wanted.contains(index) {
                    contents.messages[index] = TranscriptMessage(members: members, timestamp: TimestampParser.epochSeconds(line.timestamp, in: scanner),
                                                                 line: text.number)
                }
                members.removeAll(keepingCapacity: true)
            },
            onSessionMeta: { line, scanner in
                if contents.sessionMeta == nil {
                    contents.sessionMeta = members
                    contents.sessionMetaTimestamp = TimestampParser.epochSeconds(line.timestamp, in: scanner)
                }
                members.removeAll(keepingCapacity: true)
            },
            member: { key, value, scanner in
                guard wanted.contains(contents.fingerprints.count) || contents.sessionMeta == nil else { return }
                let name = TranscriptMessage.value(of: key, in: scanner)
                guard case .text(let text) = name else { return }
                members.removeAll { $0.name == text }
                members.append((text, TranscriptMessage.value(of: value, in: scanner)))
            })
        return contents
    }
}
