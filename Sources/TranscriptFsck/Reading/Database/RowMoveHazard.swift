/// Why giving a message row a new id (a copy, then the original deleted) could lose or break something.
public enum RowMoveHazard: Sendable, Equatable {
    /// A table whose foreign key references message rows by id.
    case referencingTable(String)
    /// A trigger that runs when a message row is inserted or deleted and writes tables beyond the full-text index.
    case trigger(String, writes: [String])
}
