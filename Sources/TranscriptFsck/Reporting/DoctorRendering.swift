extension Doctor {
    /// The checks as aligned lines (`ok       sqlite  SQLite 3.40.1 with FTS5`), each one with a fix followed
    /// by a line saying what to do.
    public static func rendered(_ checks: [Check], colored: Bool) -> String {
        let width = checks.map(\.name.count).max() ?? 0
        let markWidth = 7
        var lines: [String] = []
        for check in checks {
            let text = check.result.rawValue
            var mark = text + String(repeating: " ", count: max(0, markWidth - text.count))
            if colored { mark = check.result.color.wrap(mark) }
            // Details and fixes name paths, which may hold anything a file name can, escape sequences too.
            lines.append("\(mark)  \(check.name + String(repeating: " ", count: width - check.name.count))  \(check.detail.escapingControlCharacters)")
            if let fix = check.fix {
                lines.append(String(repeating: " ", count: markWidth + 2 + width + 2) + "fix: \(fix.escapingControlCharacters)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

extension Doctor {
    /// Several stores' checks: the machine's first, then each store's under a line naming it.
    public static func rendered(_ groups: [StoreChecks], colored: Bool) -> String {
        groups.map { group in
            let heading = group.store.map { "\n== \($0.label.escapingControlCharacters): \($0.location.database.escapingControlCharacters)\n" } ?? ""
            return heading + rendered(group.checks, colored: colored)
        }.joined()
    }
}

extension Doctor.Check.Result {
    var color: TerminalColor {
        switch self {
        case .ok: .green
        case .warning: .yellow
        case .failure: .red
        }
    }
}

/// How `doctor` prints its checks: aligned lines for people, or one JSON document for programs.
public enum DoctorFormat: String, Sendable, CaseIterable {
    case table
    case json
}

extension Doctor {
    /// True when a check warned or failed: the exit status is then 1.
    public static func needsAttention(_ groups: [StoreChecks]) -> Bool {
        groups.contains { $0.checks.contains { $0.result != .ok } }
    }

    /// The JSON document described in Docs/REPORTS.md: the counts, the machine's checks, then each store's, in the
    /// order they ran. One shape for one store and for many, so that a program reads every run the same way.
    public static func jsonDocument(_ groups: [StoreChecks]) -> JSONValue {
        let machine = groups.filter { $0.store == nil }.flatMap(\.checks)
        let stores = groups.compactMap { group in group.store.map { ($0, group.checks) } }
        return .object([
            ("summary", summary(stores: stores.count, checks: groups.flatMap(\.checks))),
            ("checks", .array(machine.map(\.jsonObject))),
            ("stores", .array(stores.map { store, checks in
                .object([
                    ("root", .optional(store.root)), ("profile", .optional(store.profile)),
                    ("database", .string(store.location.database)),
                    ("transcripts", .array(store.location.transcriptRoots.map(JSONValue.string))),
                    ("checks", .array(checks.map(\.jsonObject))),
                ])
            })),
        ])
    }
}

extension Doctor {
    /// A Codex home's checks as one JSON document of the same shape: the machine's checks, then the home's as its one
    /// store, which has `agent` and `home` where a Hermes store has its database and transcripts.
    public static func jsonDocument(machine: [Check], codexHome home: CodexHome, checks: [Check]) -> JSONValue {
        .object([
            ("summary", summary(stores: 1, checks: machine + checks)),
            ("checks", .array(machine.map(\.jsonObject))),
            ("stores", .array([.object([("agent", .string(Agent.codex.rawValue)), ("home", .string(home.path)),
                                        ("checks", .array(checks.map(\.jsonObject)))])])),
        ])
    }

    /// The counts: stores, checks, and checks by result.
    private static func summary(stores: Int, checks: [Check]) -> JSONValue {
        var summary: [(String, JSONValue)] = [("stores", .integer(stores)), ("checks", .integer(checks.count))]
        for result in Check.Result.allCases { summary.append((result.rawValue, .integer(checks.filter { $0.result == result }.count))) }
        return .object(summary)
    }
}

extension Doctor.Check {
    var jsonObject: JSONValue {
        .object([("name", .string(name)), ("result", .string(result.rawValue)), ("detail", .string(detail)), ("fix", .optional(fix))])
    }
}
