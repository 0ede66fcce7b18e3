/// The parts of one transcript line that the tool looks at, as places in the line's text.
struct MessageLine {
    /// A message, or the `session_meta` record (which is not one).
    enum Kind { case message, sessionMeta }

    var kind: Kind = .message
    /// Where each compared field's value is, when the line has it.
    var fields = MessageFingerprinter.PerField<JSONSpan?>(repeating: nil)
    var timestamp: JSONSpan?

    var role: JSONSpan? { fields[MessageFingerprinter.Field.role.index] }

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
        try scanner.scanMembers { name, value, scanner in
            line.assign(key: name, value: value, scanner: scanner)
            member(name, value, &scanner)
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
            ? decodedRole == Hermes.bookkeepingRoleBytes
            : scanner.bytes(of: role).elementsEqual(Hermes.bookkeepingRoleBytes)
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
            name.count == key.utf8CodeUnitCount && Memory.equal(name.baseAddress!, key.utf8Start, count: name.count)
        }
        if equals("timestamp") { timestamp = value; return }
        for field in MessageFingerprinter.Field.all where equals(field.name) {
            fields[field.index] = value
            return
        }
    }

    /// The fingerprint of this message.
    func fingerprint(using fingerprinter: inout MessageFingerprinter, in scanner: JSONScanner) -> MessageFingerprint {
        fingerprinter.begin()
        for field in MessageFingerprinter.Field.all { fingerprinter.addJSON(field, fields[field.index], in: scanner) }
        return fingerprinter.finish()
    }
}
