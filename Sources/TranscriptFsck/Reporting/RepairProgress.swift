/// A one-line progress display of a repair's write on standard error, redrawn at most five times a second: sessions and
/// rows done, the rate, the time left, and the sessions deferred so far.
///
/// Made only where `StandardError.takesProgress`, as `ScanProgress` is: cron mail, CI logs and machine output stay clean.
public final class RepairProgress: RepairObserver {
    private struct State {
        var sessions = 0, rows = 0
        var sessionsDone = 0, rowsDone = 0, deferred = 0
        var lastDraw: ContinuousClock.Instant
        let started: ContinuousClock.Instant
    }

    private let state: Locked<State>

    /// A display when standard error takes one, else nil.
    public static func forStandardErrorIfTerminal() -> RepairProgress? {
        StandardError.takesProgress ? RepairProgress() : nil
    }

    private init() {
        let now = ContinuousClock.now
        state = Locked(State(lastDraw: now, started: now))
    }

    public func start(sessions: Int, rows: Int) {
        state.withLock { state in
            state.sessions = sessions
            state.rows = rows
        }
    }

    public func sessionDone(planned: Int, inserted: Int, deferred: Bool) {
        let line: String? = state.withLock { state in
            state.sessionsDone += 1
            state.rowsDone += inserted
            state.rows -= planned - inserted  // never to be written this run
            if deferred { state.deferred += 1 }
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(200) else { return nil }
            state.lastDraw = now
            let seconds = max(0.001, (now - state.started).seconds)
            let rate = Double(state.rowsDone) / seconds
            let left = rate > 0 ? " \(Int((Double(max(0, state.rows - state.rowsDone)) / rate).rounded())) s left," : ""
            return "\rwriting: \(state.sessionsDone)/\(state.sessions) sessions, \(state.rowsDone)/\(state.rows) rows, "
                + "\(Int(rate)) rows/s,\(left) \(state.deferred) deferred "
        }
        if let line { StandardError.write(line) }
    }

    public func finish() {
        StandardError.write("\r\u{1B}[K")
    }
}
