/// The words of an SQL text as SQLite reads them: comments and white space between them dropped, quoted
/// identifiers unquoted, identifiers and keywords folded to lower case (SQLite's names are case-insensitive in
/// ASCII), string literals kept apart so that their text is never taken for a name.
struct SQLWords {
    enum Word: Equatable {
        /// A keyword or an identifier, quoted or not, in lower case.
        case name(String)
        /// A string literal.
        case string
        /// Any other character: punctuation, an operator.
        case symbol(UInt8)
    }

    private(set) var words: [Word] = []

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        /// The text up to the closing `close`, a doubled one standing for itself.
        func quoted(close: UInt8) -> [UInt8] {
            var text: [UInt8] = []
            index += 1
            while index < bytes.count {
                if bytes[index] == close {
                    if close != UInt8(ascii: "]"), index + 1 < bytes.count, bytes[index + 1] == close {
                        text.append(close)
                        index += 2
                        continue
                    }
                    index += 1
                    return text
                }
                text.append(bytes[index])
                index += 1
            }
            return text
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0c:
                index += 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index += 2
            case UInt8(ascii: "'"):
                _ = quoted(close: byte)
                words.append(.string)
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                words.append(.name(Self.folded(quoted(close: byte))))
            case UInt8(ascii: "["):
                words.append(.name(Self.folded(quoted(close: UInt8(ascii: "]")))))
            default:
                guard isNameByte(byte) else {
                    words.append(.symbol(byte))
                    index += 1
                    continue
                }
                let start = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                words.append(.name(Self.folded(Array(bytes[start..<index]))))
            }
        }
    }

    /// ASCII lower case, as SQLite compares names.
    static func folded(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
    static func folded(_ text: String) -> String { folded(Array(text.utf8)) }

    /// The name at `index`, if the word there is one.
    func name(at index: Int) -> String? {
        guard index < words.count, case .name(let name) = words[index] else { return nil }
        return name
    }

    /// For a `CREATE TRIGGER` statement: the event it runs on (`delete`, `insert` or `update`) and where its body
    /// begins, read by position (`CREATE [TEMP] TRIGGER [IF NOT EXISTS] [schema.]name [BEFORE|AFTER|INSTEAD OF] event
    /// ... ON table ... BEGIN`), so that a trigger named "update" or "on" is not taken for its event.
    var triggerHead: (event: String, body: Int)? {
        var index = 0
        func take(_ word: String) -> Bool {
            guard name(at: index) == word else { return false }
            index += 1
            return true
        }
        guard take("create") else { return nil }
        _ = take("temp") || take("temporary")
        guard take("trigger") else { return nil }
        if name(at: index) == "if", name(at: index + 1) == "not", name(at: index + 2) == "exists" { index += 3 }
        guard name(at: index) != nil else { return nil }
        index += 1
        if index + 1 < words.count, words[index] == .symbol(UInt8(ascii: ".")), name(at: index + 1) != nil { index += 2 }
        if !(take("before") || take("after")), take("instead") { _ = take("of") }
        guard let event = name(at: index), ["delete", "insert", "update"].contains(event) else { return nil }
        guard let on = words.indices.dropFirst(index + 1).first(where: { name(at: $0) == "on" }),
              let begin = words.indices.dropFirst(on + 1).first(where: { name(at: $0) == "begin" }) else { return nil }
        return (event, begin)
    }

    /// For a `CREATE TRIGGER` statement: the tables its body writes (`INSERT [OR ...] INTO t`, `REPLACE INTO t`,
    /// `DELETE FROM t`, `UPDATE [OR ...] t`), a schema name before a dot dropped.
    var tablesWrittenByTriggerBody: Set<String> {
        guard let begin = triggerHead?.body else { return [] }
        var targets: Set<String> = []
        var index = begin + 1
        func table(at start: Int) -> String? {
            guard var table = name(at: start) else { return nil }
            if start + 2 < words.count, words[start + 1] == .symbol(UInt8(ascii: ".")), let qualified = name(at: start + 2) { table = qualified }
            return table
        }
        while index < words.count {
            switch name(at: index) {
            case "insert", "replace", "update":
                var next = index + 1
                if name(at: index) != "replace", name(at: next) == "or" { next += 2 }
                if name(at: index) != "update", name(at: next) == "into" { next += 1 }
                if let target = table(at: next) { targets.insert(target) }
            case "delete" where name(at: index + 1) == "from":
                if let target = table(at: index + 2) { targets.insert(target) }
            default:
                break
            }
            index += 1
        }
        return targets
    }
}
