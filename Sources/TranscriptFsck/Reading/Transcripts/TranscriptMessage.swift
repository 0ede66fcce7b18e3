/// One transcript message in full, as a backfill writes it: every key with its value.
struct TranscriptMessage: Sendable, Equatable {
    /// A member's value, typed the way Python's sqlite3 module would bind it.
    enum Value: Sendable, Equatable {
        case null
        case text(String)
        case integer(Int64)
        case real(Double)
        /// An array or object, kept as the JSON text it was.
        case json(String)
    }

    /// Members in the order the line had them; a repeated key keeps its last value.
    var members: [(name: String, value: Value)]
    /// The transcript's timestamp as epoch seconds; nil when absent or unreadable.
    var timestamp: Double?
    /// The 1-based line the message came from.
    var line: Int

    static func == (lhs: TranscriptMessage, rhs: TranscriptMessage) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.line == rhs.line
            && lhs.members.map(\.name) == rhs.members.map(\.name) && lhs.members.map(\.value) == rhs.members.map(\.value)
    }

    func value(_ name: String) -> Value? { members.last { $0.name == name }?.value }

    /// How many tool calls the message carries (what the agent adds to `tool_call_count`).
    var toolCallCount: Int {
        guard case .json(let text)? = value("tool_calls") else { return 0 }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            var scanner = JSONScanner(UnsafeRawBufferPointer(buffer))
            var counter = TopLevelElementCounter()
            _ = try? scanner.scanValue(into: &counter)
            return counter.elements
        }
    }

    /// Builds a member value from a scanned span.
    static func value(of span: JSONSpan, in scanner: JSONScanner) -> Value {
        let bytes = scanner.bytes(of: span)
        switch span.kind {
        case .null: return .null
        case .string:
            guard span.hasEscapes else { return .text(String(decoding: bytes, as: UTF8.self)) }
            // Decoded straight into the string's storage: a huge message is held once, not twice.
            return .text(String(unsafeUninitializedCapacity: bytes.count) { storage in
                var output = DecodedInPlace(storage)
                JSONScanner.decodeString(bytes, into: &output)
                return output.count
            })
        case .bool: return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case .number:
            let text = String(decoding: bytes, as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            // Python's sqlite3 binds NaN as NULL and infinities as REAL, as it does every float.
            if let real = Double(text) { return real.isNaN ? .null : .real(real) }
            return .json(text)
        case .object, .array: return .json(String(decoding: bytes, as: UTF8.self))
        }
    }
}

/// Counts the elements of a top-level array by its commas and brackets.
private struct TopLevelElementCounter: JSONTokenSink {
    var depth = 0
    var elements = 0
    var sawValue = false

    mutating func structural(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            if depth == 1 { sawValue = true }
            depth += 1
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            depth -= 1
            if depth == 0, sawValue { elements += 1 }
        case UInt8(ascii: ","):
            if depth == 1 { elements += 1 }
        default: break
        }
    }

    mutating func literal(_ bytes: UnsafeRawBufferPointer) { if depth == 1 { sawValue = true } }
    mutating func string(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) { if depth == 1 { sawValue = true } }
}
