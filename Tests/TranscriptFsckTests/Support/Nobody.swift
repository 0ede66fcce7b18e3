import Foundation
import Testing

/// User nobody (65534): the tests that need root run `transcript-fsck` as a user who owns none of the store's files
/// unless a test gives them, as the agent's own user would be beside a root-owned store.
enum Nobody {
    static let id: UInt32 = 65534

    /// Runs `transcript-fsck` with `arguments` as nobody (setpriv, which only root may do) and waits for it.
    static func fsck(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.shell("setpriv --reuid=\(id) --regid=\(id) --clear-groups " + CommandRunner.shellLine(arguments))
    }

    /// Gives the files to nobody, as the agent's own user's files would be.
    static func give(_ paths: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        for path in paths { #expect(chown(path, id, id) == 0, "\(path)", sourceLocation: sourceLocation) }
    }
}

extension Trait where Self == ConditionTrait {
    /// The tests that drop to user nobody with setpriv, which only root may do.
    static var asNobody: Self { .enabled(if: geteuid() == 0, "drops to user nobody with setpriv: needs root") }
}
