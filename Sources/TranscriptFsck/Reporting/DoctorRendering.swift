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
            lines.append("\(mark)  \(check.name + String(repeating: " ", count: width - check.name.count))  \(check.detail)")
            if let fix = check.fix { lines.append(String(repeating: " ", count: markWidth + 2 + width + 2) + "fix: \(fix)") }
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
