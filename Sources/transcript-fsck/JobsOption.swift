import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif

/// `--jobs`, shared by scan and repair: each job is a thread with its own 1 MiB line buffer.
struct JobsOption: ParsableArguments {
    static let allowed = 1...256

    @Option(name: .long, help: "Threads to use for reading, 1 to 256 (default: the number of processors).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard Self.allowed.contains(jobs) else { throw ValidationError("--jobs must be 1 to 256, not \(jobs)") }
    }
}
