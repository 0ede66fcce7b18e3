/// Reads `state.db` without writing to it, safely beside the agent writing to it (WAL).
enum DatabaseReader {
    /// Opens the database read-only, detects the agent's format from its schema, and runs `body` inside one read
    /// transaction, so that everything `body` reads is one consistent snapshot.
    static func withSnapshot<Result>(path: String, _ body: (SQLiteConnection, any AgentFormat) throws -> Result) throws(FsckError) -> Result {
        let connection = try StoreDatabase.open(path: path)
        let format = try AgentFormats.detect(StoreSchema.read(from: connection), path: path)
        do {
            var result: Result?
            try connection.inTransaction {
                result = try body(connection, format)
                return .commit
            }
            return result!
        } catch {
            throw FsckError(reading: error, path: path)
        }
    }

    /// Checks the schema and returns the highest message row id (0 for none).
    static func newestRowID(path: String) throws(FsckError) -> Int64 {
        try withSnapshot(path: path) { connection, _ in
            try connection.prepare(HermesStatements.newestMessageID).singleInteger() ?? 0
        }
    }

    /// Each session's row count and newest row id, sessions with a row and no messages included.
    static func rowStatistics(path: String) throws(FsckError) -> [SessionID: (count: Int, newest: Int64)] {
        try withSnapshot(path: path) { connection, _ in
            var statistics: [SessionID: (count: Int, newest: Int64)] = [:]
            let sessions = try connection.prepare(HermesStatements.sessionIDs)
            while try sessions.step() { statistics[sessions.sessionID(0) ?? ""] = (0, 0) }
            let rows = try connection.prepare(HermesStatements.rowCountAndNewestIDBySession)
            while try rows.step() { statistics[rows.sessionID(0) ?? ""] = (Int(rows.integer(1)), rows.integer(2)) }
            return statistics
        }
    }

    /// Reads every session's rows in one ordered pass over the messages table, or only the given sessions.
    static func snapshot(path: String, sessionIDs: [SessionID]? = nil) throws(FsckError) -> DatabaseSnapshot {
        try withSnapshot(path: path) { connection, format in
            var sessions: [SessionID: DatabaseSession] = [:]
            if let sessionIDs {
                for id in Set(sessionIDs) {
                    if let session = try readSession(id, format: format, connection: connection) { sessions[id] = session }
                }
            } else {
                let sessionRows = try connection.prepare(format.everySessionRow)
                while try sessionRows.step() { noteSessionRow(sessionRows, in: &sessions) }
                let rows = try connection.prepare(format.everyMessageIdentity)
                try collectRows(rows, into: &sessions, details: false, bookkeepingRole: format.bookkeepingRole)
            }
            return DatabaseSnapshot(path: path, format: format, sessions: sessions)
        }
    }

    /// One session's rows as they are now, in the agent's order; nil when the database knows nothing of it.
    static func readSession(_ id: SessionID, format: any AgentFormat, connection: SQLiteConnection) throws(SQLiteError) -> DatabaseSession? {
        var sessions: [SessionID: DatabaseSession] = [:]
        let sessionRow = try connection.prepare(format.sessionRowByID)
        try sessionRow.bind([id.sqlValue])
        if try sessionRow.step() { noteSessionRow(sessionRow, in: &sessions) }
        let rows = try connection.prepare(format.sessionMessageIdentities)
        try rows.bind([id.sqlValue])
        try collectRows(rows, into: &sessions, details: true, bookkeepingRole: format.bookkeepingRole)
        return sessions[id]
    }

    private static func noteSessionRow(_ row: SQLiteStatement, in sessions: inout [SessionID: DatabaseSession]) {
        let id = row.sessionID(0) ?? ""
        sessions[id, default: DatabaseSession()].hasSessionRow = true
        sessions[id]!.source = row.text(1)
        sessions[id]!.startedAt = row.isNull(2) ? nil : row.real(2)
        sessions[id]!.parentSessionID = row.sessionID(3)
    }

    /// Fingerprints every row the statement yields, grouping by session id (column 0), each session's rows in its order (sessions may interleave).
    /// With `details`, row ids and timestamps are kept too.
    private static func collectRows(_ rows: SQLiteStatement, into sessions: inout [SessionID: DatabaseSession],
                                    details: Bool, bookkeepingRole: String) throws(SQLiteError) {
        let bookkeeping = Array(bookkeepingRole.utf8)
        var fingerprinter = MessageFingerprinter()
        var currentID: SessionID?
        var current = DatabaseSession()
        let fields = MessageFingerprinter.Field.all.map { (Int32(3 + $0.index), $0) }
        let flagsColumn = Int32(3 + MessageFingerprinter.Field.all.count)
        // The session whose rows are arriving is taken out of the table, so that appending to it never copies it.
        func flush() {
            guard let currentID else { return }
            sessions[currentID] = current
        }
        while try rows.step() {
            let sameSession: Bool = rows.withTextBytes(0) { bytes in
                guard let bytes, let currentID, bytes.count == currentID.bytes.count else { return false }
                return bytes.isEmpty || Memory.equal(bytes.baseAddress!, currentID.bytes, count: bytes.count)
            }
            if !sameSession {
                flush()
                let id = rows.sessionID(0) ?? ""
                currentID = id
                current = sessions.removeValue(forKey: id) ?? DatabaseSession()
                if current.fingerprints.isEmpty { current.fingerprints.reserveCapacity(64) }
            }
            let isBookkeeping: Bool = rows.withTextBytes(3 + Int32(MessageFingerprinter.Field.role.index)) { role in
                guard let role, role.count == bookkeeping.count else { return false }
                return role.isEmpty || Memory.equal(role.baseAddress!, bookkeeping, count: role.count)
            }
            if isBookkeeping { continue }
            fingerprinter.begin()
            for (column, field) in fields {
                rows.withTextBytes(column) { bytes in
                    if let bytes { fingerprinter.addText(field, bytes) } else { fingerprinter.addAbsent(field) }
                }
            }
            if details {
                let flags = rows.isNull(flagsColumn) ? nil
                    : RowFlags(active: rows.integer(flagsColumn), compacted: rows.isNull(flagsColumn + 1) ? 0 : rows.integer(flagsColumn + 1))
                current.append(fingerprint: fingerprinter.finish(), rowID: rows.integer(1), timestamp: rows.real(2), flags: flags)
            } else {
                current.fingerprints.append(fingerprinter.finish())
            }
        }
        flush()
        if !details {
            for index in sessions.indices { sessions.values[index].fingerprints.shrinkSlack() }
        }
    }
}
