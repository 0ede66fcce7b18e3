/// What a repair of a Codex home planned and did, per thread; rendered in Reporting (`CodexRepairRendering`).
public struct CodexRepairReport: Sendable {
    /// What was written for one thread.
    struct Outcome: Sendable, Equatable {
        var handedToCodexStart = false
        /// Turns and items written; (0, 0) when the projection was already whole.
        var projected: (turns: Int, items: Int)?
        var removed = false
        /// Found at the write (codex's rows differ from the derived ones, or moved meanwhile).
        var refusal: CodexRefusal?

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.handedToCodexStart == rhs.handedToCodexStart && lhs.projected?.turns == rhs.projected?.turns
                && lhs.projected?.items == rhs.projected?.items && lhs.removed == rhs.removed && lhs.refusal == rhs.refusal
        }
    }

    let plan: CodexRepairPlan
    let dryRun: Bool
    /// By the thread's place in `plan.threads`; none for a dry run.
    var outcomes: [Int: Outcome] = [:]
    var backups: [String] = []
    /// Nil when the plan did not hand anything to codex's start; false when the backfill was already pending.
    var backfillReset: Bool?
    public internal(set) var duration: Duration = .zero
    /// The error that stopped the writes part way; the threads it did not come to are as they were.
    public internal(set) var stoppedBy: FsckError?

    init(plan: CodexRepairPlan, dryRun: Bool) {
        self.plan = plan
        self.dryRun = dryRun
    }

    /// Exit status 1: a thread was refused or waits (a dry run: also when there is something to write).
    public var needsAttention: Bool {
        plan.threads.indices.contains { refusal(at: $0) != nil } || (dryRun && plan.writes)
    }

    /// The reason a thread is not repaired: its plan's, or the one found at the write.
    func refusal(at place: Int) -> CodexRefusal? {
        plan.threads[place].refusal ?? outcomes[place]?.refusal
    }
}
