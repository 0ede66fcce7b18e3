/// Turns a transcript timestamp into epoch seconds, the database's unit.
///
/// Accepts what the agent writes (ISO 8601 local time without a zone, `2026-03-26T13:43:01.512345`),
/// the same with `Z` or a `±HH:MM` offset, and epoch seconds as a number.
enum TimestampParser {
    static func epochSeconds(_ span: JSONSpan?, in scanner: JSONScanner) -> Double? {
        guard let span else { return nil }
        return epochSeconds(RawTimestamp(span, in: scanner))
    }

    /// A timestamp's value as the line held it, kept after the line is gone.
    struct RawTimestamp: Sendable {
        var kind: JSONKind = .null
        var hasEscapes = false
        var bytes: [UInt8] = []

        init() {}

        init(_ span: JSONSpan, in scanner: JSONScanner) {
            set(span, in: scanner)
        }

        /// Takes this span's value, in the storage already held.
        mutating func set(_ span: JSONSpan?, in scanner: JSONScanner) {
            bytes.removeAll(keepingCapacity: true)
            guard let span else { kind = .null; return }
            kind = span.kind
            hasEscapes = span.hasEscapes
            bytes.append(contentsOf: scanner.bytes(of: span))
        }
    }

    static func epochSeconds(_ raw: RawTimestamp) -> Double? {
        switch raw.kind {
        case .number:
            return Double(String(decoding: raw.bytes, as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
        case .string where !raw.hasEscapes:
            return epochSeconds(iso8601: raw.bytes)
        default:
            return nil
        }
    }

    static func epochSeconds(iso8601 text: [UInt8]) -> Double? {
        var index = 0
        func number(_ digits: Int) -> Int32? {
            guard index + digits <= text.count else { return nil }
            var value: Int32 = 0
            for _ in 0..<digits {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int32(digit)
                index += 1
            }
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")), let day = number(2),
              index < text.count, text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let hour = number(2), skip(UInt8(ascii: ":")), let minute = number(2), skip(UInt8(ascii: ":")), let second = number(2) else {
            return nil
        }
        var fraction = 0.0
        if skip(UInt8(ascii: ".")) {
            var scale = 0.1
            let start = index
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
                fraction += Double(text[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        let written = CalendarTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        if index == text.count {
            return written.secondsSinceEpochInLocalZone.map { Double($0) + fraction }
        }
        var offset = 0
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
            offset = 0
        } else if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            let sign = text[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = skip(UInt8(ascii: ":"))
            guard let minutes = number(2) else { return nil }
            offset = sign * (Int(hours) * 3600 + Int(minutes) * 60)
        } else {
            return nil
        }
        guard index == text.count else { return nil }
        return Double(written.secondsSinceEpochInUTC - offset) + fraction
    }
}
