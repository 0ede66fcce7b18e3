import Foundation

/// The generations of the Hermes schema that fixtures are built with (`Fixtures/schema/`).
package enum FixtureSchema: String, Sendable, CaseIterable {
    /// schema_version 6: external-content FTS5 over content.
    case early
    /// schema_version 14: FTS5 with its own copy of content, tool_name and tool_calls.
    case middle
    /// schema_version 30: wide tables, FTS5 through a view, a trigram table, display_order trigger.
    case late

    /// The checked-in SQL that creates this generation.
    package var sqlPath: String { Self.fixturesDirectory + "/schema/hermes-\(rawValue).sql" }

    package func sql() throws -> String { try String(contentsOfFile: sqlPath, encoding: .utf8) }

    /// `Fixtures/` of this checkout, found from this source file's place in it.
    package static let fixturesDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures").path
    }()
}
