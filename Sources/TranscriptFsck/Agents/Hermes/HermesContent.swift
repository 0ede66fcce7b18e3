/// How the agent stores a message's `content` in SQLite, so that both stores' forms of one message compare equal.
///
/// From the released agent's code (hermes-agent 0.13.0 to 0.19.0):
/// - `SessionDB._encode_content` keeps strings and numbers, and stores a list or object as
///   `"\u{0}json:" + json.dumps(value)`; `_decode_content` reverses it.
/// - The 0.13/0.14 flush (`run_agent._flush_messages_to_session_db`) stores list content as its text parts
///   joined by newlines, `[screenshot]` for each image part, NULL when none is left; a multimodal tool
///   result (`{"_multimodal": true, "content": [...]}`) as its text summary.
/// - Numbers and booleans go through Python's sqlite3 into a TEXT-affinity column: `true` is stored as "1",
///   `1e+20` as "1.0e+20", NaN as NULL.
///
/// The comparison therefore takes a list by its flattened text, whichever way it was stored: two lists that
/// differ only in their image parts compare equal, which is what the flush itself cannot tell apart.
enum HermesContent {
    /// The prefix `SessionDB` puts before JSON-encoded content.
    static let jsonPrefix: [UInt8] = [0, 0x6A, 0x73, 0x6F, 0x6E, 0x3A]  // "\0json:"

    /// What a content value compares as.
    enum Comparable: Equatable {
        case absent
        case text([UInt8])
        /// An object that is not a multimodal envelope, by its canonical JSON.
        case object(ParsedJSON)
    }

    /// Content stored as text in the database: the JSON-encoded form is decoded, anything else is the text.
    static func comparable(storedText text: UnsafeRawBufferPointer) -> Comparable? {
        guard text.count >= jsonPrefix.count, text.prefix(jsonPrefix.count).elementsEqual(jsonPrefix) else { return nil }
        // The agent reads undecodable JSON back as the raw string; so does the comparison.
        guard let node = ParsedJSON.parse(UnsafeRawBufferPointer(rebasing: text[jsonPrefix.count...])) else { return nil }
        return comparable(node)
    }

    /// Content as a transcript line holds it (a JSON value).
    static func comparable(_ node: ParsedJSON) -> Comparable {
        switch node {
        case .null: return .absent
        case .string(let text): return .text(text)
        case .bool(let value): return .text(Array((value ? "1" : "0").utf8))
        case .number(let literal): return storedNumber(literal).map { .text(Array($0.utf8)) } ?? .absent
        case .array(let parts): return flattened(parts).map { .text($0) } ?? .absent
        case .object:
            if let summary = multimodalSummary(node) { return .text(summary) }
            return .object(node)
        }
    }

    /// The text SQLite holds for a JSON number the agent stored: Python's int stays an integer, anything with a
    /// fraction or exponent becomes a float; nil for NaN, which is stored as NULL.
    static func storedNumber(_ literal: [UInt8]) -> String? {
        let text = String(decoding: literal, as: UTF8.self)
        let isInteger = !literal.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
            && literal.last.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } == true
        if isInteger, let integer = Int64(text) { return String(integer) }
        if isInteger { return text }  // beyond 64 bits Python's sqlite3 refuses the row; keep the digits
        guard let real = Double(text) else { return text }
        return SQLiteText.real(real)
    }

    /// The flush's text for list content: text parts and `[screenshot]` for images, joined by newlines.
    static func flattened(_ parts: [ParsedJSON]) -> [UInt8]? {
        var pieces: [[UInt8]] = []
        for part in parts {
            guard case .string(let type)? = part["type"] else { continue }
            if type == Array("text".utf8) {
                pieces.append(pythonString(part["text"]))
            } else if ["image", "image_url", "input_image"].contains(where: { Array($0.utf8) == type }) {
                pieces.append(Array("[screenshot]".utf8))
            }
        }
        guard !pieces.isEmpty else { return nil }
        return Array(pieces.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// A multimodal tool result's text: its `text_summary`, else its text parts, else a fixed marker.
    private static func multimodalSummary(_ node: ParsedJSON) -> [UInt8]? {
        guard case .bool(true)? = node["_multimodal"], case .array(let parts)? = node["content"] else { return nil }
        if let summary = node["text_summary"], summary.isTruthy { return pythonString(summary) }
        let texts = parts.compactMap { part -> [UInt8]? in
            guard case .string(let type)? = part["type"], type == Array("text".utf8) else { return nil }
            return pythonString(part["text"])
        }
        if !texts.isEmpty { return Array(texts.joined(separator: [UInt8(ascii: "\n")])) }
        return Array("[multimodal tool result]".utf8)
    }

    /// `str(value)` for the values a text part holds in practice; a missing text is "".
    private static func pythonString(_ node: ParsedJSON?) -> [UInt8] {
        switch node {
        case .string(let text)?: text
        case .number(let literal)?: literal
        case .bool(let value)?: Array((value ? "True" : "False").utf8)
        case .null?: Array("None".utf8)
        default: []
        }
    }
}

extension ParsedJSON {
    /// Python's truth value of the decoded value.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .number(let literal): Double(String(decoding: literal, as: UTF8.self)).map { $0 != 0 } ?? true
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
