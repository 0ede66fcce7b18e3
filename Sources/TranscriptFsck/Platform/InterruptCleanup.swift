#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes files that are only half written when the process is interrupted (SIGINT, SIGTERM, SIGHUP) while they are,
/// then dies of the signal as it would have: Ctrl-C during a backup leaves no full-size partial copy behind.
///
/// A signal handler may only call async-signal-safe functions and read what was set up before it was installed, so
/// the paths are C strings made beforehand, and the handler calls `unlink` and `raise` alone.
enum InterruptCleanup {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let capacity = 8
    nonisolated(unsafe) private static var paths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var count: Int32 = 0

    /// Runs `body`; should one of the signals arrive meanwhile, `files` are removed before the process dies of it.
    static func removing<Result, Failure: Error>(_ files: [String], during body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let chosen = files.prefix(capacity)
        for (index, file) in chosen.enumerated() { paths[index] = strdup(file) }
        count = Int32(chosen.count)
        var previous = signals.map { _ in sigaction() }
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { signal in
            for index in 0..<Int(InterruptCleanup.count) { if let path = InterruptCleanup.paths[index] { unlink(path) } }
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        #endif
        sigemptyset(&action.sa_mask)
        for (index, signal) in signals.enumerated() { sigaction(signal, &action, &previous[index]) }
        defer {
            for (index, signal) in signals.enumerated() { sigaction(signal, &previous[index], nil) }
            count = 0
            for index in 0..<chosen.count { free(paths[index]); paths[index] = nil }
        }
        return try body()
    }
}
