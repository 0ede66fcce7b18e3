/// The rows codex 0.163.0 keeps in `thread_history_1.sqlite` for one paginated thread, column for column: what
/// `CodexProjector` derives from the rollout and what `CodexProjectionWriter` compares with the rows codex wrote.
struct CodexProjectionRows: Sendable, Equatable {
    /// One row of `thread_turns`.
    struct Turn: Sendable, Equatable {
        var turnID: String
        var rolloutOrdinal: Int
        var rolloutByteOffset: Int
        var rolloutEndOrdinal: Int?
        var rolloutEndByteOffset: Int?
        var status: String
        var errorJSON: String?
        var startedAt: Int?
        var completedAt: Int?
        var durationMs: Int?
        var firstUserItemID: String?
        var finalAgentItemID: String?
        var rootTurnID: String?
    }

    /// One row of `thread_items`.
    struct Item: Sendable, Equatable {
        var turnID: String
        var itemID: String
        var rolloutOrdinal: Int
        var createdAtMs: Int
        var itemJSON: String
        var itemType: String
        var updatedAtOrdinal: Int
        var startedAtMs: Int?
        var completedAtMs: Int?

        /// The row's key within its thread (`thread_items`' primary key is thread, turn and item).
        var key: String { turnID + "\u{0}" + itemID }
    }

    var turns: [Turn] = []
    var items: [Item] = []
    /// `thread_history_projection_state`: the end of the last line read, and the count of lines.
    var cursor = CodexProjection.Cursor(byteOffset: 0, ordinal: 0)
}
