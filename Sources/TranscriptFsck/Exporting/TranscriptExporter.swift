/// Writes a session's database rows as a transcript in the agent's format, in the agent's order (`ORDER BY id`),
/// so that a session kept only in the database can be archived, and scanning the export against the database
/// gives `ok`. Content the agent stored JSON-encoded (`"\0json:"`) is written as the value it encodes.
public enum TranscriptExporter {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl
        case jsonlGzip = "jsonl.gz"
    }

    /// Exports `sessionID` to `path` (atomically), or to standard output when `path` is nil; returns the messages written.
    public static func export(database: String, sessionID: SessionID, format: Format, to path: String?) throws(FsckError) -> Int {
        let sink = try ExportSink(path: path, gzip: format == .jsonlGzip, database: database)
        let count: Int
        do {
            count = try DatabaseReader.withSnapshot(path: database) { connection, agent in
                let columns = agent.exportedColumns
                let rows = try connection.prepare(agent.sessionMessagesForExport)
                try rows.bind([sessionID.sqlValue])
                var count = 0
                while try rows.step() {
                    var members: [(String, JSONValue)] = []
                    for (index, column) in columns.enumerated() where !rows.isNull(Int32(index)) {
                        // A transcript is UTF-8 JSON: bytes that are not UTF-8 cannot be written back as stored, and
                        // read as text they would come back altered (U+FFFD), which the export promises never to do.
                        if column != "timestamp", let bad = rows.withTextBytes(Int32(index), { $0.flatMap(UTF8Validation.firstError) }) {
                            throw FsckError.messageNotUTF8(database: database, session: sessionID, rowID: rows.integer(Int32(columns.count)),
                                                           column: column, byteOffset: bad.offset, reason: bad.reason)
                        }
                        let text = rows.text(Int32(index)) ?? ""
                        switch column {
                        case "timestamp": members.append((column, .string(TranscriptTimestamp.localISO8601(rows.real(Int32(index))))))
                        case "tool_calls": members.append((column, isJSON(text) ? .raw(text) : .string(text)))
                        // SessionDB._encode_content's list or object: the transcript holds the value itself.
                        case "content": members.append((column, HermesMessageValues.storedJSON(content: text).map(JSONValue.raw) ?? .string(text)))
                        default: members.append((column, .string(text)))
                        }
                    }
                    try sink.write(JSONValue.object(members).rendered() + "\n")
                    count += 1
                }
                return count
            }
        } catch {
            sink.abandon()
            throw error
        }
        guard count > 0 else {
            sink.abandon()
            throw .sessionHasNoMessages(id: sessionID, database: database)
        }
        try sink.finish()
        return count
    }

    private static func isJSON(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = JSONScanner(UnsafeRawBufferPointer(bytes))
            var sink = DiscardingSink()
            guard (try? scanner.scanValue(into: &sink)) != nil else { return false }
            scanner.skipWhitespace()
            return scanner.isAtEnd
        }
    }
}

/// Where exported lines go: an `OutputFile` (whole or not at all), or standard output.
private final class ExportSink {
    private let file: OutputFile?
    private let gzip: GzipFileWriter?
    private let descriptor: Int32
    private let name: String
    private var plain: [UInt8] = []

    init(path: String?, gzip: Bool, database: String) throws(FsckError) {
        if let path {
            // The database's own files are refused as outputs: an export over state.db would replace the store.
            let file: OutputFile
            do {
                file = try OutputFile(path: path, protecting: StoreLocation(database: database, transcriptRoots: []).ownFiles)
            } catch {
                throw .output(error)
            }
            (self.file, descriptor, name) = (file, file.descriptor, path)
        } else {
            if gzip, FileDescriptor.standardOutput.isTerminal { throw .gzipToTerminal }
            (file, descriptor, name) = (nil, 1, "standard output")
        }
        self.gzip = gzip ? GzipFileWriter(descriptor: descriptor, path: name) : nil
    }

    func write(_ line: String) throws(FsckError) {
        do {
            if let gzip { return try gzip.write(Array(line.utf8)) }
            plain.append(contentsOf: line.utf8)
            if plain.count >= 1 << 20 { try flush() }
        } catch {
            throw .output(error)
        }
    }

    private func flush() throws(FileFailure) {
        if let code = plain.withUnsafeBytes({ POSIX.writeAll(descriptor, $0) }) {
            throw FileFailure(path: name, reason: .write(errno: code))
        }
        plain.removeAll(keepingCapacity: true)
    }

    func finish() throws(FsckError) {
        do {
            if let gzip { try gzip.close() } else { try flush() }
            try file?.commit()
        } catch {
            throw .output(error)
        }
    }

    func abandon() {
        file?.abandon()
    }
}
