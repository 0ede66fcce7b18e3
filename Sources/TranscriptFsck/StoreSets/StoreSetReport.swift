/// A scan or a repair of several stores (a root's profiles, many homes): each store's own report, or why it has none.
/// One store's failure is that store's outcome, never the end of the run.
public struct StoreSetReport<Report: SessionReport>: Sendable {
    enum Outcome: Sendable {
        case report(Report)
        /// A profile with no `state.db` and no transcripts: it has never run a session.
        case neverRan
        case failed(FsckError)
    }

    public struct Entry: Sendable {
        public let store: NamedStore
        let outcome: Outcome

        var report: Report? { if case .report(let report) = outcome { report } else { nil } }
        var failure: FsckError? { if case .failed(let error) = outcome { error } else { nil } }
    }

    public let entries: [Entry]
    /// Run-wide notes (an unreadable `--since` state file).
    let warnings: [StoreWarning]
    public let duration: Duration

    init(entries: [Entry], warnings: [StoreWarning] = [], duration: Duration) {
        self.entries = entries
        self.warnings = warnings
        self.duration = duration
    }

    /// The worst of the stores': 2 when some store could not be read, else 1 when some store needs attention, else 0.
    public var exitStatus: Int32 {
        if entries.contains(where: { $0.failure != nil }) { return 2 }
        return entries.contains(where: { $0.report?.needsAttention == true }) ? 1 : 0
    }

    /// Runs `body` on every store, at most `jobs` stores at once, and gives the outcomes in the stores' order. `body` is
    /// given the threads it may use itself: the jobs left over when fewer stores than jobs run at once.
    public static func run(_ stores: [NamedStore], jobs: Int, progress: (any StoreSetObserver)? = nil,
                           _ body: @escaping @Sendable (NamedStore, Int) async throws(FsckError) -> Report) async -> StoreSetReport {
        let clock = ContinuousClock()
        let started = clock.now
        let concurrent = max(1, min(jobs, stores.count))
        let jobsEach = max(1, jobs / concurrent)
        progress?.start(stores: stores.count)
        var outcomes = [Outcome?](repeating: nil, count: stores.count)
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func startNext() {
                guard next < stores.count else { return }
                let index = next, store = stores[index]
                next += 1
                group.addTask {
                    if let failure = store.unavailable { return (index, .failed(failure)) }
                    if store.hasNeverRun() { return (index, .neverRan) }
                    do throws(FsckError) {
                        return (index, .report(try await body(store, jobsEach)))
                    } catch {
                        return (index, .failed(error))
                    }
                }
            }
            for _ in 0..<concurrent { startNext() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                progress?.storeDone()
                startNext()
            }
        }
        progress?.finish()
        return StoreSetReport(entries: zip(stores, outcomes).map { Entry(store: $0, outcome: $1!) }, duration: clock.now - started)
    }
}

/// Hears how far a run over many stores has got, store by store (Reporting's `StoreSetProgress` shows it).
public protocol StoreSetObserver: Sendable {
    func start(stores: Int)
    func storeDone()
    func finish()
}
