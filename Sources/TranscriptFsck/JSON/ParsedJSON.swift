/// A parsed JSON value, for the few values the tool must look inside (list content, the state file).
/// Strings are kept decoded; numbers as their text.
/// Not `JSONValue`, the tree the tool writes: this one keeps what it read as bytes, so its canonical form is the file's.
indirect enum ParsedJSON: Equatable {
    case null
    case bool(Bool)
    case number([UInt8])
    case string([UInt8])
    case array([ParsedJSON])
    case object([(key: [UInt8], value: ParsedJSON)])

    static func == (lhs: ParsedJSON, rhs: ParsedJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)), (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// The member's value; for a repeated key the last one, as Python's json keeps it.
    subscript(key: String) -> ParsedJSON? {
        guard case .object(let members) = self else { return nil }
        let name = Array(key.utf8)
        return members.last { $0.key == name }?.value
    }

    /// Compact JSON with strings escaped minimally: one text for equal values however they were spaced or escaped.
    func writeCanonical(to output: inout [UInt8]) {
        switch self {
        case .null: output += Array("null".utf8)
        case .bool(let value): output += Array((value ? "true" : "false").utf8)
        case .number(let literal): output += literal
        case .string(let text): CanonicalJSONSink.appendQuoted(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSONSink.appendQuoted(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Parses one whole JSON value; nil when `text` is not exactly one.
    static func parse(_ text: UnsafeRawBufferPointer) -> ParsedJSON? {
        var scanner = JSONScanner(text)
        var builder = JSONTreeSink()
        do {
            _ = try scanner.scanValue(into: &builder)
            scanner.skipWhitespace()
            return scanner.isAtEnd ? builder.root : nil
        } catch {
            return nil
        }
    }
}

/// Builds a `ParsedJSON` from the scanner's tokens.
private struct JSONTreeSink: JSONTokenSink {
    private enum Open {
        case array([ParsedJSON])
        case object([(key: [UInt8], value: ParsedJSON)], pendingKey: [UInt8]?)
    }

    private var stack: [Open] = []
    private(set) var root: ParsedJSON?

    mutating func structural(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "["): stack.append(.array([]))
        case UInt8(ascii: "{"): stack.append(.object([], pendingKey: nil))
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            switch stack.removeLast() {
            case .array(let elements): add(.array(elements))
            case .object(let members, _): add(.object(members))
            }
        default: break
        }
    }

    mutating func literal(_ bytes: UnsafeRawBufferPointer) {
        switch bytes.first {
        case UInt8(ascii: "t"): add(.bool(true))
        case UInt8(ascii: "f"): add(.bool(false))
        case UInt8(ascii: "n"): add(.null)
        default: add(.number(Array(bytes)))
        }
    }

    mutating func string(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) {
        var text: [UInt8] = []
        if hasEscapes { JSONScanner.decodeString(raw, into: &text) } else { text = Array(raw) }
        if case .object(let members, nil)? = stack.last {
            stack[stack.count - 1] = .object(members, pendingKey: text)
        } else {
            add(.string(text))
        }
    }

    /// Appends to the innermost open array or object. It is taken off the stack first, so that its buffer has no
    /// second owner and grows in place: appended where it lay, every element copied the array (quadratic: a
    /// 20 MB array of numbers took over ten minutes).
    private mutating func add(_ node: ParsedJSON) {
        guard let open = stack.popLast() else { return root = node }
        switch consume open {
        case .array(var elements):
            elements.append(node)
            stack.append(.array(elements))
        case .object(var members, let key?):
            members.append((key, node))
            stack.append(.object(members, pendingKey: nil))
        case .object(let members, nil):
            stack.append(.object(members, pendingKey: nil))  // unreachable: the scanner gives a member name before each value
        }
    }
}

/// The scalar values of a node, for positional records (the `--since` state file).
extension ParsedJSON {
    var string: String? {
        guard case .string(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    var integer: Int? {
        guard case .number(let literal) = self else { return nil }
        return Int(String(decoding: literal, as: UTF8.self))
    }

    var double: Double? {
        guard case .number(let literal) = self else { return nil }
        return Double(String(decoding: literal, as: UTF8.self))
    }

    var strings: [String]? {
        guard case .array(let elements) = self else { return nil }
        let texts = elements.compactMap(\.string)
        return texts.count == elements.count ? texts : nil
    }
}
