/// Reads one transcript file, plain or gzip, and hands every message line to a visitor.
///
/// Blank lines are skipped; `session_meta` lines go to `onSessionMeta` and are not counted;
/// an unfinished last line is noted and not counted; any other unreadable line stops the read with an error.
struct TranscriptReader {
    let path: String
    var limits = ReadLimits.standard

    /// What reading the whole file found.
    struct Outcome {
        var messages = 0
        var uncompressedBytes = 0
        var storedBytes = 0
        /// The last line, when it has no newline and does not parse: the writer stopped mid-line.
        var unfinishedLastLine: Int?
    }

    /// Reads the file; `onMessage` gets the message's index (0-based), its fields and the line.
    func read(
        onMessage: (Int, MessageLine, JSONScanner, Line) -> Void,
        onSessionMeta: (MessageLine, JSONScanner) -> Void = { _, _ in },
        member: (JSONSpan, JSONSpan, inout JSONScanner) -> Void = { _, _, _ in }
    ) throws(TranscriptError) -> Outcome {
        var outcome = Outcome()
        let lines = LineReader(path: path, maximumLineBytes: limits.maximumLineBytes)
        func visit(_ line: Line) throws(TranscriptError) {
            guard line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            // One pass that checks UTF-8 as it reads the strings (the only place a line it reads whole can hold bytes of
            // 0x80 and above); a line it cannot read is read again as before, UTF-8 first, so that the error named is
            // the same.
            var scanner = JSONScanner(line.bytes, validatingUTF8: true)
            let parsed: MessageLine
            do throws(JSONSyntaxError) {
                do throws(JSONSyntaxError) {
                    parsed = try MessageLine.parse(&scanner, member: member)
                } catch {
                    if let invalid = UTF8Validation.firstError(in: line.bytes) {
                        throw JSONSyntaxError(offset: invalid.offset, reason: invalid.reason)
                    }
                    scanner = JSONScanner(line.bytes)
                    parsed = try MessageLine.parse(&scanner, member: member)
                }
            } catch {
                guard line.endsWithNewline else {
                    outcome.unfinishedLastLine = line.number
                    return
                }
                throw TranscriptError(path: path, place: .line(line.number, byteOffset: line.byteOffset),
                                      defect: .notAMessage(column: error.offset + 1, parserSays: error.reason))
            }
            switch parsed.kind {
            case .sessionMeta:
                onSessionMeta(parsed, scanner)
            case .message:
                onMessage(outcome.messages, parsed, scanner, line)
                outcome.messages += 1
            }
        }
        if path.hasSuffix(".gz") {
            var source = try GzipFileSource(path: path, limits: limits)
            outcome.uncompressedBytes = try lines.forEachLine(from: &source, visit)
            outcome.storedBytes = source.storedBytesRead
        } else {
            var source = try PlainFileSource(path: path)
            outcome.uncompressedBytes = try lines.forEachLine(from: &source, visit)
            outcome.storedBytes = source.storedBytesRead
        }
        return outcome
    }
}
