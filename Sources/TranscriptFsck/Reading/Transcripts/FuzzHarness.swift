/// The reader's entry points for the fuzzer and for the regression inputs it found: whatever the
/// bytes, reading them must end in messages or a `TranscriptError`, never a crash.
package enum FuzzHarness {
    /// Small limits, so that the fuzzer explores the limits' edges rather than allocating gigabytes.
    static let limits = ReadLimits(maximumLineBytes: 4 << 20, maximumExpansionRatio: 200, expansionGraceBytes: 1 << 20)

    /// Writes the bytes to a scratch file whose name ends in `name`'s suffix, scans it, and removes it.
    @discardableResult
    package static func readFile(_ bytes: UnsafeRawBufferPointer, name: String) -> TranscriptScan {
        let suffix = name.hasSuffix(".gz") ? ".jsonl.gz" : ".jsonl"
        guard let (file, path) = try? FileDescriptor.createTemporary(suffix: suffix) else {
            return TranscriptScan(sessionID: "fuzz", path: "")
        }
        _ = try? file.writeAll(bytes)
        file.close()
        defer { POSIX.removeIfPresent(path) }
        return TranscriptScan.scan(path: path, sessionID: "fuzz", limits: limits)
    }

    /// Runs one line through UTF-8 validation, the message parser and the fingerprinter, as the reader does.
    package static func parseLine(_ bytes: UnsafeRawBufferPointer) {
        guard UTF8Validation.firstError(in: bytes) == nil else { return }
        var scanner = JSONScanner(bytes)
        var fingerprinter = MessageFingerprinter()
        if let line = try? MessageLine.parse(&scanner) {
            _ = line.fingerprint(using: &fingerprinter, in: scanner)
            _ = TimestampParser.epochSeconds(line.timestamp, in: scanner)
        }
        // The database side fingerprints arbitrary text too.
        fingerprinter.begin()
        fingerprinter.addText(.content, bytes)
        _ = fingerprinter.finish()
    }
}
