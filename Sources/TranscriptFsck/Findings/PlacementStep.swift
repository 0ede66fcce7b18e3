/// One step of where a repair puts a session's rows.
enum PlacementStep: Sendable, Equatable {
    /// `rows` transcript messages from `firstMessage` (1-based) on, inserted at `anchor`, with flags taken from
    /// their neighbours (nil: live), under `ids` (nil: new ids above every row).
    case insert(rows: Int, firstMessage: Int, anchor: Anchor, flags: RowFlags?, ids: IDs?)
    /// The `rows` rows from `fromRowID` on get new ids behind the inserted ones, every value kept.
    case move(rows: Int, fromRowID: Int64)
    /// The `rows` rows of `sessionID`, which continues this session, get new ids after it, every value kept, so that
    /// the lineage still reads in order.
    case moveContinuation(sessionID: SessionID, rows: Int)

    enum Anchor: Sendable, Equatable {
        /// The session had no rows.
        case alone
        case after(rowID: Int64)
        case before(rowID: Int64)
    }

    /// The ids inserted rows take: from `first` to `last`, ascending (free ids, not always consecutive).
    struct IDs: Sendable, Equatable {
        let first: Int64
        let last: Int64
    }

    /// True for a step that gives existing rows new ids.
    var movesRows: Bool {
        switch self {
        case .insert: false
        case .move, .moveContinuation: true
        }
    }
}
