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
                    contents.sessionMeta = Self.members(of: scanner)
                    contents.sessionMetaTimestamp = TimestampParser.epochSeconds(line.timestamp, in: scanner)
                }
                members.removeAll(keepingCapacity: true)
            },
            // Only the wanted messages' members: keeping every line's until a session_meta line came made a transcript
            // that has none (0.15.0 on never writes one) cost three times its scan, each member a String.
            member: { key, value, scanner in
                guard wanted.contains(contents.fingerprints.count) else { return }
                Self.keep(key, value, in: scanner, into: &members)
            })
        return contents
    }

    /// The members of the object a line holds, read again (a session_meta line is one a file, if any).
    private static func members(of line: JSONScanner) -> [(name: String, value: TranscriptMessage.Value)] {
        var members: [(name: String, value: TranscriptMessage.Value)] = []
        var scanner = JSONScanner(UnsafeRawBufferPointer(start: line.base, count: line.count))
        scanner.skipWhitespace()
        try? scanner.scanMembers { key, value, scanner in keep(key, value, in: scanner, into: &members) }
        return members
    }

    /// A member by its decoded name; a repeated name keeps its last value, as in Python.
    private static func keep(_ key: JSONSpan, _ value: JSONSpan, in scanner: JSONScanner,
                             into members: inout [(name: String, value: TranscriptMessage.Value)]) {
        guard case .text(let text) = TranscriptMessage.value(of: key, in: scanner) else { return }
        members.removeAll { $0.name == text }
        members.append((text, TranscriptMessage.value(of: value, in: scanner)))
    }
}
