import StoreFixtures
import Testing
@testable import TranscriptFsck

/// A message must fingerprint the same from a transcript line and from the row the agent wrote for it.
@Suite(.tags(.unit)) struct FingerprintTests {
    func lineFingerprint(_ line: String) throws -> MessageFingerprint {
        let scan = try Transcripts.scan(text: line + "\n")
        #expect(scan.error == nil)
        return try #require(scan.fingerprints.first)
    }

    func rowFingerprint(role: String, content: String?, toolCallID: String? = nil, toolName: String? = nil,
                        toolCalls: String? = nil) -> MessageFingerprint {
        var fingerprinter = MessageFingerprinter()
        fingerprinter.begin()
        let fields: [(MessageFingerprinter.Field, String?)] = [(.role, role), (.content, content), (.toolCallID, toolCallID),
                                                              (.toolName, toolName), (.toolCalls, toolCalls)]
        for (field, value) in fields {
            if var value {
                value.withUTF8 { fingerprinter.addText(field, UnsafeRawBufferPointer($0)) }
            } else {
                fingerprinter.addAbsent(field)
            }
        }
        return fingerprinter.finish()
    }

    /// Escaped strings over `streamedStringBytes` are hashed as they are decoded, never held decoded.
    @Test(arguments: [MessageFingerprinter.streamedStringBytes + 1, MessageFingerprinter.streamedStringBytes + 17, 3_000_001])
    func aLongEscapedStringHashedAsItIsDecodedIsTheSameMessage(length: Int) throws {
        var text = ""
        let pieces = ["tab\t", "é", "line\n", "\u{1F600}", "\"quoted\"", "x"]
        var index = 0
        while text.utf8.count < length { text += pieces[index % pieces.count]; index += 1 }
        let line = #"{"role":"tool","content":"# + JSONValue.string(text).rendered() + "}"
        #expect(line.utf8.count > MessageFingerprinter.streamedStringBytes)
        #expect(try lineFingerprint(line) == rowFingerprint(role: "tool", content: text))
        #expect(try lineFingerprint(line) != rowFingerprint(role: "tool", content: text + " "))
    }

    @Test func aFieldHashedInPiecesEqualsItHashedAtOnce() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [[], [1], [15, 16, 17], [3, 500, 501, 999]] {
            var whole = Hasher64(), pieces = Hasher64()
            bytes.withUnsafeBytes { whole.combine(tag: 2, kind: 1, bytes: $0) }
            var field = pieces.field(tag: 2, kind: 1, count: bytes.count)
            var start = 0
            for end in split + [bytes.count] {
                bytes[start..<end].withUnsafeBytes { field.append($0) }
                start = end
            }
            pieces.combine(field)
            #expect(whole.finish() == pieces.finish(), "split at \(split)")
        }
    }

    @Test func escapedAndRawUnicodeAreTheSameMessage() throws {
        let raw = try lineFingerprint(#"{"role": "user", "content": "café 😀"}"#)
        let escaped = try lineFingerprint(#"{"role": "user", "content": "caf\u00e9 \ud83d\ude00"}"#)
        #expect(raw == escaped)
        #expect(raw == rowFingerprint(role: "user", content: "café 😀"))
    }

    @Test func timestampsAndUnknownKeysDoNotChangeTheFingerprint() throws {
        let plain = try lineFingerprint(#"{"role": "user", "content": "hi"}"#)
        let extra = try lineFingerprint(#"{"role": "user", "content": "hi", "timestamp": "2026-03-26T13:43:01.5", "x": [1]}"#)
        #expect(plain == extra)
    }

    @Test func listContentMatchesTheFlushTextWithScreenshotMarkers() throws {
        // 0.13/0.14's flush: text parts joined by newlines, [screenshot] for each image part.
        let line = try lineFingerprint(#"{"role": "user", "content": [{"type": "text", "text": "é"}, {"type": "image_url", "image_url": {"url": "data:x"}}, {"type": "text", "text": "b"}]}"#)
        #expect(line == rowFingerprint(role: "user", content: "é\n[screenshot]\nb"))
    }

    @Test func listContentMatchesSessionDBsJSONEncoding() throws {
        // SessionDB._encode_content: "\0json:" + json.dumps(list), ASCII escapes and Python's spacing.
        let line = try lineFingerprint(#"{"role": "user", "content": [{"type": "text", "text": "é"}]}"#)
        #expect(line == rowFingerprint(role: "user", content: "\u{0}json:" + #"[{"type": "text", "text": "\u00e9"}]"#))
    }

    @Test func listContentIsNotItsBareJSONText() throws {
        // The agent never stores a list as bare JSON: such a row is a string message that looks like JSON.
        let line = try lineFingerprint(#"{"role": "user", "content": [{"type": "text", "text": "a"}]}"#)
        #expect(line != rowFingerprint(role: "user", content: #"[{"type": "text", "text": "a"}]"#))
        #expect(try lineFingerprint(#"{"role": "user", "content": "[1, 2]"}"#) == rowFingerprint(role: "user", content: "[1, 2]"))
    }

    @Test func aListWithoutTextOrImagesIsStoredAsNull() throws {
        #expect(try lineFingerprint(#"{"role": "user", "content": [{"type": "audio"}]}"#) == rowFingerprint(role: "user", content: nil))
    }

    @Test func multimodalToolResultsMatchTheirTextSummary() throws {
        let line = try lineFingerprint(#"{"role": "tool", "content": {"_multimodal": true, "content": [{"type": "text", "text": "x"}], "text_summary": "a screenshot"}}"#)
        #expect(line == rowFingerprint(role: "tool", content: "a screenshot"))
    }

    @Test func scalarContentMatchesWhatSQLiteTextAffinityStores() throws {
        // Python binds the decoded value; the TEXT column converts it (checked against python3's sqlite3 3.40).
        let stored = [("true", "1"), ("false", "0"), ("1", "1"), ("-0", "0"), ("1e+20", "1.0e+20"), ("0.30000000000000004", "0.3"),
                      ("-0.0", "0.0"), ("1.0", "1.0"), ("1E5", "100000.0"), ("Infinity", "Inf"), ("3.141592653589793", "3.14159265358979")]
        for (json, text) in stored {
            #expect(try lineFingerprint(#"{"role": "user", "content": \#(json)}"#) == rowFingerprint(role: "user", content: text), "\(json)")
        }
        #expect(try lineFingerprint(#"{"role": "user", "content": NaN}"#) == rowFingerprint(role: "user", content: nil))
    }

    @Test func toolCallsMatchWhateverSpacingAndEscapesTheDatabaseUsed() throws {
        let line = try lineFingerprint(#"{"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "function": {"name": "ls", "arguments": "{\"p\": \"é\"}"}}]}"#)
        let row = rowFingerprint(role: "assistant", content: nil,
                                 toolCalls: #"[{"id":"c1","function":{"name":"ls","arguments":"{\"p\": \"\u00e9\"}"}}]"#)
        #expect(line == row)
    }

    @Test func emptyContentAndNullContentAreOneValue() throws {
        #expect(try lineFingerprint(#"{"role": "assistant", "content": ""}"#) == rowFingerprint(role: "assistant", content: nil))
        #expect(try lineFingerprint(#"{"role": "assistant", "content": null}"#) == rowFingerprint(role: "assistant", content: ""))
        #expect(try lineFingerprint(#"{"role": "assistant", "content": "", "tool_calls": []}"#) == rowFingerprint(role: "assistant", content: nil))
    }

    @Test func toolResultsMatchOnCallIDAndToolName() throws {
        let line = try lineFingerprint(#"{"role": "tool", "tool_call_id": "c1", "tool_name": "ls", "content": "a\nb"}"#)
        #expect(line == rowFingerprint(role: "tool", content: "a\nb", toolCallID: "c1", toolName: "ls"))
        #expect(line != rowFingerprint(role: "tool", content: "a\nb", toolCallID: "c2", toolName: "ls"))
    }

    @Test func differentMessagesDiffer() throws {
        let user = try lineFingerprint(#"{"role": "user", "content": "hello"}"#)
        #expect(user != (try lineFingerprint(#"{"role": "assistant", "content": "hello"}"#)))
        #expect(user != (try lineFingerprint(#"{"role": "user", "content": "hello "}"#)))
        // Fields cannot run into each other.
        #expect(rowFingerprint(role: "tool", content: "ab", toolCallID: "c") != rowFingerprint(role: "tool", content: "a", toolCallID: "bc"))
    }
}

/// The timestamp the agent writes, and reading it back.
@Suite(.tags(.unit)) struct TranscriptTimestampTests {
    @Test func writesMicrosecondsLikePythonIsoformatAndOmitsThemWhenZero() {
        let withFraction = TranscriptTimestamp.localISO8601(1_772_000_000.512345)
        #expect(withFraction.hasSuffix(".512345"))
        #expect(withFraction.count == "2026-02-25T06:13:20.512345".count)
        let whole = TranscriptTimestamp.localISO8601(1_772_000_000)
        #expect(whole.count == "2026-02-25T06:13:20".count)
        #expect(!whole.contains("."))
    }

    @Test func parserReadsBackWhatIsWritten() {
        for epoch in [1_772_000_000.0, 1_772_000_000.5, 1_772_000_000.000001, 1_790_123_456.999999] {
            let text = TranscriptTimestamp.localISO8601(epoch)
            let read = TimestampParser.epochSeconds(iso8601: Array(text.utf8))
            #expect(read.map { abs($0 - epoch) < 1e-6 } == true, "\(text) read as \(String(describing: read))")
        }
    }
}

/// The string scan in C (CScan: 32, 16 and 1 byte at a time) against a plain reading of RFC 8259 and UTF-8, on strings
/// made of the bytes that matter, long enough for every path.
@Suite(.tags(.unit)) struct StringScanTests {
    /// Where the string ends and whether it holds escapes, read a byte at a time; nil when it is not well-formed.
    private func reference(_ body: [UInt8], validatingUTF8: Bool) -> (end: Int, escaped: Bool)? {
        var index = 0, escaped = false
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "\"") { return (index, escaped) }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < body.count else { return nil }
                escaped = true
                let kind = body[index + 1]
                if Array("\"\\/bfnrt".utf8).contains(kind) { index += 2; continue }
                guard kind == UInt8(ascii: "u"), body.count - index >= 6,
                      body[(index + 2)..<(index + 6)].allSatisfy({ JSONScanner.hexValue($0) != nil }) else { return nil }
                index += 6
            } else if byte >= 0x80, validatingUTF8 {
                let valid: Int? = body.withUnsafeBufferPointer { buffer in
                    if case .valid(let length) = UTF8Validation.sequence(buffer.baseAddress!, at: index, count: buffer.count) { return length }
                    return nil
                }
                guard let valid else { return nil }
                index += valid
            } else {
                index += 1
            }
        }
        return nil
    }

    @Test func theScanInCAgreesWithAPlainReadingOnEveryKindOfByte() throws {
        let pieces: [[UInt8]] = [Array("a".utf8), Array("plain text ".utf8), [0x22], [0x5C], Array("\\n".utf8), Array("\\u00e9".utf8),
                                 Array("\\u12".utf8), Array("\\x".utf8), [0x1F], [0x00], [0x7F], Array("é".utf8), Array("日本".utf8),
                                 Array("😀".utf8), [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0xAF],
                                 [0xFF], Array(repeating: UInt8(ascii: "x"), count: 31)]
        var generator = ConversationGenerator(seed: 18)  // the same strings every run
        var checked = 0
        for _ in 0..<20_000 {
            var body: [UInt8] = []
            for _ in 0..<generator.next(upTo: 13) { body += pieces[generator.next(upTo: pieces.count)] }
            if generator.next(upTo: 2) == 0 { body += [0x22] }
            for validating in [false, true] {
                let text = [0x22] + body
                let scanned: (end: Int, escaped: Bool)? = text.withUnsafeBytes { bytes in
                    var scanner = JSONScanner(bytes, validatingUTF8: validating)
                    guard let span = try? scanner.scanString() else { return nil }
                    #expect(scanner.position == span.end + 1)
                    return (span.end - 1, span.hasEscapes)
                }
                let expected = reference(body, validatingUTF8: validating)
                #expect(scanned?.end == expected?.end && scanned?.escaped == expected?.escaped, "\(body) validating \(validating)")
                checked += 1
            }
        }
        #expect(checked == 40_000)
    }
}
