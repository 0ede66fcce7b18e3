/// A one-line count of the stores done on standard error, for a run over several stores; made only where
/// `StandardError.takesProgress`, as `ScanProgress` is.
public final class StoreSetProgress: StoreSetObserver {
    private struct Counts {
        var stores = 0, done = 0
    }

    private let verb: String
    private let line = ProgressLine(Counts(), drawFirstAtOnce: true)

    /// A display when standard error takes one, else nil; `verb` is what is being done (`scanning`).
    public static func forStandardErrorIfTerminal(verb: String) -> StoreSetProgress? {
        StandardError.takesProgress ? StoreSetProgress(verb: verb) : nil
    }

    private init(verb: String) {
        self.verb = verb
    }

    public func start(stores: Int) {
        line.start { $0.stores = stores }
    }

    public func storeDone() {
        let verb = verb
        line.update({ $0.done += 1 }, drawNow: { $0.done == $0.stores }, render: { counts, seconds in
            let left = Double(counts.stores - counts.done) * seconds / Double(counts.done)
            return "\(verb): \(counts.done)/\(counts.stores) stores, \(Int(Double(counts.done) / seconds)) a second, \(Int(left.rounded())) s left"
        })
    }

    public func finish() { line.finish() }
}
