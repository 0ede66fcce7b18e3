/// A one-line progress display of a repair's write on standard error: sessions and rows done, the rate, the time
/// left, and the sessions deferred so far.
///
/// Made only where `StandardError.takesProgress`, as `ScanProgress` is: cron mail, CI logs and machine output stay clean.
public final class RepairProgress: RepairObserver {
    private struct Counts {
        var sessions = 0, rows = 0
        var sessionsDone = 0, rowsDone = 0, deferred = 0
    }

    private let line = ProgressLine(Counts())

    /// A display when standard error takes one, else nil.
    public static func forStandardErrorIfTerminal() -> RepairProgress? {
        StandardError.takesProgress ? RepairProgress() : nil
    }

    public func start(sessions: Int, rows: Int) {
        line.start { counts in
            counts.sessions = sessions
            counts.rows = rows
        }
    }

    /// The rate is the write's: the clock starts again once the backup is made.
    public func backupMade() {
        line.start()
    }

    public func sessionDone(planned: Int, inserted: Int, deferred: Bool) {
        line.update({ counts in
            counts.sessionsDone += 1
            counts.rowsDone += inserted
            counts.rows -= planned - inserted  // never to be written this run
            if deferred { counts.deferred += 1 }
        }, render: { counts, seconds in
            let rate = Double(counts.rowsDone) / seconds
            let left = rate > 0 ? " \(Int((Double(max(0, counts.rows - counts.rowsDone)) / rate).rounded())) s left," : ""
            return "writing: \(counts.sessionsDone)/\(counts.sessions) sessions, \(counts.rowsDone)/\(counts.rows) rows, "
                + "\(Int(rate)) rows/s,\(left) \(counts.deferred) deferred"
        })
    }

    public func finish() { line.finish() }
}
