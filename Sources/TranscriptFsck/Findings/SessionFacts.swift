/// What the database's session row says of a session, as `--source` and `--started-after` match it.
public struct SessionFacts: Sendable, Equatable {
    public var hasSessionRow: Bool
    public var source: String?
    public var startedAt: Double?
}
