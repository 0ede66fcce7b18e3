/// What scanning one transcript file found: the fingerprint of each message, in order.
package struct TranscriptScan: Sendable {
    let sessionID: SessionID
    let path: String
    var fingerprints: [MessageFingerprint] = []
    var uncompressedBytes = 0
    var storedBytes = 0
    /// The last line, when the writer stopped in the middle of it; it is not counted.
    var unfinishedLastLine: Int?
    /// Set when the file could not be read whole; the fingerprints then stop before the damage.
    var error: TranscriptError?
    /// When the file was last written (epoch seconds, from its modification time): rows written after it are rows the
    /// transcript never saw. Nil when unknown.
    var modified: Double?
    /// The times the agent gave the first `session_meta` line and the first and last messages (epoch seconds as this
    /// machine's zone reads them), for judging a session the database has no trace of without reading it again.
    var sessionMetaTime: Double?
    var firstMessageTime: Double?
    var lastMessageTime: Double?

    var messageCount: Int { fingerprints.count }

    /// Reads and fingerprints every message of the transcript at `path`.
    static func scan(path: String, sessionID: SessionID, limits: ReadLimits = .standard) -> TranscriptScan {
        var result = TranscriptScan(sessionID: sessionID, path: path)
        result.modified = POSIX.modifiedSeconds(path)
        var fingerprinter = MessageFingerprinter()
        let reader = TranscriptReader(path: path, limits: limits)
        // The last message's timestamp as raw bytes, a copy of a few bytes a line; parsed once, at the end.
        var last = TimestampParser.RawTimestamp()
        var sawSessionMeta = false
        do {
            let outcome = try reader.read(onMessage: { index, line, scanner, _ in
                result.fingerprints.append(line.fingerprint(using: &fingerprinter, in: scanner))
                if index == 0 { result.firstMessageTime = TimestampParser.epochSeconds(line.timestamp, in: scanner) }
                last.set(line.timestamp, in: scanner)
            }, onSessionMeta: { line, scanner in
                guard !sawSessionMeta else { return }
                sawSessionMeta = true
                result.sessionMetaTime = TimestampParser.epochSeconds(line.timestamp, in: scanner)
            })
            if !result.fingerprints.isEmpty { result.lastMessageTime = TimestampParser.epochSeconds(last) }
            result.fingerprints.shrinkSlack()
            result.uncompressedBytes = outcome.uncompressedBytes
            result.storedBytes = outcome.storedBytes
            result.unfinishedLastLine = outcome.unfinishedLastLine
        } catch {
            result.error = error
        }
        return result
    }
}

extension Array where Element == MessageFingerprint {
    /// Growth by doubling leaves up to half of an array unused, which adds up over a store's thousands
    /// of sessions. Small arrays with real slack are copied to their size; large ones are left alone,
    /// since the copy would briefly hold both.
    mutating func shrinkSlack() {
        guard count < 1 << 18, capacity - count > count / 4 else { return }
        self = withUnsafeBufferPointer { Array($0) }
    }
}
