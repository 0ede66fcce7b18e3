import Testing
@testable import TranscriptFsck

/// The two ways a string becomes a JSON string literal, pinned byte for byte: `JSONValue` (reports, the state file,
/// fixtures) writes what Python's `json.dumps` writes; the canonical form (fingerprints, the columns a repair fills)
/// writes one spelling per value. They differ in five control characters, on purpose.
@Suite(.tags(.unit)) struct JSONStringEscapingTests {
    /// Every control character as `json.dumps(text, ensure_ascii=False)` writes it, U+0000 to U+001F in order.
    static let dumpsControls = #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
        + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#

    /// The same characters in the canonical form: every one as `\u00xx`, lowercase.
    static let canonicalControls = #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"#
        + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#

    static let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)

    /// Quote and backslash escaped; solidus, DEL, non-ASCII, U+2028, U+2029 and U+FFFD as they are.
    static let others = "\"\\/\u{7F}é😀\u{2028}\u{2029}\u{FFFD}"

    func canonical(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        CanonicalJSONSink.appendQuoted(bytes, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The canonical form of the JSON text `json`, as the fingerprinter streams it from a scan.
    func streamedCanonical(_ json: String) throws -> String {
        var sink = CanonicalJSONSink(output: [])
        try Array(json.utf8).withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes)
            _ = try scanner.scanValue(into: &sink)
        }
        return String(decoding: sink.output, as: UTF8.self)
    }

    /// The canonical form of the JSON text `json`, as a parsed tree writes it.
    func treeCanonical(_ json: String) throws -> String {
        let node = try #require(Array(json.utf8).withUnsafeBytes { ParsedJSON.parse($0) })
        var output: [UInt8] = []
        node.writeCanonical(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func aReportStringEscapesControlCharactersAsJSONDumpsDoes() {
        #expect(JSONValue.quoted(Self.controls) == "\"" + Self.dumpsControls + "\"")
        #expect(JSONValue.string(Self.controls).rendered() == "\"" + Self.dumpsControls + "\"")
        #expect(JSONValue.quoted(Self.controls, asciiOnly: true) == "\"" + Self.dumpsControls + "\"")
    }

    @Test func aReportStringEscapesOnlyQuoteAndBackslashBesideControls() {
        #expect(JSONValue.quoted(Self.others) == "\"\\\"\\\\/\u{7F}é😀\u{2028}\u{2029}\u{FFFD}\"")
        #expect(JSONValue.string(Self.others).rendered() == JSONValue.quoted(Self.others))
        #expect(JSONValue.quoted("plain text, no escape") == "\"plain text, no escape\"")
        #expect(JSONValue.quoted("") == "\"\"")
    }

    @Test func aMemberNameIsEscapedAsAStringIs() {
        let key = "k\n\"é"
        #expect(JSONValue.object([(key, .string(key))]).rendered() == #"{"k\n\"é":"k\n\"é"}"#)
        #expect(JSONValue.object([(key, .null)]).rendered(indent: 2) == "{\n  \"k\\n\\\"é\": null\n}")
    }

    /// `ensure_ascii=True`: every character past U+007F as `\u` escapes, a surrogate pair past U+FFFF. DEL stays as it
    /// is here, where Python writes `\u007f`.
    @Test func anASCIIOnlyStringEscapesNonASCIIAsUTF16() {
        #expect(JSONValue.quoted(Self.others, asciiOnly: true) == #""\"\\/"# + "\u{7F}" + #"\u00e9\ud83d\ude00\u2028\u2029\ufffd""#)
        #expect(JSONValue.quoted("\u{10FFFF}\u{10000}", asciiOnly: true) == #""\udbff\udfff\ud800\udc00""#)
    }

    /// A Swift string cannot hold a lone surrogate: bytes that spell one (ED A0 80) decode to U+FFFD, written as it is.
    @Test func aLoneSurrogateReachesAReportAsTheReplacementCharacter() {
        let text = String(decoding: [0x61, 0xED, 0xA0, 0x80, 0x62], as: UTF8.self)
        #expect(JSONValue.quoted(text) == "\"a\u{FFFD}\u{FFFD}\u{FFFD}b\"")
        #expect(JSONValue.quoted(text, asciiOnly: true) == #""a\ufffd\ufffd\ufffdb""#)
    }

    @Test func theCanonicalFormEscapesEveryControlByteAsHex() throws {
        #expect(canonical(Array(Self.controls.utf8)) == "\"" + Self.canonicalControls + "\"")
        #expect(try streamedCanonical("\"" + Self.dumpsControls + "\"") == "\"" + Self.canonicalControls + "\"")
        #expect(try treeCanonical("\"" + Self.dumpsControls + "\"") == "\"" + Self.canonicalControls + "\"")
    }

    @Test func theCanonicalFormEscapesOnlyQuoteAndBackslashBesideControls() throws {
        let expected = "\"\\\"\\\\/\u{7F}é😀\u{2028}\u{2029}\u{FFFD}\""
        #expect(canonical(Array(Self.others.utf8)) == expected)
        // However the writer spelt them: escaped, or as they are.
        let escaped = #""\"\\\/\u007f\u00e9\ud83d\ude00\u2028\u2029\ufffd""#
        #expect(try streamedCanonical(escaped) == expected)
        #expect(try treeCanonical(escaped) == expected)
        #expect(try streamedCanonical("\"/\u{7F}é😀\u{2028}\"") == "\"/\u{7F}é😀\u{2028}\"")
        #expect(try treeCanonical(#"{"k\n\u00e9": ["\t", 1.50, true, null]}"#) == #"{"k\u000aé":["\u0009",1.50,true,null]}"#)
        #expect(try streamedCanonical(#"{"k\n\u00e9": ["\t", 1.50, true, null]}"#) == #"{"k\u000aé":["\u0009",1.50,true,null]}"#)
    }

    /// An escaped lone surrogate decodes to U+FFFD, as Python writes it to SQLite; bytes that spell one are copied.
    @Test func aLoneSurrogateInTheCanonicalForm() throws {
        #expect(try streamedCanonical(#""a\ud800b""#) == "\"a\u{FFFD}b\"")
        #expect(try treeCanonical(#""a\udc00\ud800""#) == "\"a\u{FFFD}\u{FFFD}\"")
        var bytes: [UInt8] = []
        CanonicalJSONSink.appendQuoted([0x61, 0xED, 0xA0, 0x80], to: &bytes)
        #expect(bytes == [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22])
    }

    /// The columns a repair fills with `json.dumps(text)` get the canonical spelling: `json.loads` reads the same string.
    @Test func aRepairWritesTextForAJSONColumnInTheCanonicalForm() {
        #expect(HermesMessageValues.encoded(.text("a\nb\"é")) == .text(#""a\u000ab\"é""#))
    }

    /// The difference, whole: backspace, tab, newline, form feed and carriage return; every other character is
    /// written alike.
    @Test func theTwoFormsDifferInFiveControlCharactersAlone() {
        var differing: [UInt32] = []
        let scalars = (0..<0x80).compactMap(Unicode.Scalar.init) + ["é", "😀", "\u{2028}", "\u{FFFD}"]
        for scalar in scalars {
            let text = String(Character(scalar))
            if JSONValue.quoted(text) != canonical(Array(text.utf8)) { differing.append(scalar.value) }
        }
        #expect(differing == [0x08, 0x09, 0x0A, 0x0C, 0x0D])
        #expect(JSONValue.quoted("\u{08}\t\n\u{0C}\r") == #""\b\t\n\f\r""#)
        #expect(canonical(Array("\u{08}\t\n\u{0C}\r".utf8)) == #""\u0008\u0009\u000a\u000c\u000d""#)
    }
}

/// The tree read from bytes, built whole whatever its size.
@Suite(.tags(.unit)) struct ParsedJSONTests {
    @Test func aLargeArrayAndObjectAreBuiltWhole() throws {
        let count = 200_000
        let array = "[" + (0..<count).map(String.init).joined(separator: ",") + "]"
        let parsed = try #require(Array(array.utf8).withUnsafeBytes { ParsedJSON.parse($0) })
        guard case .array(let elements) = parsed else { Issue.record("not an array: \(parsed)"); return }
        #expect(elements.count == count)
        #expect(elements.last == .number(Array(String(count - 1).utf8)))
        let object = "{" + (0..<count).map { "\"k\($0)\":[\($0)]" }.joined(separator: ",") + "}"
        let members = try #require(Array(object.utf8).withUnsafeBytes { ParsedJSON.parse($0) })
        guard case .object(let pairs) = members else { Issue.record("not an object"); return }
        #expect(pairs.count == count)
        #expect(pairs.last?.value == .array([.number(Array(String(count - 1).utf8))]))
    }
}
