import Foundation
import StoreFixtures

/// Tests/Interop: the Python that writes and reads stores as the agent does (and drives the released agent).
enum InteropScripts {
    static let directory = URL(fileURLWithPath: FixtureSchema.fixturesDirectory).deletingLastPathComponent().path + "/Tests/Interop"

    /// The python of the cached venv with the tools the tests check reports with (prometheus_client), quoted for sh.
    static let toolsPython: String = {
        let path = (try? CommandRunner.shell("'\(directory)/tools-venv.sh'").standardOutput)?.trimmingCharacters(in: .whitespacesAndNewlines)
        return "'\(path ?? "python3")'"
    }()
}
