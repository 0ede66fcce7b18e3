/// A 64-bit hash of a message's identity: the fields that must agree between the two stores.
///
/// Timestamps are left out (the database's are flush times); everything else that the agent
/// writes from the transcript is in: role, content, tool_call_id, tool_name, tool_calls.
typealias MessageFingerprint = UInt64

/// Builds fingerprints from either store's representation of a message, so that the same
/// message gives the same fingerprint whether it was read from JSONL or from SQLite.
///
/// Normalisation, the same on both sides:
/// - text is compared decoded, never as escaped bytes;
/// - tool_calls compare by their canonical JSON, since the transcript holds an array and the
///   database its `json.dumps` text;
/// - content compares in the form the agent stores it (HermesContent): a list by its flattened text,
///   whether the database holds that text or the `"\0json:"` encoding, and numbers as SQLite's text;
/// - NULL, an absent key, JSON null and the empty string are one value for content and
///   tool_calls, and an empty tool_calls list is no tool calls, as the agent stores it.
struct MessageFingerprinter {
    /// The fields compared, in the order they enter the hash. A field is one column of `messages` and the transcript
    /// key of the same name; adding one here makes both readers take it (and `PerField`'s count grow by one).
    enum Field: UInt8, CaseIterable {
        case role = 1, content, toolCallID, toolName, toolCalls

        /// The column, and the transcript key.
        var name: StaticString {
            switch self {
            case .role: "role"
            case .content: "content"
            case .toolCallID: "tool_call_id"
            case .toolName: "tool_name"
            case .toolCalls: "tool_calls"
            }
        }

        var index: Int { Int(rawValue) - 1 }

        /// `allCases`, built once: the synthesized property makes a new array at every call, and the readers ask
        /// for every line.
        static let all = allCases

        /// Tool calls are JSON: an array in the transcript, `json.dumps` text in the database.
        var holdsJSON: Bool { self == .toolCalls }
    }

    /// One value per field, inline: a transcript line's places are taken for every line of every file.
    typealias PerField<Value> = InlineArray<5, Value>

    private var canonical = CanonicalJSONSink(output: [])
    private var decoded: [UInt8] = []

    init() {
        canonical.output.reserveCapacity(64 * 1024)
        decoded.reserveCapacity(64 * 1024)
    }

    private var hasher = Hasher64()

    mutating func begin() { hasher = Hasher64() }

    mutating func finish() -> MessageFingerprint { hasher.finish() }

    /// A field that is NULL or missing.
    mutating func addAbsent(_ field: Field) {
        hasher.combine(tag: field.rawValue, kind: 0, bytes: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// A field held as text (a database column, or a decoded JSON string).
    mutating func addText(_ field: Field, _ text: UnsafeRawBufferPointer) {
        if field == .content {
            if let stored = HermesContent.comparable(storedText: text) { return addContent(stored) }
            if text.isEmpty { return addAbsent(field) }
            return hasher.combine(tag: field.rawValue, kind: 1, bytes: text)
        }
        if field.holdsJSON {
            if text.isEmpty { return addAbsent(field) }
            if let first = text.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }),
               first == UInt8(ascii: "[") || first == UInt8(ascii: "{"),
               canonicalize(text) {
                return addCanonical(field)
            }
        }
        hasher.combine(tag: field.rawValue, kind: 1, bytes: text)
    }

    /// A field read from a transcript line, where `span` lies in `scanner`'s text.
    mutating func addJSON(_ field: Field, _ span: JSONSpan?, in scanner: JSONScanner) {
        guard let span, span.kind != .null else { return addAbsent(field) }
        if field == .content, span.kind != .string {
            return addContent(ParsedJSON.parse(scanner.bytes(of: span)).map(HermesContent.comparable) ?? .absent)
        }
        switch span.kind {
        case .string where span.hasEscapes && Self.isStreamed(field, scanner.bytes(of: span)):
            // Hashed as it is decoded, twice over the raw text (its length first): never held decoded.
            let raw = scanner.bytes(of: span)
            var length = DecodedLength()
            JSONScanner.decodeString(raw, into: &length)
            var streamed = hasher.field(tag: field.rawValue, kind: 1, count: length.count)
            JSONScanner.decodeString(raw, into: &streamed)
            hasher.combine(streamed)
        case .string where span.hasEscapes:
            // Decoded in place into scratch storage at least as long as the raw text (a decoded string is never longer),
            // taken out while it is hashed and put back: no appends, and no copy left behind to reallocate it.
            let raw = scanner.bytes(of: span)
            var scratch = [UInt8]()
            swap(&scratch, &decoded)
            if scratch.count < raw.count { scratch = [UInt8](repeating: 0, count: max(raw.count, 2 * scratch.count)) }
            scratch.withUnsafeMutableBufferPointer { storage in
                var text = DecodedInPlace(storage)
                JSONScanner.decodeString(raw, into: &text)
                addText(field, UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(storage)[..<text.count]))
            }
            swap(&scratch, &decoded)
        case .string, .number, .bool, .null:
            addText(field, scanner.bytes(of: span))
        case .object, .array:
            if canonicalize(scanner.bytes(of: span)) {
                addCanonical(field)
            } else {
                hasher.combine(tag: field.rawValue, kind: 1, bytes: scanner.bytes(of: span))
            }
        }
    }

    /// Escaped strings longer than this are hashed as they are decoded, so that a scan holds a huge message once (in its
    /// line), not twice. Not tool calls, which are parsed as JSON, nor content that is the agent's stored JSON (`\u0000json:`).
    static let streamedStringBytes = 1 << 20

    private static func isStreamed(_ field: Field, _ raw: UnsafeRawBufferPointer) -> Bool {
        raw.count > streamedStringBytes && !field.holdsJSON && !(field == .content && raw.starts(with: "\\u0000".utf8))
    }

    /// Content in the form both stores compare by (HermesContent).
    private mutating func addContent(_ content: HermesContent.Comparable) {
        switch content {
        case .absent:
            addAbsent(.content)
        case .text(let text):
            if text.isEmpty { return addAbsent(.content) }
            text.withUnsafeBytes { hasher.combine(tag: Field.content.rawValue, kind: 1, bytes: $0) }
        case .object(let node):
            var bytes: [UInt8] = []
            node.writeCanonical(to: &bytes)
            bytes.withUnsafeBytes { hasher.combine(tag: Field.content.rawValue, kind: 2, bytes: $0) }
        }
    }

    private mutating func addCanonical(_ field: Field) {
        if field == .toolCalls, canonical.output.count == 2, canonical.output[0] == UInt8(ascii: "[") {
            return addAbsent(field)
        }
        let output = canonical.output
        output.withUnsafeBytes { hasher.combine(tag: field.rawValue, kind: 2, bytes: $0) }
    }

    /// Writes the canonical form of `text` into `canonical.output`; false when it is not one whole JSON value.
    private mutating func canonicalize(_ text: UnsafeRawBufferPointer) -> Bool {
        canonical.output.removeAll(keepingCapacity: true)
        var scanner = JSONScanner(text)
        do {
            _ = try scanner.scanValue(into: &canonical)
            scanner.skipWhitespace()
            return scanner.isAtEnd
        } catch {
            return false
        }
    }
}

/// A fast 64-bit hash over a sequence of tagged fields (a multiply-fold mix, as in wyhash).
struct Hasher64 {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3

    private static let k1: UInt64 = 0xA076_1D64_78BD_642F
    private static let k2: UInt64 = 0xE703_7ED1_A0B4_28DB

    @inline(__always) private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Adds one field: its tag, its kind and its bytes, with the length so that fields cannot run together.
    mutating func combine(tag: UInt8, kind: UInt8, bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var h = Self.seed(state, tag: tag, kind: kind, count: count)
        if let base = bytes.baseAddress {
            let index = Self.absorbBlocks(base, count: count, into: &h)
            var tail: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: base + index, byteCount: count - index) }
            h = Self.mix(tail.0 ^ Self.k2, tail.1 ^ h)
        }
        state = Self.mix(h, Self.k2 ^ state)
    }

    /// A field whose bytes come in pieces (a long string decoded a run at a time), `count` of them in all: once they
    /// are in, `combine(field)` gives what `combine(tag:kind:bytes:)` gives for them in one buffer.
    func field(tag: UInt8, kind: UInt8, count: Int) -> Field { Field(h: Self.seed(state, tag: tag, kind: kind, count: count)) }

    mutating func combine(_ field: Field) {
        state = Self.mix(Self.mix(field.pending.0 ^ Self.k2, field.pending.1 ^ field.h), Self.k2 ^ state)
    }

    struct Field: DecodedStringOutput {
        fileprivate var h: UInt64
        fileprivate var pending: (UInt64, UInt64) = (0, 0)
        private var pendingCount = 0

        fileprivate init(h: UInt64) { self.h = h }

        mutating func reserve(_ count: Int) {}

        mutating func append(byte: UInt8) { withUnsafeBytes(of: byte) { append($0) } }

        mutating func append(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            var index = 0
            if pendingCount > 0 {
                index = min(16 - pendingCount, bytes.count)
                let at = pendingCount
                withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.advanced(by: at).copyMemory(from: base, byteCount: index) }
                pendingCount += index
                guard pendingCount == 16 else { return }
                h = Hasher64.mix(pending.0 ^ Hasher64.k1, pending.1 ^ h)
                pending = (0, 0)
                pendingCount = 0
            }
            index += Hasher64.absorbBlocks(base + index, count: bytes.count - index, into: &h)
            pendingCount = bytes.count - index
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: base + index, byteCount: bytes.count - index) }
        }
    }

    @inline(__always) private static func seed(_ state: UInt64, tag: UInt8, kind: UInt8, count: Int) -> UInt64 {
        mix(state ^ UInt64(tag) << 56 ^ UInt64(kind) << 48 ^ UInt64(count), k1)
    }

    /// Mixes every whole 16-byte block of `count` bytes into `h`; returns how many bytes that took.
    @inline(__always) private static func absorbBlocks(_ base: UnsafeRawPointer, count: Int, into h: inout UInt64) -> Int {
        var index = 0
        while count - index >= 16 {
            let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            h = mix(a ^ k1, b ^ h)
            index += 16
        }
        return index
    }

    func finish() -> UInt64 { Self.mix(state, Self.k1) }
}
