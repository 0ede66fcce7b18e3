extension SessionID {
    /// `session_id` as text and, for an id that is not UTF-8 (which JSON text cannot hold; its text shows U+FFFD),
    /// `session_id_hex` with its bytes, so that two such ids never look like one.
    var jsonMembers: [(String, JSONValue)] {
        [("session_id", .string(text))] + (isUTF8 ? [] : [("session_id_hex", .string(hexadecimal))])
    }
}
