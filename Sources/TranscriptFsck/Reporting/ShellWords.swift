/// Command lines a person can paste: each word as it is when the shell leaves it alone, else in single quotes.
enum ShellWords {
    static func quoted(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "_-./=:@%+,".utf8.contains(byte)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension StoreLocation {
    /// The options that name this store again: `--home` when it is a home's own layout, else its files.
    var namingArguments: [String] {
        let home = HermesLayout.home(ofDatabase: database)
        if let home, transcriptRoots == [HermesLayout.transcripts(inHome: home)] { return ["--home", home.isEmpty ? "/" : home] }
        return ["--db", database] + transcriptRoots.flatMap { ["--transcripts", $0] }
    }
}
