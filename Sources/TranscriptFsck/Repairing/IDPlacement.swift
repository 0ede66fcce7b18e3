/// Which ids a plan's backfilled rows take, decided from the ids in use, so that rows the agent can already see
/// keep theirs.
///
/// The agent acts on ids it read a moment before: `rewind_to_message` (/undo) checks its target row, waits for the
/// write lock, then marks `id >= target` inactive. A row given a new id under it turns one undone turn into a
/// hidden session. So each run of missing messages takes ids that are free between its neighbours: below the
/// lowest id in use when nothing of the session or its lineage comes before it (SQLite rowids may be negative,
/// and AUTOINCREMENT only tracks the highest), ids left free by deleted rows between two rows, or new ids above
/// every row at the end. Only where there is no room (a gap between two rows that were written back to back, a
/// session continuing a lineage whose ancestor kept rows) must existing rows move, and then only with the agent
/// stopped (`RepairWriter`).
struct IDPlacement: Sendable, Equatable {
    /// For each gap of the plan, in order: the ids its rows take, or nil for new ids above every row.
    var gapIDs: [[Int64]?]
    /// The first gap from which on the session's own rows get new ids behind the inserted ones; nil when none move.
    var movesFromGap: Int?
    /// The rows of this session that get new ids.
    var movedRows: Int
    /// The sessions continuing this one whose rows all get new ids after it, to stay above it: each with its row count.
    var movedDescendants: [MovedSession]

    struct MovedSession: Sendable, Equatable {
        let sessionID: SessionID
        let rows: Int
    }

    var movesRows: Bool { movedRows > 0 || !movedDescendants.isEmpty }
    /// The lowest id it gives a row, if any.
    var lowestID: Int64? { gapIDs.compactMap { $0?.first }.min() }
    var totalMovedRows: Int { movedRows + movedDescendants.reduce(0) { $0 + $1.rows } }

    /// Why this placement cannot be written in `schema`: it gives rows new ids, and something there would see them
    /// come and go (`StoreSchema.rowMoveHazards`); nil when it moves nothing or nothing is in the way.
    func hazard(in schema: StoreSchema) -> RepairReason? {
        guard movesRows, let hazard = schema.rowMoveHazards.first else { return nil }
        return .rowsCannotMove(rows: totalMovedRows, hazard)
    }

    /// Places `plan` against the rows `connection` holds now.
    /// `taken`: ids other plans of the same run are predicted to take below the lowest in use (a dry run places
    /// every session before any is written).
    static func compute(for plan: SessionRepairPlan, in connection: SQLiteConnection, lowestTaken taken: Int64? = nil) throws(SQLiteError) -> IDPlacement {
        let ids = IDSpace(connection: connection, lowestTaken: taken)
        // Every ancestor row must stay below this session's rows, every descendant row above them.
        let floor = try ids.highest(inSessions: plan.ancestors)
        let ceiling = try ids.lowest(inSessions: plan.descendants)
        let rowIDs = plan.expected.rowIDs
        var gapIDs: [[Int64]?] = []
        var movesFrom: Int?
        for (index, gap) in plan.gaps.enumerated() {
            guard movesFrom == nil else {
                gapIDs.append(nil)
                continue
            }
            let position = gap.beforeRowID.flatMap { rowIDs.firstIndex(of: $0) } ?? rowIDs.count
            let below = gap.beforeRowID ?? ceiling
            let above = position > 0 ? rowIDs[position - 1] : floor
            guard let below else {
                gapIDs.append(nil)  // nothing after it: new ids above every row, as the agent's own inserts get
                continue
            }
            if let free = try ids.free(gap.rows.count, above: above, below: below) {
                gapIDs.append(free)
            } else {
                movesFrom = index
                gapIDs.append(nil)
            }
        }
        var movedRows = 0
        var movedDescendants: [MovedSession] = []
        if let movesFrom {
            if let first = plan.gaps[movesFrom].beforeRowID {
                movedRows = Int(try ids.rowCount(session: plan.sessionID, from: first))
            }
            // Rows that go above every row would come after the lineage's later sessions: those move above them.
            if ceiling != nil {
                for descendant in plan.descendants {
                    let rows = Int(try ids.rowCount(session: descendant, from: nil))
                    if rows > 0 { movedDescendants.append(.init(sessionID: descendant, rows: rows)) }
                }
            }
        }
        return IDPlacement(gapIDs: gapIDs, movesFromGap: movesFrom, movedRows: movedRows, movedDescendants: movedDescendants)
    }

    /// Where the rows go, a step per run of rows, for the dry run and the report.
    func steps(for plan: SessionRepairPlan) -> [PlacementStep] {
        var steps: [PlacementStep] = []
        for (gap, ids) in zip(plan.gaps, gapIDs) {
            guard let first = gap.rows.first else { continue }
            let anchor: PlacementStep.Anchor = gap.beforeRowID.map { .before(rowID: $0) }
                ?? plan.expected.rowIDs.last.map { .after(rowID: $0) } ?? .alone
            steps.append(.insert(rows: gap.rows.count, firstMessage: first.transcriptIndex + 1, anchor: anchor, flags: first.flags,
                                 ids: ids.flatMap { ids in ids.first.map { PlacementStep.IDs(first: $0, last: ids[ids.count - 1]) } }))
        }
        if let movesFromGap, movedRows > 0, let first = plan.gaps[movesFromGap].beforeRowID {
            steps.append(.move(rows: movedRows, fromRowID: first))
        }
        for session in movedDescendants {
            steps.append(.moveContinuation(sessionID: session.sessionID, rows: session.rows))
        }
        return steps
    }
}

/// The message ids in use, asked of the database as it is now.
struct IDSpace {
    let connection: SQLiteConnection
    /// The lowest id already promised to rows not yet written, if lower than any in use.
    var lowestTaken: Int64? = nil

    /// The highest id of any row of `sessions`; nil when they have none.
    func highest(inSessions sessions: [SessionID]) throws(SQLiteError) -> Int64? {
        try extreme("max", sessions)
    }

    /// The lowest id of any row of `sessions`; nil when they have none.
    func lowest(inSessions sessions: [SessionID]) throws(SQLiteError) -> Int64? {
        try extreme("min", sessions)
    }

    /// How many rows of `session` have ids from `first` on (every row with nil), bookkeeping rows included.
    func rowCount(session: SessionID, from first: Int64?) throws(SQLiteError) -> Int64 {
        try connection.prepare(HermesStatements.sessionRowCountFromID)
            .singleInteger([session.sqlValue, .integer(first ?? .min)]) ?? 0
    }

    /// `count` free ids, ascending, between `above` and `below` (neither included), as close below `below` as they
    /// come; nil when there are not that many. With no `above`, the ids below the lowest in use are all free.
    func free(_ count: Int, above: Int64?, below: Int64) throws(SQLiteError) -> [Int64]? {
        guard count > 0 else { return [] }
        guard let above else {
            // Positive ids while there are enough of them; never 0, which Python's `if message_id:` takes for none.
            let lowest = min(try optionalInteger(HermesStatements.lowestMessageID, []) ?? below, below, lowestTaken ?? .max)
            let top = lowest > Int64(count) ? lowest : min(lowest, 0)
            let (bottom, overflow) = top.subtractingReportingOverflow(Int64(count))
            return overflow ? nil : Array(bottom..<top)
        }
        let (span, overflow) = below.subtractingReportingOverflow(above)
        guard !overflow, span > 1 else { return nil }
        let used = try connection.prepare(HermesStatements.messageIDsUsedBetween)
            .singleInteger([.integer(above), .integer(below)]) ?? 0
        guard span - 1 - used >= Int64(count) else { return nil }
        let rows = try connection.prepare(HermesStatements.messageIDsBetweenDescending)
        try rows.bind([.integer(above), .integer(below)])
        var found: [Int64] = []
        var candidate = below - 1
        while found.count < count, candidate > above {
            let next = try rows.step() ? rows.integer(0) : above
            while found.count < count, candidate > next {
                found.append(candidate)
                candidate -= 1
            }
            candidate = next - 1
        }
        rows.reset()
        return found.count == count ? found.reversed() : nil
    }

    private func extreme(_ function: String, _ sessions: [SessionID]) throws(SQLiteError) -> Int64? {
        guard !sessions.isEmpty else { return nil }
        return try optionalInteger(HermesStatements.extremeMessageID(function, sessionCount: sessions.count), sessions.map(\.sqlValue))
    }

    private func optionalInteger(_ sql: String, _ values: [SQLiteStatement.Value]) throws(SQLiteError) -> Int64? {
        let statement = try connection.prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() && !statement.isNull(0) ? statement.integer(0) : nil
    }
}
