/// A line on standard error redrawn in place, at most five times a second, from counts that threads update: what
/// `ScanProgress`, `StoreSetProgress` and `RepairProgress` each show of their own counts.
final class ProgressLine<Counts: Sendable>: Sendable {
    private struct State {
        var counts: Counts
        var lastDraw: ContinuousClock.Instant
        var started: ContinuousClock.Instant
    }

    private let state: Locked<State>
    private let drawFirstAtOnce: Bool

    /// `drawFirstAtOnce`: the first update draws (a count of few, slow steps); else it waits its 200 ms like the rest.
    init(_ counts: Counts, drawFirstAtOnce: Bool = false) {
        self.drawFirstAtOnce = drawFirstAtOnce
        let now = ContinuousClock.now
        state = Locked(State(counts: counts, lastDraw: drawFirstAtOnce ? now - .seconds(1) : now, started: now))
    }

    /// Applies `change`, drawing nothing (the totals a run starts with), and starts the clock the rates are taken from.
    func start(_ change: (inout Counts) -> Void = { _ in }) {
        state.withLock { state in
            change(&state.counts)
            let now = ContinuousClock.now
            state.started = now
            state.lastDraw = drawFirstAtOnce ? now - .seconds(1) : now
        }
    }

    /// Applies `change`; when a redraw is due (or `drawNow` says so of the new counts), draws `render(counts, seconds)`.
    func update(_ change: (inout Counts) -> Void, drawNow: (Counts) -> Bool = { _ in false },
                render: (Counts, _ seconds: Double) -> String) {
        let line: String? = state.withLock { state in
            change(&state.counts)
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(200) || drawNow(state.counts) else { return nil }
            state.lastDraw = now
            return "\r" + render(state.counts, max(0.001, (now - state.started).seconds)) + " "
        }
        if let line { StandardError.write(line) }
    }

    func finish() {
        StandardError.write("\r\u{1B}[K")
    }
}
