import CScan

/// A JSON syntax error at a byte offset of the text being scanned.
struct JSONSyntaxError: Error, Equatable {
    let offset: Int
    let reason: String
}

/// The type of a scanned JSON value.
enum JSONKind: UInt8, Sendable {
    case string, number, object, array, bool, null

    var article: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .object: "an object"
        case .array: "an array"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Where a value lies in the scanned text. For strings, `start..<end` is the text between the quotes.
struct JSONSpan: Equatable {
    var kind: JSONKind
    var start: Int
    var end: Int
    /// Strings only: the raw text holds backslash escapes and must be decoded before use.
    var hasEscapes: Bool
}

/// Receives the tokens of a value as the scanner validates it.
protocol JSONTokenSink {
    mutating func structural(_ byte: UInt8)
    mutating func literal(_ bytes: UnsafeRawBufferPointer)
    mutating func string(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool)
}

/// Validates without keeping anything; the compiler removes its calls.
struct DiscardingSink: JSONTokenSink {
    @inline(__always) mutating func structural(_ byte: UInt8) {}
    @inline(__always) mutating func literal(_ bytes: UnsafeRawBufferPointer) {}
    @inline(__always) mutating func string(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) {}
}

/// A validating JSON tokenizer over bytes already in memory: strict RFC 8259 plus the
/// `NaN` and `Infinity` literals that Python's `json.dumps` writes. It checks UTF-8 only when asked
/// (`validatingUTF8`), in the strings it reads, where alone a text it reads whole can hold bytes of 0x80 and above;
/// other callers that take untrusted text check it first with `UTF8Validation`.
///
/// Nesting is tracked in a bit stack, not by recursion, so any depth is safe.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0
    /// Strings are checked for UTF-8 as they are read.
    private let validatesUTF8: Bool

    init(_ bytes: UnsafeRawBufferPointer, validatingUTF8: Bool = false) {
        // An empty buffer may have no address; point at a static byte so reads stay defined.
        base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? JSONScanner.emptyText
        count = bytes.count
        validatesUTF8 = validatingUTF8
    }

    nonisolated(unsafe) private static let emptyText: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    var isAtEnd: Bool { position >= count }

    func bytes(of span: JSONSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + span.start, count: span.end - span.start)
    }

    func fail(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, reason: reason)
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < count {
            switch base[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < count, base[position] == byte else {
            throw fail(position < count ? "expected \(what)" : "text ends where \(what) was expected")
        }
        position += 1
    }

    /// How deep arrays and objects may nest. Python's `json.loads` (the agent's reader) recurses once a level and stops
    /// at its recursion limit, 1,000 frames; the trees built from a value (`ParsedJSON`) are freed recursively, so a
    /// value nested deeper than the stack allows would crash the scan instead of naming the line.
    static let maximumDepth = 1_000

    /// Scans one value of any kind, handing its tokens to `sink`.
    mutating func scanValue<Sink: JSONTokenSink>(into sink: inout Sink) throws(JSONSyntaxError) -> JSONSpan {
        skipWhitespace()
        guard position < count else { throw fail("text ends where a value was expected") }
        let first = base[position]
        if first != UInt8(ascii: "{"), first != UInt8(ascii: "[") {
            return try scanScalar(into: &sink)
        }
        let start = position
        var stack = ContainerStack()
        // Each turn: at the start of a value (`expectingValue`) or just after one.
        var expectingValue = true
        while true {
            if expectingValue {
                skipWhitespace()
                guard position < count else { throw fail("text ends inside a value") }
                let byte = base[position]
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    let isObject = byte == UInt8(ascii: "{")
                    sink.structural(byte)
                    position += 1
                    skipWhitespace()
                    let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if position < count, base[position] == close {
                        sink.structural(close)
                        position += 1
                        expectingValue = false
                    } else {
                        guard stack.depth < Self.maximumDepth else {
                            throw fail("nested deeper than \(Self.maximumDepth) levels, which the agent's own json.loads cannot read either")
                        }
                        stack.push(isObject: isObject)
                        if isObject { try scanMemberName(into: &sink) }
                    }
                } else {
                    _ = try scanScalar(into: &sink)
                    expectingValue = false
                }
                continue
            }
            guard let isObject = stack.top else { break }
            skipWhitespace()
            guard position < count else { throw fail("text ends inside \(isObject ? "an object" : "an array")") }
            let byte = base[position]
            if byte == UInt8(ascii: ",") {
                sink.structural(byte)
                position += 1
                if isObject { try scanMemberName(into: &sink) }
                expectingValue = true
            } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                sink.structural(byte)
                position += 1
                stack.pop()
            } else {
                throw fail(isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
            }
        }
        return JSONSpan(kind: base[start] == UInt8(ascii: "{") ? .object : .array, start: start, end: position, hasEscapes: false)
    }

    /// Scans `"name":` inside an object.
    private mutating func scanMemberName<Sink: JSONTokenSink>(into sink: inout Sink) throws(JSONSyntaxError) {
        let name = try scanMemberName()
        sink.string(bytes(of: name), hasEscapes: name.hasEscapes)
        sink.structural(UInt8(ascii: ":"))
    }

    private mutating func scanMemberName() throws(JSONSyntaxError) -> JSONSpan {
        skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
        let name = try scanString()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        return name
    }

    /// Scans the object that starts here, handing each member's name and value, as places in the text, to `visit`
    /// in order: for a reader that wants an object's members and not its tokens (a transcript line).
    mutating func scanMembers(_ visit: (_ name: JSONSpan, _ value: JSONSpan, inout JSONScanner) -> Void) throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "{"), "an object")
        skipWhitespace()
        if position < count, base[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        var sink = DiscardingSink()
        while true {
            let name = try scanMemberName()
            let value = try scanValue(into: &sink)
            visit(name, value, &self)
            skipWhitespace()
            guard position < count else { throw fail("line ends inside the object") }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw fail("expected ',' or '}' in an object", at: position - 1) }
        }
    }

    private mutating func scanScalar<Sink: JSONTokenSink>(into sink: inout Sink) throws(JSONSyntaxError) -> JSONSpan {
        let start = position
        let span: JSONSpan
        switch base[position] {
        case UInt8(ascii: "\""):
            span = try scanString()
            sink.string(bytes(of: span), hasEscapes: span.hasEscapes)
            return span
        case UInt8(ascii: "t"): span = try scanWord("true", kind: .bool)
        case UInt8(ascii: "f"): span = try scanWord("false", kind: .bool)
        case UInt8(ascii: "n"): span = try scanWord("null", kind: .null)
        case UInt8(ascii: "N"): span = try scanWord("NaN", kind: .number)
        case UInt8(ascii: "I"): span = try scanWord("Infinity", kind: .number)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): span = try scanNumber()
        default: throw fail("unexpected character \(Self.describe(base[position]))")
        }
        sink.literal(UnsafeRawBufferPointer(start: base + start, count: position - start))
        return span
    }

    private mutating func scanWord(_ word: StaticString, kind: JSONKind) throws(JSONSyntaxError) -> JSONSpan {
        let start = position
        let length = word.utf8CodeUnitCount
        guard count - position >= length, Memory.equal(base + position, word.utf8Start, count: length) else {
            throw fail("invalid literal (expected \(word))")
        }
        position += length
        return JSONSpan(kind: kind, start: start, end: position, hasEscapes: false)
    }

    private mutating func scanNumber() throws(JSONSyntaxError) -> JSONSpan {
        let start = position
        if base[position] == UInt8(ascii: "-") {
            position += 1
            if position < count, base[position] == UInt8(ascii: "I") {
                _ = try scanWord("Infinity", kind: .number)
                return JSONSpan(kind: .number, start: start, end: position, hasEscapes: false)
            }
        }
        guard position < count, isDigit(base[position]) else { throw fail("invalid number") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < count, base[position] == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(base[position]) else { throw fail("invalid number: no digit after '.'") }
            skipDigits()
        }
        if position < count, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard position < count, isDigit(base[position]) else { throw fail("invalid number: no digit in the exponent") }
            skipDigits()
        }
        return JSONSpan(kind: .number, start: start, end: position, hasEscapes: false)
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always) private mutating func skipDigits() {
        while position < count, isDigit(base[position]) { position += 1 }
    }

    /// Scans a string starting at its opening quote, checking escapes and UTF-8.
    mutating func scanString() throws(JSONSyntaxError) -> JSONSpan {
        position += 1
        let start = position
        // The whole string in one call to C (CScan): most of a transcript's bytes are string content.
        var end = 0
        var escaped: Int32 = 0
        if cscan_string(base + start, count - start, validatesUTF8 ? 1 : 0, &end, &escaped) != 0 {
            position = start + end + 1
            return JSONSpan(kind: .string, start: start, end: start + end, hasEscapes: escaped != 0)
        }
        return try scanMalformedString(from: start)
    }

    /// A string `cscan_string` found not well-formed, read again a stop at a time to say where and why.
    private mutating func scanMalformedString(from start: Int) throws(JSONSyntaxError) -> JSONSpan {
        var hasEscapes = false
        while true {
            var invalid: Int32 = 0
            position += cscan_string_body(base + position, count - position, validatesUTF8 ? 1 : 0, &invalid)
            if invalid != 0 { throw fail("invalid UTF-8") }
            guard position < count else { throw fail("text ends inside a string", at: start - 1) }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return JSONSpan(kind: .string, start: start, end: position - 1, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape()
            } else {
                throw fail("raw control character \(Self.describe(byte)) inside a string")
            }
        }
    }

    private mutating func scanEscape() throws(JSONSyntaxError) {
        let start = position
        position += 1
        guard position < count else { throw fail("text ends inside an escape", at: start) }
        switch base[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            guard count - position >= 4, (0..<4).allSatisfy({ Self.hexValue(base[position + $0]) != nil }) else {
                throw fail("invalid \\u escape", at: start)
            }
            position += 4
        default:
            throw fail("invalid escape '\\\(Self.describe(base[position]))'", at: start)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Decodes the raw text of a validated string (between its quotes) into UTF-8.
    /// A lone surrogate escape, which UTF-8 cannot hold, becomes U+FFFD as Python writes it to SQLite.
    static func decodeString<Output: DecodedStringOutput>(_ raw: UnsafeRawBufferPointer, into output: inout Output) {
        guard let base = raw.baseAddress else { return }
        output.reserve(raw.count)
        var index = 0
        let count = raw.count
        while index < count {
            // Copy the run up to the next backslash in one go.
            let escape = Memory.firstOffset(of: 0x5C, in: base + index, count: count - index).map { index + $0 } ?? count
            if escape > index { output.append(UnsafeRawBufferPointer(start: base + index, count: escape - index)) }
            index = escape
            guard index < count else { return }
            let kind = raw[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(byte: 0x08)
            case UInt8(ascii: "f"): output.append(byte: 0x0C)
            case UInt8(ascii: "n"): output.append(byte: 0x0A)
            case UInt8(ascii: "r"): output.append(byte: 0x0D)
            case UInt8(ascii: "t"): output.append(byte: 0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, at: index)
                index += 4
                if scalar & 0xFC00 == 0xD800, index + 6 <= count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") {
                    let low = hex4(raw, at: index + 2)
                    if low & 0xFC00 == 0xDC00 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &output)
            default: output.append(byte: kind)
            }
        }
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | UInt32(hexValue(raw[index + offset]) ?? 0) }
        return value
    }

    private static func appendUTF8<Output: DecodedStringOutput>(_ scalar: Unicode.Scalar, to output: inout Output) {
        for byte in UTF8.encode(scalar)! { output.append(byte: byte) }
    }
}

/// The open containers of a value being scanned, one bit each (1 = object), at any depth.
private struct ContainerStack {
    private var inline: UInt64 = 0
    private var spilled: [UInt64] = []
    private(set) var depth = 0

    var top: Bool? {
        guard depth > 0 else { return nil }
        return inline & 1 == 1
    }

    mutating func push(isObject: Bool) {
        if depth > 0, depth % 64 == 0 {
            spilled.append(inline)
            inline = 0
        }
        inline = inline << 1 | (isObject ? 1 : 0)
        depth += 1
    }

    mutating func pop() {
        depth -= 1
        inline >>= 1
        if depth > 0, depth % 64 == 0 {
            inline = spilled.removeLast()
        }
    }
}
