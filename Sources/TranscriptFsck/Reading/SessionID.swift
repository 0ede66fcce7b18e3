/// A session's id exactly as SQLite or the file system holds it, compared byte for byte.
///
/// Swift's `String` compares by canonical equivalence, so "café" spelt NFC and NFD would be one key where SQLite and
/// the file system keep two sessions; and text that is not UTF-8 (`a\xff`, `a\xfe`) would be repaired to U+FFFD on
/// reading, merging two ids with each other and with a real `a\u{FFFD}`. Bytes keep every one apart.
public struct SessionID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id's bytes as stored: UTF-8 nearly always, but SQLite keeps TEXT as it was given.
    let bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }
    init(bytes: some Sequence<UInt8>) { self.bytes = Array(bytes) }
    public init(stringLiteral text: String) { self.init(text) }

    /// The id as text, with U+FFFD for bytes that are not UTF-8 (see `isUTF8`).
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// The id for people: its text, with `\xNN` for each byte that is not UTF-8, so that no two ids look alike.
    public var description: String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var shown = ""
        var index = 0
        while index < bytes.count {
            let length = Self.sequenceLength(lead: bytes[index])
            if length > 0, index + length <= bytes.count,
               let scalar = String(validating: bytes[index..<index + length], as: UTF8.self) {
                shown += scalar
                index += length
            } else {
                shown += "\\x" + (bytes[index] < 0x10 ? "0" : "") + String(bytes[index], radix: 16)
                index += 1
            }
        }
        return shown
    }

    /// The id's bytes in hexadecimal, for machine output of an id that is not UTF-8.
    var hexadecimal: String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The id written as `hexadecimal`; nil for text that is not such digits.
    init?(hexadecimal: String) {
        let digits = Array(hexadecimal.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for pair in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[pair...pair + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    public static func < (left: SessionID, right: SessionID) -> Bool {
        left.bytes.lexicographicallyPrecedes(right.bytes)
    }

    /// How many bytes a UTF-8 sequence starting with `lead` has; 0 for a byte that cannot start one.
    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }
}

extension SessionID {
    /// The id bound as the bytes it was read as.
    var sqlValue: SQLiteStatement.Value { .textBytes(bytes) }
}

extension SQLiteStatement {
    /// The column's text as a session id, byte for byte; nil for NULL.
    func sessionID(_ column: Int32) -> SessionID? {
        withTextBytes(column) { $0.map(SessionID.init(bytes:)) }
    }
}
