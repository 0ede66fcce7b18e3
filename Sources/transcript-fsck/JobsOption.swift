import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: its i18n data would be most of a static binary
#else
import Foundation
#endif

/// `--jobs`, shared by scan and repair: each job is a thread with its own 1 MiB line buffer.
struct JobsOption: ParsableArguments {
    static let allowed = 1...256

    // Optional, so that the help says the default in words once, not also as this machine's number.
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Threads to use for reading, 1 to 256; of several stores, stores read at once (default: the number of processors).", valueName: "n"))
    var requested: Int?

    /// The threads to use: as asked, else one a processor.
    var jobs: Int { requested ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard Self.allowed.contains(jobs) else { throw ValidationError("--jobs must be 1 to 256, not \(jobs)") }
    }
}
