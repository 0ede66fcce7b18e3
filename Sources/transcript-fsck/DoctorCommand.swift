import ArgumentParser
import TranscriptFsck

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the environment and the store, and say what to fix before a scan or a repair.",
        discussion: """
        On a Codex CLI home (found as scan finds it, or --agent codex): the home's layout, whether state_5.sqlite \
        and thread_history_1.sqlite read, the rollouts found, and whether a codex process uses the home now.

        Exit status: 0 every check passed; 1 a check warned or failed (each says what to do); 2 the checks \
        could not run (bad arguments, a --homes-from file that cannot be read).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Output format: table or json.")
    var format: DoctorFormat = .table

    func run() throws {
        if let home = try store.codexHome() { return try run(on: home) }
        let stores = try store.stores()
        if format == .json {
            let groups = Doctor.run(stores: stores)
            print(Doctor.jsonDocument(groups).rendered(indent: 2))
            if Doctor.needsAttention(groups) { throw ExitCode(1) }
            return
        }
        let colored = TerminalColor.isWanted(on: 1)
        guard let location = stores.onlyStore else {
            let results = Doctor.run(stores: stores)
            print(Doctor.rendered(results, colored: colored), terminator: "")
            if Doctor.needsAttention(results) { throw ExitCode(1) }
            return
        }
        let checks = Doctor.run(location: location)
        print(Doctor.rendered(checks, colored: colored), terminator: "")
        if checks.contains(where: { $0.result != .ok }) { throw ExitCode(1) }
    }

    private func run(on home: CodexHome) throws {
        let machine = Doctor.environmentChecks(), checks = Doctor.codexChecks(home)
        if format == .json {
            print(Doctor.jsonDocument(machine: machine, codexHome: home, checks: checks).rendered(indent: 2))
        } else {
            print(Doctor.rendered(machine + checks, colored: TerminalColor.isWanted(on: 1)), terminator: "")
        }
        if (machine + checks).contains(where: { $0.result != .ok }) { throw ExitCode(1) }
    }
}

extension DoctorFormat: ExpressibleByArgument {}
