/// A JSON document to print: members keep the order they are given in, so reports read the same every run.
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
    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

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

    /// A JSON string literal for `text`, escaped as Python's `json.dumps` escapes it; with `asciiOnly`,
    /// every non-ASCII character becomes a `\u` escape (surrogate pairs past U+FFFF), as `ensure_ascii=True` does.
    public static func quoted(_ text: String, asciiOnly: Bool = false) -> String {
        // Most text (ids, paths, counts' names) needs no escape: one pass over its bytes, then it is copied as it is.
        let limit: UInt8 = asciiOnly ? 0x7F : 0xFF
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 > limit }) {
            return "\"" + text + "\""
        }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7F):
                if scalar.value > 0xFFFF {
                    let value = scalar.value - 0x10000
                    output += hex4(0xD800 + (value >> 10)) + hex4(0xDC00 + (value & 0x3FF))
                } else {
                    output += hex4(scalar.value)
                }
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
