/// Keeps a repair from starving a live agent of SQLite's write lock.
///
/// SQLite has no fair queue: a connection that takes the lock back to back wins it again and again, and the
/// agent's writes wait (p99 of seconds, and a flush that waits too long drops its row: path A). So beside
/// another connection the repair holds the lock for at most `budget` at a time, and after each commit leaves
/// it free long enough for a waiting writer to take it. A waiting connection polls on SQLite's default busy
/// handler (Python's `sqlite3` timeout), whose sleeps grow with the time it has waited: 1, 2, 5, 10, 15, 20, 25,
/// 25, 25, 50, 50, then 100 ms. One that started waiting while the repair held the lock for `held` has waited at
/// most that long, so its next poll comes within the sleep due at `held`; the pause is that sleep and a margin.
struct WritePacing {
    /// The longest the repair may hold the write lock while another process has the database open; nil: no limit.
    let budget: Duration?
    /// Seconds of lock per unit of work (a row inserted, moved or read back), learnt from the sessions written.
    private(set) var secondsPerUnit = 60e-6
    private var measured = false

    static let busyHandlerSleeps: [Int] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
    static let margin = Duration.milliseconds(5)

    init(budget: Duration?) {
        self.budget = budget
    }

    /// The work one plan does while it holds the lock: rows inserted, rows moved (a copy and a delete), and the
    /// session read back before and after.
    static func units(of plan: SessionRepairPlan) -> Int {
        plan.rows.count + 2 * plan.movedRows + 2 * (plan.expected.messageCount + plan.rows.count)
    }

    /// How long `plan` is expected to hold the write lock.
    func estimate(_ plan: SessionRepairPlan) -> Duration {
        .seconds(Double(Self.units(of: plan)) * secondsPerUnit)
    }

    /// True when `plan` would hold the lock longer than the budget allows.
    func exceedsBudget(_ plan: SessionRepairPlan) -> Bool {
        guard let budget else { return false }
        return estimate(plan) > budget
    }

    /// Learns from a session that held the lock for `held`.
    mutating func record(_ plan: SessionRepairPlan, held: Duration) {
        let units = Double(max(1, Self.units(of: plan)))
        let observed = held.seconds / units
        // The first measurement replaces the guess; later ones move it, never below a tenth of its value at once.
        secondsPerUnit = measured ? max(secondsPerUnit / 10, 0.7 * secondsPerUnit + 0.3 * observed) : observed
        measured = true
    }

    /// How long to leave the lock free after holding it for `held`, for a writer that waited meanwhile.
    static func pause(after held: Duration) -> Duration {
        var waited = 0
        for sleep in busyHandlerSleeps {
            waited += sleep
            if Duration.milliseconds(waited) > held { return .milliseconds(sleep) + margin }
        }
        return .milliseconds(busyHandlerSleeps.last!) + margin
    }
}
