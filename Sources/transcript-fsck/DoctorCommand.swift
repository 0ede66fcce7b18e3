import ArgumentParser
import TranscriptFsck

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the environment and the store, and say what to fix before a scan or a repair.",
        discussion: "Exit status: 0 every check passed; 1 a warning or a failure (each with what to do)."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let checks = Doctor.run(location: store.location)
        print(Doctor.rendered(checks, colored: TerminalColor.isWanted(on: 1)), terminator: "")
        if checks.contains(where: { $0.result != .ok }) { throw ExitCode(1) }
    }
}
