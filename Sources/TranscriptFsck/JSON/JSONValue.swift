/// A JSON document to print: members keep the order they are given in, so reports read the same every run.
/// Not `ParsedJSON`, the tree the tool reads: this one is built from Swift values, and from JSON text already valid.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text already known to be one valid value, written as it is.
    case raw(String)

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// `nil` as JSON null.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// The JSON text; `indent` > 0 puts each member on its own line.
    public func rendered(indent: Int = 0) -> String {
        var output = ""
        write(to: &output, indent: indent, depth: 0)
        return output
    }

    private func write(to output: inout String, indent: Int, depth: Int) {
        let newline = indent > 0 ? "\n" + String(repeating: " ", count: indent * (depth + 1)) : ""
        let closing = indent > 0 ? "\n" + String(repeating: " ", count: indent * depth) : ""
        let separator = indent > 0 ? ": " : ":"
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += value.isFinite ? String(value) : "null"
        case .string(let value): Self.writeString(value, to: &output)
        case .raw(let text): output += text
        case .array(let values):
            if values.isEmpty { output += "[]"; return }
            output += "["
            for (index, value) in values.enumerated() {
                output += (index > 0 ? "," : "") + newline
                value.write(to: &output, indent: indent, depth: depth + 1)
            }
            output += closing + "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                output += (index > 0 ? "," : "") + newline
                Self.writeString(key, to: &output)
                output += separator
                value.write(to: &output, indent: indent, depth: depth + 1)
            }
            output += closing + "}"
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += quoted(value)
    }
}
