import Foundation

/// What files a running process has open, from /proc: for tests that must act at a known point of a run.
enum ProcessFiles {
    /// Waits until `process` has a file under `directory` open, and returns its path; nil when the process ended
    /// first or `timeout` passed.
    static func waitUntilOpen(_ process: Process, fileIn directory: String, timeout: Duration = .seconds(30)) -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        while process.isRunning, clock.now < deadline {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? [] {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: descriptors + "/" + name),
                   target.hasPrefix(directory + "/") {
                    return target
                }
            }
            usleep(200)
        }
        return nil
    }
}
