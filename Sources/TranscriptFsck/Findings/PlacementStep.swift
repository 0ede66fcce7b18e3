/// One step of where a repair puts a session's rows.
public enum PlacementStep: Sendable, Equatable {
    /// `rows` transcript messages from `firstMessage` (1-based) on, inserted at `anchor`, with flags taken from
    /// their neighbours (nil: live).
    case insert(rows: Int, firstMessage: Int, anchor: Anchor, flags: RowFlags?)
    /// The `rows` rows from `fromRowID` on get new ids behind the inserted ones, every value kept.
    case move(rows: Int, fromRowID: Int64)

    public enum Anchor: Sendable, Equatable {
        /// The session had no rows.
        case alone
        case after(rowID: Int64)
        case before(rowID: Int64)
    }
}
