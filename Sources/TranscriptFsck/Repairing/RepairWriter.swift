#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes repair plans into the database: one `BEGIN IMMEDIATE` transaction per session, all of
/// its rows or none, checked against the plan before and against the transcript after.
final class RepairWriter {
    let connection: SQLiteConnection
    let schema: StoreSchema
    /// How long to wait for another connection's write lock before giving up on a session.
    let busyTimeout: Duration
    private let say: (String) -> Void
    private var insertStatements: [String: SQLiteStatement] = [:]

    /// What happened to one plan.
    enum Outcome {
        case applied
        /// The session's rows changed since the plan was made; nothing was written. Here is what it holds now.
        case stale(DatabaseSession)
    }

    init(connection: SQLiteConnection, schema: StoreSchema, busyTimeout: Duration, say: @escaping (String) -> Void) {
        self.connection = connection
        self.schema = schema
        self.busyTimeout = busyTimeout
        self.say = say
    }

    /// Applies `plan` in one transaction; throws `RepairRefusal` with nothing written when it cannot.
    func apply(_ plan: SessionRepairPlan) throws(RepairRefusal) -> Outcome {
        var outcome = Outcome.applied
        do {
            try withWriteLock(for: plan.sessionID) {
                try connection.inTransaction(.immediate) {
                    let current = try DatabaseReader.readSession(plan.sessionID, schema: schema, connection: connection) ?? DatabaseSession()
                    guard current.rowIDs == plan.expected.rowIDs, current.fingerprints == plan.expected.fingerprints else {
                        outcome = .stale(current)
                        return .rollback
                    }
                    try write(plan)
                    let after = try DatabaseReader.readSession(plan.sessionID, schema: schema, connection: connection) ?? DatabaseSession()
                    guard after.fingerprints == plan.finalFingerprints else {
                        throw RepairRefusal("read back in the agent's order, the rows would not match the transcript; nothing was written")
                    }
                    return .commit
                }
            }
        } catch let refusal as RepairRefusal {
            throw refusal
        } catch let error as SQLiteError {
            if error.isStorageFailure {
                throw RepairRefusal("\(error.message) (code \(error.code)); nothing of session \(plan.sessionID) was written", stopsTheRun: true)
            }
            throw RepairRefusal("\(error.isBusy ? "the database stayed locked" : "SQLite failed"): \(error.message) (code \(error.code)); nothing was written")
        } catch {
            throw RepairRefusal("\(error); nothing was written")
        }
        return outcome
    }

    /// The session's rows as they are now, read outside any transaction.
    func currentRows(of sessionID: String) throws(RepairRefusal) -> DatabaseSession {
        do {
            return try DatabaseReader.readSession(sessionID, schema: schema, connection: connection) ?? DatabaseSession()
        } catch {
            throw RepairRefusal("cannot read the session again: \(error.message)")
        }
    }

    private func write(_ plan: SessionRepairPlan) throws {
        if let sessionRow = plan.sessionRow {
            let columns = sessionRow.map { quoted($0.column) }.joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: sessionRow.count).joined(separator: ", ")
            try connection.prepare("INSERT OR IGNORE INTO sessions (\(columns)) VALUES (\(placeholders))").run(sessionRow.map(\.value))
        }
        for row in plan.rows {
            let members = row.message.members.filter { !["id", "session_id", "timestamp"].contains($0.name) && schema.hasMessageColumn($0.name) }
            let columns = ["session_id", "timestamp"] + members.map(\.name)
            try insertStatement(columns).run([.text(plan.sessionID), .real(row.timestamp)] + members.map(\.value.sqliteValue))
        }
        var counters: [String] = []
        var values: [SQLiteStatement.Value] = []
        for (column, amount) in [("message_count", plan.rows.count), ("tool_call_count", plan.toolCallCount)] where schema.hasSessionColumn(column) {
            counters.append("\(column) = coalesce(\(column), 0) + ?")
            values.append(.integer(Int64(amount)))
        }
        if !counters.isEmpty {
            try connection.prepare("UPDATE sessions SET \(counters.joined(separator: ", ")) WHERE id = ?").run(values + [.text(plan.sessionID)])
        }
    }

    /// One compiled INSERT per column list; a plain insert, so the FTS and display triggers fire.
    private func insertStatement(_ columns: [String]) throws(SQLiteError) -> SQLiteStatement {
        let key = columns.joined(separator: "\u{0}")
        if let statement = insertStatements[key] { return statement }
        let sql = "INSERT INTO messages (\(columns.map(quoted).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        let statement = try connection.prepare(sql)
        insertStatements[key] = statement
        return statement
    }

    private func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `body`, retrying with backoff while another connection holds the write lock, up to `busyTimeout`.
    private func withWriteLock(for sessionID: String, _ body: () throws -> Void) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + busyTimeout
        var backoff = Duration.milliseconds(25)
        var told = false
        while true {
            let remaining = deadline - clock.now
            connection.setBusyTimeout(milliseconds: Int32(max(0, min(1_000, remaining.seconds * 1_000))))
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy {
                guard clock.now < deadline else { throw error }
                if !told {
                    say("waiting for the write lock on \(connection.path) (another connection is writing); session \(sessionID), up to \(Int(busyTimeout.seconds)) s")
                    told = true
                }
                usleep(UInt32(min(backoff, max(.zero, deadline - clock.now)).seconds * 1_000_000))
                backoff = min(backoff * 2, .seconds(1))
            }
        }
    }
}
