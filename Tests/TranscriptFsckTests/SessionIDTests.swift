import Testing
@testable import TranscriptFsck

/// Session ids are their bytes: what SQLite and the file system compare, not what Swift's `String` does.
@Suite(.tags(.unit)) struct SessionIDTests {
    @Test func idsAreEqualOnlyWhenTheirBytesAre() {
        #expect(SessionID("caf\u{E9}") != SessionID("cafe\u{301}"))
        #expect(Set([SessionID("caf\u{E9}"), SessionID("cafe\u{301}")]).count == 2)
        #expect(SessionID(bytes: [0x61, 0xFF]) != SessionID(bytes: [0x61, 0xFE]))
        #expect(SessionID(bytes: [0x61, 0xFF]) != SessionID("a\u{FFFD}"))
        #expect(SessionID(bytes: [0x61, 0xFF]).text == "a\u{FFFD}")
    }

    @Test func bytesThatAreNotUTF8AreShownEscapedAndWrittenAsHex() {
        let id = SessionID(bytes: [0x61, 0xFF, 0xC3, 0xA9, 0xE2, 0x82])
        #expect(!id.isUTF8)
        #expect(id.description == "a\\xff\u{E9}\\xe2\\x82")
        #expect(id.hexadecimal == "61ffc3a9e282")
        #expect(SessionID(hexadecimal: id.hexadecimal) == id)
        #expect(SessionID(hexadecimal: "6") == nil && SessionID(hexadecimal: "zz") == nil)
        #expect(SessionID("plain").description == "plain")
    }

    @Test func idsSortByTheirBytes() {
        #expect([SessionID("b"), SessionID(bytes: [0x61, 0xFF]), SessionID("a")].sorted()
                == [SessionID("a"), SessionID(bytes: [0x61, 0xFF]), SessionID("b")])
    }
}
