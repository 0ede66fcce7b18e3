/// Keeps a repair from starving a live agent of SQLite's write lock.
///
/// SQLite has no fair queue: a connection that takes the lock back to back wins it again and again, and the
/// agent's writes wait (p99 of seconds, and a flush that waits too long drops its row: path A). So beside
/// another connection the repair holds the lock for at most `budget` at a time, and after each commit leaves
/// it free long enough for every waiting writer to take it. A waiting connection polls on SQLite's default
/// busy handler (Python's `sqlite3` timeout), whose sleeps grow with the time it has waited (1, 2, 5, 10, 15,
/// 20, 25, 25, 25, 50, 50 ms) to 100 ms; a writer that missed one pause (another writer had the lock when it
/// polled) is soon on the 100 ms step. So the pause is that longest sleep and a margin: every waiter polls
/// inside it, however long it has waited. (A pause sized to the sleep due at the length of the last hold,
/// the first design, let writers on the 100 ms step miss window after window: agent p99 531 ms, max 1 s.)
struct WritePacing {
    /// Seconds of lock per unit of work, learnt from the sessions written. The first guess is on the slow side of
    /// what the agent's 0.13.0 schema (two FTS5 tables) measured: about 80 µs an inserted row.
    private(set) var secondsPerUnit = 100e-6
    private var measured = false

    /// The last, longest step of SQLite's default busy handler (`sqliteDefaultBusyCallback`), which a writer that
    /// has waited a while polls at.
    static let longestBusyHandlerSleep = Duration.milliseconds(100)
    static let margin = Duration.milliseconds(5)

    /// The work one plan does while it holds the lock, in inserted rows: a moved row is a copy and a delete (two,
    /// as measured: about 165 µs against 78); reading the session back is cheap beside the FTS triggers (1 in 50).
    static func units(of plan: SessionRepairPlan) -> Int {
        plan.rows.count + 2 * plan.movedRows + (2 * plan.expected.messageCount + plan.rows.count) / 50
    }

    /// How long `plan` is expected to hold the write lock.
    func estimate(_ plan: SessionRepairPlan) -> Duration {
        .seconds(Double(Self.units(of: plan)) * secondsPerUnit)
    }

    /// The longest one session may hold the write lock while no other process is seen: an agent that starts during
    /// the transaction waits for all of it, and its `append_message` gives up after about 16 s (15 retries of a 1 s
    /// busy timeout), dropping the row. A third of that leaves room for a slow disk.
    static let unwatchedBudget = Duration.seconds(5)

    static let fewestUnitsToLearnFrom = 50

    /// Learns from a session that held the lock for `held`.
    mutating func record(_ plan: SessionRepairPlan, held: Duration) {
        // A session of a few rows measures the transaction's fixed costs, not the rate per row.
        guard Self.units(of: plan) >= Self.fewestUnitsToLearnFrom else { return }
        let units = Double(Self.units(of: plan))
        let observed = held.seconds / units
        // The first measurement replaces the guess; later ones move it, never below a tenth of its value at once.
        secondsPerUnit = measured ? max(secondsPerUnit / 10, 0.7 * secondsPerUnit + 0.3 * observed) : observed
        measured = true
    }

    /// How long to leave the lock free after each session while another process has the database open.
    static let pause = longestBusyHandlerSleep + margin
}
