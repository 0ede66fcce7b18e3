import ArgumentParser
import Foundation
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
        let colored = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let width = checks.map(\.name.count).max() ?? 0
        for check in checks {
            var mark = check.result.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            if colored { mark = "\u{1B}[\(check.result == .ok ? 32 : check.result == .warning ? 33 : 31)m\(mark)\u{1B}[0m" }
            print("\(mark)  \(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
            if let fix = check.fix { print(String(repeating: " ", count: 9 + width + 2) + "fix: \(fix)") }
        }
        if checks.contains(where: { $0.result != .ok }) { throw ExitCode(1) }
    }
}
