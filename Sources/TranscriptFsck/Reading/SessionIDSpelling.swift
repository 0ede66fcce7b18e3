/// Session ids that differ only in Unicode normalisation ("café" as NFC and as NFD) are two sessions to SQLite and
/// to the file system, but one to Swift's `String`, which compares canonically: the tool would pair or merge them.
/// Until session ids are compared by their bytes throughout, such a store is refused, naming both spellings.
enum SessionIDSpelling {
    /// Throws when a transcript's session id and one of the database's are canonically equal but spelt with other
    /// bytes. (Each store's own ids are checked as they are read: `TranscriptDiscovery`, `DatabaseReader`.)
    static func check<Value>(transcripts: [String: [String]], database: [String: Value], path: String) throws(FsckError) {
        for (id, files) in transcripts {
            if let other = otherSpelling(of: id, in: database) { throw collision(id, in: files[0], other, in: path) }
        }
    }

    /// The key of `known` that `String` takes for `id` but whose bytes differ (the same id to Swift, another to
    /// SQLite and the file system); nil when there is none, or it is `id` itself.
    static func otherSpelling<Value>(of id: String, in known: [String: Value]) -> String? {
        guard let index = known.index(forKey: id), !known[index].key.utf8.elementsEqual(id.utf8) else { return nil }
        return known[index].key
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
