import ArgumentParser
import Foundation
import TranscriptFsck

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Compare every session's transcript with its database rows and report what is lost.",
        discussion: """
        Reads every transcript (plain or gzip) and the database (read-only, safe beside a running agent), \
        and gives each session a status: ok, truncated, missing, diverged, corrupt, database_only or \
        database_ahead. Writes nothing.

        Exit status: 0 no session needs repair; 1 some session is truncated, missing, diverged or corrupt; \
        2 the scan could not run.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Transcripts read at once (default: the number of processors).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
    }

    func run() async throws {
        let scanner = StoreScanner(location: store.location, sessionIDs: store.sessions, jobs: jobs)
        let report = try await scanner.scan(progress: .forStandardErrorIfTerminal())
        print(report.rendered(as: output.format), terminator: "")
        if report.hasProblems { throw ExitCode(1) }
    }
}
