import Foundation
import StoreFixtures

/// Tests/Interop: the Python that writes and reads stores as the agent does (and drives the released agent).
enum InteropScripts {
    static let directory = URL(fileURLWithPath: FixtureSchema.fixturesDirectory).deletingLastPathComponent().path + "/Tests/Interop"
}
