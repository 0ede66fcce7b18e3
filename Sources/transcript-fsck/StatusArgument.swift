import ArgumentParser
import TranscriptFsck

/// A `--status` value: a Hermes session status or a Codex thread status, which the run's agent, known only once the
/// home is found, takes or refuses.
struct StatusArgument: ExpressibleByArgument, Equatable {
    let name: String

    init?(argument: String) {
        guard Self.allValueStrings.contains(argument) else { return nil }
        name = argument
    }

    /// Hermes' statuses, then those only codex's threads have.
    static var allValueStrings: [String] {
        let hermes = SessionStatus.allCases.map(\.rawValue)
        return hermes + CodexThreadStatus.allCases.map(\.rawValue).filter { !hermes.contains($0) }
    }

    static func sessionStatuses(_ arguments: [StatusArgument]) throws -> [SessionStatus] {
        try arguments.map { argument in
            guard let status = SessionStatus(rawValue: argument.name) else {
                throw ValidationError("--status \(argument.name) is a Codex thread's status; a Hermes session's are "
                                      + SessionStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
    }

    static func threadStatuses(_ arguments: [StatusArgument]) throws -> [CodexThreadStatus] {
        try arguments.map { argument in
            guard let status = CodexThreadStatus(rawValue: argument.name) else {
                throw ValidationError("--status \(argument.name) is a Hermes session's status; a Codex thread's are "
                                      + CodexThreadStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
    }
}
