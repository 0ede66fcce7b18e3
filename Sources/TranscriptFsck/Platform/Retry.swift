/// How long to pause between tries.
enum Backoff {
    case constant(Duration)
    /// Twice as long after each try, up to `maximum`.
    case doubling(from: Duration, upTo: Duration)
}

/// Calls `attempt` until it gives a result or `deadline` has passed, pausing between tries; nil when time ran out.
/// `attempt` is told the time left (for a wait of its own, such as SQLite's busy handler). `onFirstWait` is called
/// before the first pause, once, so that a person waiting is told why, and told only once.
func retry<Result, Failure: Error>(
    until deadline: ContinuousClock.Instant, backoff: Backoff, onFirstWait: () -> Void = {},
    _ attempt: (_ remaining: Duration) throws(Failure) -> Result?
) throws(Failure) -> Result? {
    let clock = ContinuousClock()
    var pause: Duration
    let longest: Duration
    switch backoff {
    case .constant(let duration): (pause, longest) = (duration, duration)
    case .doubling(let first, let maximum): (pause, longest) = (first, maximum)
    }
    var told = false
    while true {
        if let result = try attempt(max(.zero, deadline - clock.now)) { return result }
        guard clock.now < deadline else { return nil }
        if !told {
            onFirstWait()
            told = true
        }
        POSIX.sleep(min(pause, deadline - clock.now))
        pause = min(pause * 2, longest)
    }
}
