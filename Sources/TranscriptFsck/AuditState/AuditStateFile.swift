/// The `--since` state file: a header line, then one line per session, each a JSON array in a fixed order:
///
///     {"format":"transcript-fsck audit state","version":4,"database":"/srv/hermes/state.db"}
///     ["SESSION", ROWS, NEWEST_ROW_ID, [["PATH", SIZE, MTIME_NS], ...], FINDING]
///
/// SESSION is the id as a string, or `{"bytes": "HEX"}` for an id that is not UTF-8. A run over several stores (a
/// root's profiles) writes a section per store, each a header line and its sessions' lines.
///
/// FINDING is a `FindingRecord`; version 4 holds an unreadable transcript's defect as facts (version 3 held its words). A
/// file of another version is read as no state: every session is read again once.
///
/// Positional lines read with the tool's own JSON scanner, one at a time: version 1, one JSON object decoded with
/// Codable, took 0.9 s and 170 MB for 50,000 sessions, more than scanning them again.
enum AuditStateFile {
    static let version = 4

    enum Unreadable: Error {
        case defect(line: Int, StoreWarning.StateFileDefect)
        /// A state file of the tool's, in another version's format.
        case otherVersion(found: Int)
    }

    static func encode(_ states: [IncrementalAudit.State]) -> String {
        var text = ""
        for state in states {
            text += JSONValue.object([("format", .string("transcript-fsck audit state")), ("version", .integer(version)),
                                      ("database", .string(state.database))]).rendered() + "\n"
            for id in state.sessions.keys.sorted() {
                let entry = state.sessions[id]!
                let line = JSONValue.array([
                    encode(id), .integer(entry.rows), .integer(Int(entry.newestRowID)),
                    .array(entry.files.keys.sorted().map { path in
                        .array([.string(path), .integer(entry.files[path]!.size), .integer(Int(entry.files[path]!.modified))])
                    }),
                    FindingRecord.encode(entry.finding),
                ])
                text += line.rendered() + "\n"
            }
        }
        return text
    }

    /// The sections, in the file's order.
    static func decode(_ bytes: [UInt8]) throws(Unreadable) -> [IncrementalAudit.State] {
        var states: [IncrementalAudit.State] = []
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            number += 1
            let node = parse(line)
            if let header = node, case .object = header {
                guard header["format"]?.string == "transcript-fsck audit state", let found = header["version"]?.integer else {
                    throw .defect(line: number, number == 1 ? .notAStateFile : .notASessionEntry)
                }
                guard found == version else { throw .otherVersion(found: found) }
                guard let database = header["database"]?.string else { throw .defect(line: number, .notAStateFile) }
                states.append(IncrementalAudit.State(database: database, sessions: [:]))
            } else if !states.isEmpty, let entry = node.flatMap(Self.entry) {
                states[states.count - 1].sessions[entry.id] = entry.entry
            } else {
                throw .defect(line: number, states.isEmpty ? .notAStateFile : .notASessionEntry)
            }
        }
        guard !states.isEmpty else { throw .defect(line: 1, .notAStateFile) }
        return states
    }

    /// An id as a string; one that is not UTF-8 (which JSON text cannot hold) as `{"bytes": HEX}`.
    private static func encode(_ id: SessionID) -> JSONValue {
        id.isUTF8 ? .string(id.text) : .object([("bytes", .string(id.hexadecimal))])
    }

    private static func sessionID(_ node: ParsedJSON) -> SessionID? {
        if let text = node.string { return SessionID(text) }
        return node["bytes"]?.string.flatMap(SessionID.init(hexadecimal:))
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> ParsedJSON? {
        line.withUnsafeBytes { ParsedJSON.parse($0) }
    }

    private static func entry(_ node: ParsedJSON) -> (id: SessionID, entry: IncrementalAudit.Entry)? {
        guard case .array(let fields) = node, fields.count == 5, let id = sessionID(fields[0]), let rows = fields[1].integer,
              let newest = fields[2].integer, case .array(let files) = fields[3],
              let finding = FindingRecord.decode(fields[4], sessionID: id) else { return nil }
        var stamps: [String: FileStamp] = [:]
        for file in files {
            guard case .array(let parts) = file, parts.count == 3, let path = parts[0].string, let size = parts[1].integer,
                  let modified = parts[2].integer else { return nil }
            stamps[path] = FileStamp(size: size, modified: Int64(modified))
        }
        return (id, IncrementalAudit.Entry(files: stamps, rows: rows, newestRowID: Int64(newest), finding: finding))
    }
}
