/// Writes one thread's projection into `thread_history_1.sqlite` in one `BEGIN IMMEDIATE` transaction, as codex's
/// writer advances it: the rows the projection lacks are inserted and the cursor is set to the rollout's end.
///
/// Rows codex already wrote are never rewritten: each must equal, column for column, the row derived from the rollout
/// (a turn codex left `inProgress` is the one exception: it is completed, as codex's upsert would). Any other
/// difference refuses the thread, so the repair never changes what codex wrote, and a derivation that is wrong for some
/// shape shows as a refusal, not as rows unlike codex's.
struct CodexProjectionWriter {
    let connection: SQLiteConnection

    static let turnColumns = ["thread_id", "turn_id", "rollout_ordinal", "rollout_byte_offset", "rollout_end_ordinal",
                              "rollout_end_byte_offset", "status", "error_json", "started_at", "completed_at", "duration_ms",
                              "first_user_item_id", "final_agent_item_id", "root_turn_id"]
    static let itemColumns = ["thread_id", "turn_id", "item_id", "rollout_ordinal", "created_at_ms", "item_json", "item_type",
                              "updated_at_ordinal", "started_at_ms", "completed_at_ms"]

    /// What the write did.
    enum Outcome: Sendable, Equatable {
        case written(turns: Int, items: Int)
        /// The projection already held every row and its cursor was at the end.
        case alreadyWhole
        case refused(CodexRefusal)
    }

    /// The tables' columns must be the ones this version writes, no more (a column of a later codex would be left
    /// NULL, which that codex may not expect) and no fewer; and no trigger but codex's own may fire on them, as the
    /// repair's inserts would fire it (one deleting other threads' turns did so).
    func checkSchema() throws(SQLiteError) -> CodexRefusal? {
        let triggers = try connection.prepare("""
            SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'
            AND tbl_name IN ('thread_turns', 'thread_items', 'thread_history_projection_state')
            AND NOT (name = 'thread_realtime_items_projection_cleanup' AND tbl_name = 'thread_history_projection_state')
            ORDER BY name
            """)
        if try triggers.step() {
            return .unknownProjectionSchema(detail: "a trigger \(triggers.text(0) ?? "") on \(triggers.text(1) ?? ""), which codex does not make")
        }
        for (table, expected) in [("thread_turns", Self.turnColumns), ("thread_items", Self.itemColumns),
                                  ("thread_history_projection_state", ["thread_id", "next_rollout_byte_offset", "next_rollout_ordinal"])] {
            let statement = try connection.prepare("SELECT name FROM pragma_table_info(?1)")
            try statement.bind([.text(table)])
            var found: Set<String> = []
            while try statement.step() { found.insert(statement.text(0) ?? "") }
            if found != Set(expected) {
                // An empty file is a database with no tables: "has columns " said nothing.
                return .unknownProjectionSchema(detail: found.isEmpty ? "it has no \(table) table"
                                                                      : "\(table) has columns \(found.sorted().joined(separator: ", "))")
            }
        }
        return nil
    }

    /// Writes the rows the projection lacks; `dryRun` reads and compares the same way and writes nothing.
    func write(threadID: String, rows: CodexProjectionRows, dryRun: Bool = false) throws(FsckError) -> Outcome {
        var outcome = Outcome.alreadyWhole
        do {
            try connection.inTransaction(dryRun ? .deferred : .immediate) {
                if let refusal = try checkSchema() {
                    outcome = .refused(refusal)
                    return .rollback
                }
                let existingTurns = try turns(of: threadID)
                let existingItems = try items(of: threadID)
                let cursor = try self.cursor(of: threadID)
                if let cursor, cursor.byteOffset > rows.cursor.byteOffset || cursor.ordinal > rows.cursor.ordinal {
                    outcome = .refused(.changedSinceAudit)
                    return .rollback
                }
                let derivedTurns = Dictionary(rows.turns.map { ($0.turnID, $0) }, uniquingKeysWith: { first, _ in first })
                let derivedItems = Dictionary(rows.items.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                var completing: [CodexProjectionRows.Turn] = []
                for turn in existingTurns where derivedTurns[turn.turnID] != turn {
                    guard let derived = derivedTurns[turn.turnID], Self.isUnfinished(turn, of: derived) else {
                        outcome = .refused(.projectionRowDiffers(table: "thread_turns", rowID: turn.turnID))
                        return .rollback
                    }
                    completing.append(derived)
                }
                for item in existingItems where derivedItems[item.key] != item {
                    outcome = .refused(.projectionRowDiffers(table: "thread_items", rowID: item.itemID))
                    return .rollback
                }
                let haveTurns = Set(existingTurns.map(\.turnID))
                let haveItems = Set(existingItems.map(\.key))
                let newTurns = rows.turns.filter { !haveTurns.contains($0.turnID) }
                let newItems = rows.items.filter { !haveItems.contains($0.key) }
                guard !newTurns.isEmpty || !newItems.isEmpty || !completing.isEmpty || cursor != rows.cursor else { return .rollback }
                if dryRun {
                    outcome = .written(turns: newTurns.count + completing.count, items: newItems.count)
                    return .rollback
                }
                try insert(turns: newTurns + completing, replacing: !completing.isEmpty, threadID: threadID)
                try insert(items: newItems, threadID: threadID)
                try connection.prepare("""
                    INSERT INTO thread_history_projection_state (thread_id, next_rollout_byte_offset, next_rollout_ordinal)
                    VALUES (?1, ?2, ?3) ON CONFLICT(thread_id) DO UPDATE SET
                    next_rollout_byte_offset = excluded.next_rollout_byte_offset, next_rollout_ordinal = excluded.next_rollout_ordinal
                    """).run([.text(threadID), .integer(Int64(rows.cursor.byteOffset)), .integer(Int64(rows.cursor.ordinal))])
                outcome = .written(turns: newTurns.count + completing.count, items: newItems.count)
                return .commit
            }
        } catch let error as SQLiteError {
            throw FsckError(error, path: connection.path)
        } catch {
            throw .unexpected(path: connection.path, error: "\(error)")
        }
        return outcome
    }

    /// A turn codex projected while it ran (`inProgress`, no end) that the rollout shows ended.
    private static func isUnfinished(_ turn: CodexProjectionRows.Turn, of derived: CodexProjectionRows.Turn) -> Bool {
        turn.status == "inProgress" && turn.rolloutEndOrdinal == nil && turn.rolloutOrdinal == derived.rolloutOrdinal
            && turn.rolloutByteOffset == derived.rolloutByteOffset
    }

    func turns(of threadID: String) throws(SQLiteError) -> [CodexProjectionRows.Turn] {
        let select = try connection.prepare("SELECT \(Self.turnColumns.dropFirst().joined(separator: ", ")) FROM thread_turns WHERE thread_id = ?1")
        try select.bind([.text(threadID)])
        var turns: [CodexProjectionRows.Turn] = []
        while try select.step() {
            turns.append(CodexProjectionRows.Turn(
                turnID: select.text(0) ?? "", rolloutOrdinal: Int(select.integer(1)), rolloutByteOffset: Int(select.integer(2)),
                rolloutEndOrdinal: select.optionalInteger(3), rolloutEndByteOffset: select.optionalInteger(4), status: select.text(5) ?? "",
                errorJSON: select.text(6), startedAt: select.optionalInteger(7), completedAt: select.optionalInteger(8),
                durationMs: select.optionalInteger(9), firstUserItemID: select.text(10), finalAgentItemID: select.text(11),
                rootTurnID: select.text(12)))
        }
        return turns
    }

    func items(of threadID: String) throws(SQLiteError) -> [CodexProjectionRows.Item] {
        let select = try connection.prepare("SELECT \(Self.itemColumns.dropFirst().joined(separator: ", ")) FROM thread_items WHERE thread_id = ?1")
        try select.bind([.text(threadID)])
        var items: [CodexProjectionRows.Item] = []
        while try select.step() {
            items.append(CodexProjectionRows.Item(
                turnID: select.text(0) ?? "", itemID: select.text(1) ?? "", rolloutOrdinal: Int(select.integer(2)),
                createdAtMs: Int(select.integer(3)), itemJSON: select.text(4) ?? "", itemType: select.text(5) ?? "",
                updatedAtOrdinal: Int(select.integer(6)), startedAtMs: select.optionalInteger(7), completedAtMs: select.optionalInteger(8)))
        }
        return items
    }

    func cursor(of threadID: String) throws(SQLiteError) -> CodexProjection.Cursor? {
        let select = try connection.prepare("SELECT next_rollout_byte_offset, next_rollout_ordinal FROM thread_history_projection_state WHERE thread_id = ?1")
        try select.bind([.text(threadID)])
        guard try select.step() else { return nil }
        return CodexProjection.Cursor(byteOffset: Int(select.integer(0)), ordinal: Int(select.integer(1)))
    }

    private func insert(turns: [CodexProjectionRows.Turn], replacing: Bool, threadID: String) throws(SQLiteError) {
        guard !turns.isEmpty else { return }
        let insert = try connection.prepare("INSERT \(replacing ? "OR REPLACE " : "")INTO thread_turns (\(Self.turnColumns.joined(separator: ", "))) "
                                            + "VALUES (\((1...Self.turnColumns.count).map { "?\($0)" }.joined(separator: ", ")))")
        for turn in turns {
            try insert.run([.text(threadID), .text(turn.turnID), .integer(Int64(turn.rolloutOrdinal)), .integer(Int64(turn.rolloutByteOffset)),
                            .optional(turn.rolloutEndOrdinal), .optional(turn.rolloutEndByteOffset), .text(turn.status),
                            .optional(turn.errorJSON), .optional(turn.startedAt), .optional(turn.completedAt), .optional(turn.durationMs),
                            .optional(turn.firstUserItemID), .optional(turn.finalAgentItemID), .optional(turn.rootTurnID)])
        }
    }

    private func insert(items: [CodexProjectionRows.Item], threadID: String) throws(SQLiteError) {
        guard !items.isEmpty else { return }
        let insert = try connection.prepare("INSERT INTO thread_items (\(Self.itemColumns.joined(separator: ", "))) "
                                            + "VALUES (\((1...Self.itemColumns.count).map { "?\($0)" }.joined(separator: ", ")))")
        for item in items {
            try insert.run([.text(threadID), .text(item.turnID), .text(item.itemID), .integer(Int64(item.rolloutOrdinal)),
                            .integer(Int64(item.createdAtMs)), .text(item.itemJSON), .text(item.itemType), .integer(Int64(item.updatedAtOrdinal)),
                            .optional(item.startedAtMs), .optional(item.completedAtMs)])
        }
    }
}

extension SQLiteStatement {
    func optionalInteger(_ column: Int32) -> Int? { isNull(column) ? nil : Int(integer(column)) }
}

extension SQLiteStatement.Value {
    static func optional(_ value: Int?) -> Self { value.map { .integer(Int64($0)) } ?? .null }
    static func optional(_ value: String?) -> Self { value.map { .text($0) } ?? .null }
}
