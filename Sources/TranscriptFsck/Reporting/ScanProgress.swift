/// A one-line progress display of a scan on standard error: transcripts read, megabytes, the rate.
///
/// Made only where `StandardError.takesProgress`: cron mail and CI logs stay clean.
public final class ScanProgress: ScanObserver {
    private struct Counts {
        var files = 0, done = 0, bytes = 0
    }

    private let line = ProgressLine(Counts())

    /// A display when standard error takes one, else nil.
    public static func forStandardErrorIfTerminal() -> ScanProgress? {
        StandardError.takesProgress ? ScanProgress() : nil
    }

    public func start(files: Int) {
        line.start { $0.files = files }
    }

    public func transcriptDone(uncompressedBytes: Int) {
        line.update({ counts in
            counts.done += 1
            counts.bytes += uncompressedBytes
        }, render: { counts, seconds in
            let megabytes = Double(counts.bytes) / 1_048_576
            return "scanning: \(counts.done)/\(counts.files) transcripts, \(Int(megabytes)) MB, \(Int(megabytes / seconds)) MB/s"
        })
    }

    public func finish() { line.finish() }
}
