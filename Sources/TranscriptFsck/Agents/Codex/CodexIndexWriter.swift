/// The repair's two writes to codex's thread index (`state_5.sqlite`) and the projection rows a removed thread leaves.
/// Each is one `BEGIN IMMEDIATE` transaction.
struct CodexIndexWriter {
    let connection: SQLiteConnection

    /// Makes codex's next start run its backfill again, which re-reads every rollout and upserts each thread's row:
    /// codex keeps a single row in `backfill_state` and, finding none, inserts it `pending` and backfills (its
    /// `ensure_backfill_state_row`), as in a database it has just made. A `running` row is deleted too: the repair runs
    /// with codex stopped, so a codex that stopped in the middle of its backfill left it, and 0.163.0 finding it waits
    /// 30 s for that backfill and then fails to start. Returns false when the backfill is already pending.
    func resetBackfill() throws(FsckError) -> Bool {
        var reset = false
        try transaction {
            guard try backfill() == .toReset else { return .rollback }
            try connection.execute("DELETE FROM backfill_state")
            reset = true
            return .commit
        }
        return reset
    }

    /// Where codex's start-up backfill stands.
    enum Backfill: Equatable {
        /// Codex's next start backfills: no row, or a `pending` one.
        case pending
        /// Done (`complete`), or left `running` by a codex that stopped: `resetBackfill` makes it pending.
        case toReset
        /// No `backfill_state` table: codex 0.163.0 fails to start with such a database, so nothing can be handed to it.
        case noTable
    }

    func backfillState() throws(FsckError) -> Backfill {
        do {
            return try backfill()
        } catch {
            throw FsckError(error, path: connection.path)
        }
    }

    private func backfill() throws(SQLiteError) -> Backfill {
        guard try connection.hasTable("backfill_state") else { return .noTable }
        return try connection.prepare("SELECT count(*) FROM backfill_state WHERE status <> 'pending'").singleInteger() == 0 ? .pending : .toReset
    }

    /// What `removeStaleRow` did.
    enum Removal: Equatable {
        case removed
        /// No row of the thread names that path any more.
        case rowGone
        /// Something is at the path now (restored since the audit): the row is kept.
        case pathTaken
    }

    /// Deletes the row of `threadID` when it still names `rolloutPath` and no file is there.
    /// Its `thread_dynamic_tools` rows go with it, as their foreign key's `ON DELETE CASCADE` says.
    func removeStaleRow(threadID: String, rolloutPath: String, first removeProjection: () throws(FsckError) -> Void) throws(FsckError) -> Removal {
        var removed = Removal.rowGone
        try transaction {
            let select = try connection.prepare("SELECT count(*) FROM threads WHERE id = ?1 AND rollout_path = ?2")
            guard try select.singleInteger([.text(threadID), .text(rolloutPath)]) == 1 else { return .rollback }
            guard !POSIX.exists(rolloutPath), !POSIX.exists(rolloutPath + ".zst") else {
                removed = .pathTaken
                return .rollback
            }
            // The projection goes first, in its own database's transaction: killed between the two, the row is left
            // stale and the next run removes it, where the other order would leave projection rows of no thread at all.
            try removeProjection()
            if try connection.hasTable("thread_dynamic_tools") {
                try connection.prepare("DELETE FROM thread_dynamic_tools WHERE thread_id = ?1").run([.text(threadID)])
            }
            try connection.prepare("DELETE FROM threads WHERE id = ?1").run([.text(threadID)])
            removed = .removed
            return .commit
        }
        return removed
    }

    /// Deletes a thread's projection, as codex's own thread deletion does, from whichever of its tables exist.
    static func removeProjection(threadID: String, in connection: SQLiteConnection) throws(FsckError) {
        try CodexIndexWriter(connection: connection).transaction {
            for table in ["thread_items", "thread_realtime_items", "thread_turns", "thread_history_projection_state"] where try connection.hasTable(table) {
                try connection.prepare("DELETE FROM \(table) WHERE thread_id = ?1").run([.text(threadID)])
            }
            return .commit
        }
    }

    private func transaction(_ body: () throws -> SQLiteConnection.TransactionCompletion) throws(FsckError) {
        do {
            try connection.inTransaction(.immediate, body)
        } catch let error as SQLiteError {
            throw FsckError(error, path: connection.path)
        } catch let error as FsckError {
            throw error
        } catch {
            throw .unexpected(path: connection.path, error: "\(error)")
        }
    }
}
