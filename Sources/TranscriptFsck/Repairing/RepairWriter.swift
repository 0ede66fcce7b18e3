/// Writes repair plans into the database: one `BEGIN IMMEDIATE` transaction per session, all of
/// its rows or none, checked against the plan before and against the transcript after.
///
/// Backfilled rows must read before the rows that follow them by id. Inside the transaction `IDPlacement` finds them
/// free ids between their neighbours, so existing rows keep theirs. Where there is no room, the rows that follow are
/// rewritten under new ids: each is copied whole (`INSERT ... SELECT` of every column but `id`) behind the
/// backfilled rows and the original deleted. The agent acts on ids it read a moment before (/undo), so that is done
/// only while no other process has the database open (`agentPresence`, asked with the write lock held, and again
/// before COMMIT). The full-text
/// triggers index the copy and drop the original, as for any insert and delete; a column the agent derives from
/// the id is derived again (`AgentFormat.copiedValue`).
final class RepairWriter {
    let connection: SQLiteConnection
    let format: any AgentFormat
    /// How long to wait for another connection's write lock before giving up on a session.
    let busyTimeout: Duration
    /// Nil when no other process has the database open, so that no agent holds an id a move would change; else
    /// whether one was seen (false: it cannot be told). Asked with the write lock held.
    private let agentPresence: () -> Bool?
    private let say: (RepairNotice) -> Void
    private var insertStatements: [String: SQLiteStatement] = [:]
    private var moveStatements: (copy: SQLiteStatement, delete: SQLiteStatement)?
    /// Time spent looking for the agent inside the current transaction.
    private var looking = Duration.zero

    /// What happened to one plan.
    enum Outcome {
        /// Written where `placement` says; the write lock was held this long, `looking` of it spent looking for the agent
        /// (a cost of the machine's processes, not of the rows).
        case applied(held: Duration, placement: IDPlacement, looking: Duration)
        /// The session's rows changed since the plan was made; nothing was written. Here is what it holds now.
        case stale(DatabaseSession)
    }

    init(connection: SQLiteConnection, format: any AgentFormat, busyTimeout: Duration, agentPresence: @escaping () -> Bool?,
         say: @escaping (RepairNotice) -> Void) {
        self.connection = connection
        self.format = format
        self.busyTimeout = busyTimeout
        self.agentPresence = agentPresence
        self.say = say
    }

    /// Applies `plan` in one transaction; throws `RepairRefusal` with nothing written when it cannot.
    func apply(_ plan: SessionRepairPlan) throws(RepairRefusal) -> Outcome {
        // Read before the write lock is taken: reading a large transcript must not hold up the agent.
        let messages = try plan.readMessages()
        let clock = ContinuousClock()
        var stale: DatabaseSession?
        var written: (placement: IDPlacement, held: Duration)?
        do {
            try withWriteLock(for: plan.sessionID) {
                looking = .zero
                // From the moment BEGIN IMMEDIATE has the lock to COMMIT: what another writer waits for.
                var locked: ContinuousClock.Instant?
                var placed: IDPlacement?
                try connection.inTransaction(.immediate) {
                    locked = clock.now
                    let current = try DatabaseReader.readSession(plan.sessionID, format: format, connection: connection) ?? DatabaseSession()
                    guard current.rowIDs == plan.expected.rowIDs, current.fingerprints == plan.expected.fingerprints,
                          current.flags == plan.expected.flags else {
                        stale = current
                        return .rollback
                    }
                    let placement = try IDPlacement.compute(for: plan, in: connection)
                    if let hazard = placement.hazard(in: format.schema) { throw RepairRefusal(hazard) }
                    // Asked with the write lock held: an agent that read an id before now waits for this transaction.
                    if placement.movesRows { try refuseMovesBesideAnAgent(placement) }
                    let lineageWasInOrder = try lineageInOrder(plan)
                    let rowsBefore = try rowCount(plan.sessionID)
                    try write(plan, messages: messages, placement: placement)
                    let after = try DatabaseReader.readSession(plan.sessionID, format: format, connection: connection) ?? DatabaseSession()
                    guard after.fingerprints == plan.finalFingerprints else {
                        throw RepairRefusal(.readBackMismatch)
                    }
                    guard try rowCount(plan.sessionID) == rowsBefore + Int64(plan.rows.count) else {
                        throw RepairRefusal(.rowCountMismatch)
                    }
                    guard try !lineageWasInOrder || lineageInOrder(plan) else {
                        throw RepairRefusal(.lineageOutOfOrder)
                    }
                    // A reader that opened meanwhile (WAL readers do not wait for the write lock) read the old ids.
                    if placement.movesRows { try refuseMovesBesideAnAgent(placement) }
                    placed = placement
                    return .commit
                }
                if let locked, let placed { written = (placed, clock.now - locked) }
            }
        } catch let refusal as RepairRefusal {
            throw refusal
        } catch let error as SQLiteError {
            if error.isStorageFailure {
                throw RepairRefusal(.storageFailed(error, sessionID: plan.sessionID))
            }
            throw RepairRefusal(.databaseFailed(error))
        } catch {
            throw RepairRefusal(.writeFailed("\(error)"))
        }
        if let written { return .applied(held: written.held, placement: written.placement, looking: looking) }
        return .stale(stale ?? DatabaseSession())
    }

    /// The session's rows as they are now, read outside any transaction.
    func currentRows(of sessionID: SessionID) throws(RepairRefusal) -> DatabaseSession {
        do {
            return try DatabaseReader.readSession(sessionID, format: format, connection: connection) ?? DatabaseSession()
        } catch {
            throw RepairRefusal(.cannotReadAgain(error))
        }
    }

    private func rowCount(_ sessionID: SessionID) throws(SQLiteError) -> Int64 {
        try connection.prepare(HermesStatements.sessionRowCount).singleInteger([sessionID.sqlValue]) ?? 0
    }

    private func refuseMovesBesideAnAgent(_ placement: IDPlacement) throws(RepairRefusal) {
        let clock = ContinuousClock()
        let started = clock.now
        let presence = agentPresence()
        looking += clock.now - started
        if let seen = presence { throw RepairRefusal(.rowsMustMoveBesideAgent(rows: placement.totalMovedRows, seen: seen)) }
    }

    /// True when every row of the session's ancestors lies below its rows, and its rows below every descendant's.
    private func lineageInOrder(_ plan: SessionRepairPlan) throws(SQLiteError) -> Bool {
        let ids = IDSpace(connection: connection)
        guard let lowest = try ids.lowest(inSessions: [plan.sessionID]), let highest = try ids.highest(inSessions: [plan.sessionID]) else {
            return true
        }
        let floor = try ids.highest(inSessions: plan.ancestors), ceiling = try ids.lowest(inSessions: plan.descendants)
        return (floor.map { $0 < lowest } ?? true) && (ceiling.map { highest < $0 } ?? true)
    }

    private func write(_ plan: SessionRepairPlan, messages: [Int: TranscriptMessage], placement: IDPlacement) throws {
        if let sessionRow = plan.sessionRow {
            let columns = sessionRow.map(\.column)
            try connection.prepare(HermesStatements.insertSession(columns: columns, orIgnore: true)).run(sessionRow.map(\.value))
            // OR IGNORE also skips a row that breaks a constraint (NOT NULL, CHECK): never insert messages without it.
            if try connection.prepare(HermesStatements.sessionRowsWithID).singleInteger([plan.sessionID.sqlValue]) != 1 {
                let reason = constraintFailure(HermesStatements.insertSession(columns: columns, orIgnore: false), sessionRow.map(\.value))
                throw RepairRefusal(.sessionRowRefused(reason))
            }
        }
        // Gaps with free ids of their own move nothing.
        for (gap, ids) in zip(plan.gaps, placement.gapIDs) {
            if let ids { try insert(gap.rows, ids: ids, into: plan.sessionID, messages: messages) }
        }
        if let from = placement.movesFromGap {
            var gapsBefore: [Int64: [SessionRepairPlan.Row]] = [:]
            var last: [SessionRepairPlan.Row] = []
            for gap in plan.gaps[from...] {
                if let row = gap.beforeRowID { gapsBefore[row] = gap.rows } else { last = gap.rows }
            }
            if let first = plan.gaps[from].beforeRowID {
                // Every row of the session from the first that follows the gap on, bookkeeping rows included, in id order.
                for id in try rowIDs(of: plan.sessionID, from: first) {
                    if let rows = gapsBefore.removeValue(forKey: id) { try insert(rows, ids: nil, into: plan.sessionID, messages: messages) }
                    try move(id)
                }
                guard gapsBefore.isEmpty else { throw RepairRefusal(.anchorRowsGone) }
            }
            try insert(last, ids: nil, into: plan.sessionID, messages: messages)
            // The sessions continuing this one go after it again, each whole, nearest first.
            for descendant in placement.movedDescendants {
                for id in try rowIDs(of: descendant.sessionID, from: nil) { try move(id) }
            }
        } else {
            for (gap, ids) in zip(plan.gaps, placement.gapIDs) where ids == nil {
                try insert(gap.rows, ids: nil, into: plan.sessionID, messages: messages)
            }
        }
        let counters = format.counterUpdates(sessionID: plan.sessionID, createdSession: plan.createsSession,
                                             liveRows: plan.liveRowCount, toolCalls: plan.toolCallCount)
        if !counters.isEmpty {
            try connection.prepare(HermesStatements.updateSession(setting: counters.map(\.term)))
                .run(counters.map(\.value) + [plan.sessionID.sqlValue])
        }
    }

    /// The ids of a session's rows from `first` on (all with nil), bookkeeping rows included, in id order.
    private func rowIDs(of sessionID: SessionID, from first: Int64?) throws(SQLiteError) -> [Int64] {
        let statement = try connection.prepare(format.sessionRowIDsFromID)
        try statement.bind([sessionID.sqlValue, .integer(first ?? .min)])
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.integer(0)) }
        return ids
    }

    /// Inserts `rows` under `ids` (one each), or under new ids above every row when nil.
    private func insert(_ rows: [SessionRepairPlan.Row], ids: [Int64]?, into sessionID: SessionID,
                        messages: [Int: TranscriptMessage]) throws {
        for (index, row) in rows.enumerated() {
            let place = HermesStatements.rowPlace(session: sessionID, timestamp: row.timestamp, id: ids?[index])
            var columns = place.map(\.column)
            var values = place.map(\.value)
            if let flags = row.flags, let flagColumns = format.flagColumns {
                columns.append(flagColumns.active)
                values.append(.integer(flags.active))
                if let compacted = flagColumns.compacted {
                    columns.append(compacted)
                    values.append(.integer(flags.compacted))
                }
            }
            for (column, value) in format.messageValues(of: messages[row.transcriptIndex]!) {
                columns.append(column)
                values.append(value)
            }
            try insertStatement(columns).run(values)
        }
    }

    /// Rewrites row `id` under a new id (the next one), every column value kept, and deletes the original.
    private func move(_ id: Int64) throws(SQLiteError) {
        if moveStatements == nil {
            moveStatements = (copy: try connection.prepare(format.rowCopy), delete: try connection.prepare(HermesStatements.deleteMessage))
        }
        try moveStatements!.copy.run([.integer(id)])
        try moveStatements!.delete.run([.integer(id)])
    }

    /// One compiled INSERT per column list; a plain insert, so the FTS and display triggers fire.
    private func insertStatement(_ columns: [String]) throws(SQLiteError) -> SQLiteStatement {
        let key = columns.joined(separator: "\u{0}")
        if let statement = insertStatements[key] { return statement }
        let statement = try connection.prepare(HermesStatements.insertMessage(columns: columns))
        insertStatements[key] = statement
        return statement
    }

    /// SQLite's own words for why `sql` (an INSERT that OR IGNORE skipped) breaks a constraint.
    private func constraintFailure(_ sql: String, _ values: [SQLiteStatement.Value]) -> String {
        do {
            try connection.prepare(sql).run(values)
            return "a constraint of the \(HermesStatements.sessionsTable) table"
        } catch {
            return error.message
        }
    }

    /// Runs `body`, retrying with backoff while another connection holds the write lock, up to `busyTimeout`.
    private func withWriteLock(for sessionID: SessionID, _ body: () throws -> Void) throws {
        var lastRefusal: SQLiteError?
        let written: Void? = try retry(
            until: .now + busyTimeout, backoff: .doubling(from: .milliseconds(25), upTo: .seconds(1)),
            onFirstWait: { say(.waitingForWriteLock(database: connection.path, session: sessionID, seconds: Int(busyTimeout.seconds))) }
        ) { remaining in
            connection.setBusyTimeout(milliseconds: Int32(min(1_000, remaining.seconds * 1_000)))
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy {
                lastRefusal = error
                return nil
            }
        }
        if written == nil, let lastRefusal { throw lastRefusal }
    }
}
