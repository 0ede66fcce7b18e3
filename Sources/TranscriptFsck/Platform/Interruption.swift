#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Lets a repair's write finish the session in flight when SIGINT, SIGTERM or SIGHUP arrives, instead of dying with
/// nothing said: the signal is noted, every write loop stops before its next session, and the caller prints what was done
/// and then dies of the signal (`dieOfNotedSignal`), so that its parent still sees how it ended (128+n in a shell).
///
/// A second signal stops the process at once: SQLite rolls back the transaction in flight, so even then every session is
/// whole or untouched. Outside a write loop nothing is in flight (reading and planning write nothing; the backup removes
/// its partial copy itself, `InterruptCleanup`): after `tellingOutsideWrites` the process says so in one line and dies of
/// the signal. A signal ignored when the handler came (`nohup`) stays ignored. Several stores may be written at once (a
/// root's profiles): the handler stays while any loop runs.
public enum Interruption {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// Written by the handler, so an atomic (lock-free, hence async-signal-safe), not a lock.
    private static let notedSignal = Atomic<Int32>(0)
    private static let wroteAnything = Atomic<Bool>(false)
    /// The lines `tellingOutsideWrites` prints, as static bytes: a handler may not format or allocate.
    nonisolated(unsafe) private static var lines: (nothingWritten: StaticString, someWritten: StaticString, stopping: StaticString)?

    private struct Loops {
        var active = 0
        var previous: [sigaction] = []
    }

    private static let loops = Locked(Loops())

    /// The signal that asked the run to stop, if one came during a write.
    static var noted: Int32? {
        let signal = notedSignal.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// Runs `body` (a write loop that asks `noted` before each session) with the signals noted rather than fatal.
    static func deferring<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        enter()
        defer { leave() }
        return try body()
    }

    /// Runs `body` (a repair of several stores) with the signals noted rather than fatal from the start, so that a
    /// signal while one store is read keeps what the others did for the report: each store not yet begun is skipped,
    /// each being written stops after its session in flight.
    public static func deferring<Result>(_ body: () async -> Result) async -> Result {
        enter()
        defer { leave() }
        return await body()
    }

    private static func enter() {
        loops.withLock { state in
            if state.active == 0 { state.previous = installNoting() }
            state.active += 1
        }
    }

    private static func leave() {
        loops.withLock { state in
            state.active -= 1
            guard state.active == 0 else { return }
            for (index, signal) in signals.enumerated() { sigaction(signal, &state.previous[index], nil) }
        }
    }

    /// From now on, a signal outside a write loop prints `nothingWritten` (or `someWritten`, once a session was written)
    /// on standard error before the process dies of it, and one noted inside a loop prints `stopping`. Called once,
    /// before any thread that could write.
    public static func tellingOutsideWrites(nothingWritten: StaticString, someWritten: StaticString, stopping: StaticString) {
        lines = (nothingWritten, someWritten, stopping)
        _ = wroteAnything.load(ordering: .relaxed)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { signal in
            InterruptCleanup.removeRegistered()
            Interruption.sayBeforeDying()
            _ = Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        #endif
        _ = install(action)
    }

    /// Prints the line `tellingOutsideWrites` gave, if any: async-signal-safe, for a handler about to die of its signal.
    static func sayBeforeDying() {
        guard let lines else { return }
        let line = wroteAnything.load(ordering: .relaxed) ? lines.someWritten : lines.nothingWritten
        _ = write(2, line.utf8Start, line.utf8CodeUnitCount)
    }

    /// Says that a session was written, for the line a later signal prints outside a write loop.
    static func sessionWritten() {
        wroteAnything.store(true, ordering: .relaxed)
    }

    /// True while a write loop runs with the signals noted.
    static var isDeferring: Bool { loops.withLock { $0.active > 0 } }

    /// Dies of the noted signal, as the process would have without the handler; returns when no signal was noted.
    public static func dieOfNotedSignal() {
        guard let signal = noted else { return }
        // Dying of a signal flushes no stdio buffer: the report would be lost in a pipe. A reader gone (`| head -1`) must
        // not turn the noted signal into SIGPIPE.
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        fflush(nil)
        _ = Glibc.signal(signal, SIG_DFL)
        // The concurrency runtime's threads may block the signal: raised there, it would stay pending while the process
        // exits with another status.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signal)
    }

    private static func installNoting() -> [sigaction] {
        _ = notedSignal.load(ordering: .relaxed)  // initialised here, never first in the handler
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { signal in
            guard Interruption.notedSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed).exchanged else {
                InterruptCleanup.removeRegistered()
                _ = Glibc.signal(signal, SIG_DFL)
                raise(signal)
                return
            }
            if let line = Interruption.lines?.stopping { _ = write(2, line.utf8Start, line.utf8CodeUnitCount) }
        }
        #endif
        return install(action)
    }

    /// Installs `action` for each of `signals` that is not ignored (`nohup`: it stays ignored); returns what each had.
    static func install(_ action: sigaction, for signals: [Int32] = signals) -> [sigaction] {
        var action = action
        sigemptyset(&action.sa_mask)
        var previous: [sigaction] = []
        for signal in signals {
            var old = sigaction()
            sigaction(signal, nil, &old)
            #if canImport(Glibc)
            let ignored = unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
            let ignored = false
            #endif
            if !ignored { sigaction(signal, &action, nil) }
            previous.append(old)
        }
        return previous
    }
}
