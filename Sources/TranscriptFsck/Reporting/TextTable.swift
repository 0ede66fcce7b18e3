/// Lays out rows in aligned columns; numeric columns are right-aligned.
struct TextTable {
    let headers: [String]
    let rightAligned: Set<Int>
    var rows: [[String]] = []
    /// A colour for each row's first cell, when printing to a terminal.
    var colors: [TerminalColor?] = []

    public func rendered(colored: Bool = false) -> String {
        let all = [headers] + rows.map { $0.map(\.escapingControlCharacters) }
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.enumerated().map { index, row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let text = rightAligned.contains(column) ? padding + cell : column == row.count - 1 ? cell : cell + padding
                guard colored, column == 0, index > 0, index - 1 < colors.count, let color = colors[index - 1] else { return text }
                return color.wrap(text)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// ANSI colours for the status column; used only on a terminal and never with NO_COLOR set.
public enum TerminalColor: String, Sendable {
    case red = "31", green = "32", yellow = "33"

    func wrap(_ text: String) -> String { "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" }

    /// True when output to `descriptor` should be coloured: it is a terminal and NO_COLOR (no-color.org) is unset.
    public static func isWanted(on descriptor: Int32) -> Bool {
        FileDescriptor(rawValue: descriptor).isTerminal && POSIX.environment("NO_COLOR") == nil
    }
}
