import CScan

// The two ways this library writes a string as a JSON string literal, in one file so that they are read together.
// They differ on purpose, and in five characters alone: backspace, tab, newline, form feed and carriage return, which
// `JSONValue.quoted` writes `\b \t \n \f \r` and the canonical form `\u0008 \u0009 \u000a \u000c \u000d`
// (JSONStringEscapingTests pins the whole difference).
// - `JSONValue.quoted`, from a `String`, writes what Python's `json.dumps` writes: the text of reports and of the state
//   file, which must read the same byte for byte from one version to the next, and the fixtures' rows as the agent
//   would store them (with `asciiOnly`, `ensure_ascii=True`).
// - `CanonicalJSONSink`, from bytes, writes one spelling per value, every control byte as `\u00xx` and every other byte
//   as it is, so that two texts that decode alike give the same bytes to the fingerprint; its runs are found by the
//   scan's C loop. A repair writes a text value of a JSON column this way (`HermesMessageValues.encoded`): `json.loads`
//   reads it back as the same string, and repaired databases must stay byte-identical too, so neither form can take
//   the other's spelling.

/// Writes a value's canonical form: no white space, strings decoded and re-escaped one way.
///
/// Two texts that a JSON parser reads as the same value give the same bytes here, whatever
/// escapes (`\u00e9` or raw UTF-8) or spacing their writers used; member order is kept.
struct CanonicalJSONSink: JSONTokenSink {
    var output: [UInt8]
    /// Where an escaped string is decoded, kept between strings.
    private var decoded: [UInt8] = []

    init(output: [UInt8]) { self.output = output }

    mutating func structural(_ byte: UInt8) { output.append(byte) }

    mutating func literal(_ bytes: UnsafeRawBufferPointer) { output.append(contentsOf: bytes) }

    mutating func string(_ raw: UnsafeRawBufferPointer, hasEscapes: Bool) {
        output.append(UInt8(ascii: "\""))
        if hasEscapes {
            decoded.removeAll(keepingCapacity: true)
            JSONScanner.decodeString(raw, into: &decoded)
            decoded.withUnsafeBytes { Self.appendEscaped($0, to: &output) }
        } else {
            // A string the scanner read with no escape holds no quote, backslash or control byte: it is canonical.
            output.append(contentsOf: raw)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `text` (decoded) as a JSON string, quotes included.
    static func appendQuoted(_ text: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        text.withUnsafeBytes { appendEscaped($0, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ text: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var index = 0
        while index < text.count {
            // The run up to the next quote, backslash or control byte, found by the string scan's C loop.
            var invalid: Int32 = 0
            let stop = index + cscan_string_body(base + index, text.count - index, 0, &invalid)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[index..<stop]))
            guard stop < text.count else { return }
            let byte = base[stop]
            if byte < 0x20 {
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                           hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            } else {
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            }
            index = stop + 1
        }
    }
}

extension JSONValue {
    /// A JSON string literal for `text`, escaped as Python's `json.dumps` escapes it; with `asciiOnly`,
    /// every non-ASCII character becomes a `\u` escape (surrogate pairs past U+FFFF), as `ensure_ascii=True` does.
    package static func quoted(_ text: String, asciiOnly: Bool = false) -> String {
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
