/// The parts of one transcript line that the tool looks at, as places in the line's text.
struct MessageLine {
    /// A message, or the `session_meta` record (which is not one).
    enum Kind { case message, sessionMeta }

    var kind: Kind = .message
    var role: JSONSpan?
    var content: JSONSpan?
    var toolCallID: JSONSpan?
    var toolName: JSONSpan?
    var toolCalls: JSONSpan?
    var timestamp: JSONSpan?

    /// Parses a whole line: one JSON object with a `role` string, nothing after it.
    ///
    /// `member` sees every member of the object (key and value), for readers that keep them all.
    static func parse(
        _ scanner: inout JSONScanner,
        member: (JSONSpan, JSONSpan, inout JSONScanner) -> Void = { _, _, _ in }
    ) throws(JSONSyntaxError) -> MessageLine {
        var line = MessageLine()
        scanner.skipWhitespace()
        guard !scanner.isAtEnd, scanner.base[scanner.position] == UInt8(ascii: "{") else {
            var sink = DiscardingSink()
            let value = try scanner.scanValue(into: &sink)
            throw scanner.fail("valid JSON but not a message: \(value.kind.article), not an object", at: value.start)
        }
        scanner.position += 1
        scanner.skipWhitespace()
        if !scanner.isAtEnd, scanner.base[scanner.position] == UInt8(ascii: "}") {
            scanner.position += 1
        } else {
            var sink = DiscardingSink()
            while true {
                scanner.skipWhitespace()
                guard !scanner.isAtEnd, scanner.base[scanner.position] == UInt8(ascii: "\"") else {
                    throw scanner.fail("expected a member name in quotes")
                }
                let key = try scanner.scanString()
                try scanner.expect(UInt8(ascii: ":"), "':' after a member name")
                let value = try scanner.scanValue(into: &sink)
                line.assign(key: key, value: value, scanner: scanner)
                member(key, value, &scanner)
                scanner.skipWhitespace()
                guard !scanner.isAtEnd else { throw scanner.fail("line ends inside the object") }
                let byte = scanner.base[scanner.position]
                scanner.position += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else { throw scanner.fail("expected ',' or '}' in an object", at: scanner.position - 1) }
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw scanner.fail("unexpected text after the JSON object") }
        guard let role = line.role, role.kind == .string else {
            throw JSONSyntaxError(offset: 0, reason: "valid JSON but not a message: no \"role\" string")
        }
        // Compared decoded: the agent sees `"session\u005fmeta"` as session_meta too.
        var decodedRole: [UInt8] = []
        if role.hasEscapes { JSONScanner.decodeString(scanner.bytes(of: role), into: &decodedRole) }
        let isSessionMeta = role.hasEscapes
            ? decodedRole == DatabaseReader.sessionMetaRole
            : scanner.bytes(of: role).elementsEqual(DatabaseReader.sessionMetaRole)
        if isSessionMeta { line.kind = .sessionMeta }
        return line
    }

    /// Keeps the value when the key is one the tool looks at; for a repeated key the last one wins, as in Python.
    private mutating func assign(key: JSONSpan, value: JSONSpan, scanner: JSONScanner) {
        guard key.hasEscapes else { return assign(name: scanner.bytes(of: key), value: value) }
        var decoded: [UInt8] = []
        JSONScanner.decodeString(scanner.bytes(of: key), into: &decoded)
        decoded.withUnsafeBytes { assign(name: $0, value: value) }
    }

    private mutating func assign(name: UnsafeRawBufferPointer, value: JSONSpan) {
        func equals(_ key: StaticString) -> Bool {
            name.count == key.utf8CodeUnitCount && memcmp(name.baseAddress!, key.utf8Start, name.count) == 0
        }
        switch name.count {
        case 4 where equals("role"): role = value
        case 7 where equals("content"): content = value
        case 9 where equals("tool_name"): toolName = value
        case 9 where equals("timestamp"): timestamp = value
        case 10 where equals("tool_calls"): toolCalls = value
        case 12 where equals("tool_call_id"): toolCallID = value
        default: break
        }
    }

    /// The fingerprint of this message.
    func fingerprint(using fingerprinter: inout MessageFingerprinter, in scanner: JSONScanner) -> MessageFingerprint {
        fingerprinter.begin()
        fingerprinter.addJSON(.role, role, in: scanner)
        fingerprinter.addJSON(.content, content, in: scanner)
        fingerprinter.addJSON(.toolCallID, toolCallID, in: scanner)
        fingerprinter.addJSON(.toolName, toolName, in: scanner)
        fingerprinter.addJSON(.toolCalls, toolCalls, in: scanner)
        return fingerprinter.finish()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
