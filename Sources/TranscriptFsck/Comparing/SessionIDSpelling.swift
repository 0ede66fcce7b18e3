/// Session ids that differ only in Unicode normalisation ("café" as NFC and as NFD) are two sessions to SQLite and
/// to the file system, but one to Swift's `String`, which compares canonically: the tool would pair or merge them.
/// Until session ids are compared by their bytes throughout, such a store is refused, naming both spellings.
enum SessionIDSpelling {
    /// Throws when two of `transcriptIDs` and `databaseIDs` are canonically equal but spelt with other bytes.
    static func check(transcriptIDs: some Sequence<String>, databaseIDs: some Sequence<String>, database: String) throws(FsckError) {
        var seen: [String: (spelling: String, origin: String)] = [:]
        for (id, origin) in transcriptIDs.map({ ($0, "a transcript") }) + databaseIDs.map({ ($0, database) }) {
            if let index = seen.index(forKey: id) {
                let first = seen[index].value
                guard first.spelling.utf8.elementsEqual(id.utf8) else {
                    throw collision(first.spelling, in: first.origin, id, in: origin)
                }
            } else {
                seen[id] = (id, origin)
            }
        }
    }

    static func collision(_ first: String, in firstOrigin: String, _ second: String, in secondOrigin: String) -> FsckError {
        .invalidArgument("session ids \(bytes(first)) (in \(firstOrigin)) and \(bytes(second)) (in \(secondOrigin)) differ only in "
                         + "Unicode normalisation: SQLite and the file system keep them apart, this tool cannot yet, so nothing was "
                         + "audited; rename one of the sessions (or ask for byte-exact session ids)")
    }

    /// The id with its UTF-8 bytes, so that the two spellings can be told apart on screen.
    private static func bytes(_ id: String) -> String {
        "\"\(id)\" (" + id.utf8.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ") + ")"
    }
}
