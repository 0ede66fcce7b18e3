/// Lays out rows in aligned columns; numeric columns are right-aligned.
struct TextTable {
    let headers: [String]
    let rightAligned: Set<Int>
    var rows: [[String]] = []

    func rendered() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                if column == row.count - 1 { return rightAligned.contains(column) ? padding + cell : cell }
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
