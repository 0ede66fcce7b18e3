/// Checks that bytes are well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
///
/// One tight pass per line, skipping ASCII eight bytes at a time, so that the JSON scanner can
/// treat every byte of 0x80 and above as ordinary string content. (A transcript line is checked by the scanner
/// itself as it reads its strings, `JSONScanner(validatingUTF8:)`: the separate pass is for the line it cannot read.)
enum UTF8Validation {
    /// The offset of the first byte that is not part of a well-formed sequence, with why; nil when all are.
    static func firstError(in bytes: UnsafeRawBufferPointer) -> (offset: Int, reason: String)? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            while count - index >= 8,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { return nil }
            if base[index] < 0x80 {
                index += 1
                continue
            }
            switch sequence(base, at: index, count: count) {
            case .valid(let length): index += length
            case .invalidLead(let lead): return (index, "invalid UTF-8 (byte \(JSONScanner.describe(lead)))")
            case .cutShort: return (index, "invalid UTF-8 (sequence cut short)")
            case .invalidSecond(let lead, let second):
                return (index, "invalid UTF-8 (byte \(JSONScanner.describe(second)) after \(JSONScanner.describe(lead)))")
            case .invalidContinuation(let byte): return (index, "invalid UTF-8 (byte \(JSONScanner.describe(byte)) in a sequence)")
            }
        }
        return nil
    }

    /// What the bytes from a lead byte of 0x80 or above are.
    enum Sequence {
        case valid(length: Int)
        case invalidLead(UInt8)
        case cutShort
        case invalidSecond(lead: UInt8, UInt8)
        case invalidContinuation(UInt8)
    }

    @inline(__always)
    static func sequence(_ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> Sequence {
        let lead = base[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return .invalidLead(lead)
        }
        guard count - index >= length else { return .cutShort }
        let second = base[index + 1]
        guard second >= low, second <= high else { return .invalidSecond(lead: lead, second) }
        if length > 2 {
            for offset in 2..<length where base[index + offset] & 0xC0 != 0x80 { return .invalidContinuation(base[index + offset]) }
        }
        return .valid(length: length)
    }
}
