/// A one-line progress display on standard error, redrawn at most five times a second.
///
/// Made only when standard error is a terminal: cron mail and CI logs stay clean.
public final class ScanProgress: ScanObserver {
    private struct State {
        var files = 0
        var done = 0
        var bytes = 0
        var lastDraw: ContinuousClock.Instant
        let started: ContinuousClock.Instant
    }

    private let state: Locked<State>

    /// A display when standard error is a terminal, else nil.
    public static func forStandardErrorIfTerminal() -> ScanProgress? {
        StandardError.takesProgress ? ScanProgress() : nil
    }

    private init() {
        let now = ContinuousClock.now
        state = Locked(State(lastDraw: now, started: now))
    }

    public func start(files: Int) {
        state.withLock { $0.files = files }
    }

    public func transcriptDone(uncompressedBytes: Int) {
        let line: String? = state.withLock { state in
            state.done += 1
            state.bytes += uncompressedBytes
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(200) else { return nil }
            state.lastDraw = now
            let seconds = max(0.001, (now - state.started).seconds)
            let megabytes = Double(state.bytes) / 1_048_576
            return "\rscanning: \(state.done)/\(state.files) transcripts, \(Int(megabytes)) MB, \(Int(megabytes / seconds)) MB/s "
        }
        if let line { StandardError.write(line) }
    }

    public func finish() {
        StandardError.write("\r\u{1B}[K")
    }
}
