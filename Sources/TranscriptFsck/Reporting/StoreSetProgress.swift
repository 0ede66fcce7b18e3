/// A one-line count of the stores done on standard error, for a run over several stores; made only when standard
/// error is a terminal, as `ScanProgress` is.
public final class StoreSetProgress: StoreSetObserver {
    private struct State {
        var stores = 0
        var done = 0
        var lastDraw: ContinuousClock.Instant
        let started: ContinuousClock.Instant
    }

    private let verb: String
    private let state: Locked<State>

    /// A display when standard error is a terminal, else nil; `verb` is what is being done (`scanning`).
    public static func forStandardErrorIfTerminal(verb: String) -> StoreSetProgress? {
        StandardError.takesProgress ? StoreSetProgress(verb: verb) : nil
    }

    private init(verb: String) {
        self.verb = verb
        let now = ContinuousClock.now
        state = Locked(State(lastDraw: now - .seconds(1), started: now))
    }

    public func start(stores: Int) {
        state.withLock { $0.stores = stores }
    }

    public func storeDone() {
        let line: String? = state.withLock { state in
            state.done += 1
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(200) || state.done == state.stores else { return nil }
            state.lastDraw = now
            let seconds = max(0.001, (now - state.started).seconds)
            let left = Double(state.stores - state.done) * seconds / Double(state.done)
            return "\r\(verb): \(state.done)/\(state.stores) stores, \(Int(Double(state.done) / seconds)) a second, \(Int(left.rounded())) s left "
        }
        if let line { StandardError.write(line) }
    }

    public func finish() {
        StandardError.write("\r\u{1B}[K")
    }
}
