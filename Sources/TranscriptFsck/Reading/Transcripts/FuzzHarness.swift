#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader's entry points for the fuzzer and for the regression inputs it found: whatever the
/// bytes, reading them must end in messages or a `TranscriptError`, never a crash.
public enum FuzzHarness {
    /// Small limits, so that the fuzzer explores the limits' edges rather than allocating gigabytes.
    static let limits = ReadLimits(maximumLineBytes: 4 << 20, maximumExpansionRatio: 200, expansionGraceBytes: 1 << 20)

    /// Writes the bytes to a file named `name` in a scratch directory and scans it.
    @discardableResult
    public static func readFile(_ bytes: UnsafeRawBufferPointer, name: String) -> TranscriptScan {
        let directory = (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/transcript-fsck-fuzz-\(getpid())"
        mkdir(directory, 0o700)
        let path = directory + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if descriptor >= 0 {
            if let base = bytes.baseAddress { _ = write(descriptor, base, bytes.count) }
            close(descriptor)
        }
        return TranscriptScan.scan(path: path, sessionID: "fuzz", limits: limits)
    }

    /// Runs one line through UTF-8 validation, the message parser and the fingerprinter, as the reader does.
    public static func parseLine(_ bytes: UnsafeRawBufferPointer) {
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
