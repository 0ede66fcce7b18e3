#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes files that are only half written when the process is interrupted (SIGINT, SIGTERM, SIGHUP) while they are,
/// then dies of the signal as it would have: Ctrl-C during a backup leaves no full-size partial copy behind.
///
/// A signal handler may only call async-signal-safe functions and read what was set up before it was installed, so
/// the paths are C strings made beforehand, and the handler calls `unlink` and `raise` alone. Several stores' backups
/// may run at once (a repair of a root's profiles): each takes slots of one table, and the handler stays installed
/// until the last is done. A slot given back is emptied, but its string is freed only then, so that a handler running
/// meanwhile never reads freed memory.
enum InterruptCleanup {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let capacity = 64
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()

    private struct Registrations {
        var active = 0
        var given: [UnsafeMutablePointer<CChar>] = []
        var used = [Bool](repeating: false, count: InterruptCleanup.capacity)
        var previous = InterruptCleanup.signals.map { _ in sigaction() }
        var installed = false
    }

    private static let registrations = Locked(Registrations())

    /// Runs `body`; should one of the signals arrive meanwhile, `files` are removed before the process dies of it.
    static func removing<Result, Failure: Error>(_ files: [String], during body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let slots = registrations.withLock { state in
            var slots: [Int] = []
            for file in files {
                guard let slot = state.used.firstIndex(of: false) else { break }
                state.used[slot] = true
                let path = strdup(file)!
                state.given.append(path)
                paths[slot] = path
                slots.append(slot)
            }
            // Inside a write loop the signals are noted, not fatal (Interruption), and its handler removes these files
            // itself should a second signal end the process: a handler of ours here would kill a run that is finishing.
            if state.active == 0 {
                state.installed = !Interruption.isDeferring
                if state.installed { state.previous = install() }
            }
            state.active += 1
            return slots
        }
        defer {
            registrations.withLock { state in
                for slot in slots {
                    paths[slot] = nil
                    state.used[slot] = false
                }
                state.active -= 1
                if state.active == 0 {
                    if state.installed {
                        for (index, signal) in signals.enumerated() { sigaction(signal, &state.previous[index], nil) }
                    }
                    for path in state.given { free(path) }
                    state.given = []
                }
            }
        }
        return try body()
    }

    /// Removes every registered file: async-signal-safe, for a handler about to die of its signal.
    static func removeRegistered() {
        for index in 0..<capacity { if let path = paths[index] { unlink(path) } }
    }

    private static func install() -> [sigaction] {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { signal in
            InterruptCleanup.removeRegistered()
            Interruption.sayBeforeDying()
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        #endif
        return Interruption.install(action, for: signals)
    }
}
