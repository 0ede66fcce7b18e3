/// What codex's own JSON parser refuses in a line the transcript machinery's scanner takes: codex reads each rollout
/// line with `serde_json::from_str::<Value>` and skips a line that fails, while `JSONScanner` reads Python's dialect
/// (the Hermes agent's). serde_json has no `NaN` or `Infinity`, stops at 128 levels of nesting (`remaining_depth`),
/// refuses a `\u` escape of half a surrogate pair in a string it keeps (a `Value` keeps them all), and a number
/// past a double's range.
enum CodexJSONDialect {
    /// Why serde_json refuses a line.
    enum Refusal: Sendable, Equatable {
        /// `NaN`, `Infinity` or `-Infinity`.
        case nonFiniteNumber
        /// An array or object opened at this many levels, serde_json's limit.
        case nestedTooDeep(limit: Int)
        /// A `\uD800`-`\uDFFF` escape that is not half of a pair.
        case loneSurrogate
        /// A number past a double's range (`1e400`), which Python reads as infinity.
        case numberOutOfRange
    }

    /// serde_json's `remaining_depth` starts at 128 and fails when an array or object takes it to 0.
    static let depthLimit = 128

    /// The first refusal in `bytes`, a line `JSONScanner` read whole, and its 0-based offset; nil when serde_json
    /// reads the line too. One pass over the bytes: the scanner has checked the syntax, so a string's quotes and
    /// escapes are where they seem.
    static func firstRefusal(in bytes: UnsafeRawBufferPointer) -> (offset: Int, refusal: Refusal)? {
        var depth = 0
        var index = 0
        let count = bytes.count
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth >= depthLimit { return (index, .nestedTooDeep(limit: depthLimit)) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: "N"), UInt8(ascii: "I"):
                // Outside strings, only the literals NaN and Infinity start so (-Infinity at its I).
                return (index > 0 && bytes[index - 1] == UInt8(ascii: "-") ? index - 1 : index, .nonFiniteNumber)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                var hasExponent = false
                while index + 1 < count, isNumberByte(bytes[index + 1]) {
                    index += 1
                    hasExponent = hasExponent || bytes[index] | 0x20 == UInt8(ascii: "e")
                }
                // Only an exponent, or more digits than a double's range has, can reach past it.
                if hasExponent || index - start > 300, bytes[index] != UInt8(ascii: "-"),
                   let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start...index]), as: UTF8.self)),
                   value.isInfinite {
                    return (start, .numberOutOfRange)
                }
            case UInt8(ascii: "\""):
                index += 1
                while index < count, bytes[index] != UInt8(ascii: "\"") {
                    guard bytes[index] == UInt8(ascii: "\\") else {
                        index += 1
                        continue
                    }
                    if index + 1 < count, bytes[index + 1] == UInt8(ascii: "u"), let unit = codeUnit(in: bytes, at: index + 2), (0xD800...0xDFFF).contains(unit) {
                        let low = index + 7 < count && bytes[index + 6] == UInt8(ascii: "\\") && bytes[index + 7] == UInt8(ascii: "u")
                            ? codeUnit(in: bytes, at: index + 8) : nil
                        guard unit < 0xDC00, let low, (0xDC00...0xDFFF).contains(low) else { return (index, .loneSurrogate) }
                        index += 12
                    } else {
                        index += 2
                    }
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"),
             UInt8(ascii: "-"): true
        default: false
        }
    }

    /// The four hex digits at `offset`, as a UTF-16 code unit.
    private static func codeUnit(in bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16? {
        guard offset + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = JSONScanner.hexValue(byte) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }
}
