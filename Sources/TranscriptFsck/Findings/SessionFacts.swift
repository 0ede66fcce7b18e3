/// What the database's session row says of a session, as `--source` and `--started-after` match it.
public struct SessionFacts: Sendable, Equatable {
    public var hasSessionRow: Bool
    public var source: String?
    public var startedAt: Double?

    public init(hasSessionRow: Bool, source: String?, startedAt: Double?) {
        self.hasSessionRow = hasSessionRow
        self.source = source
        self.startedAt = startedAt
    }
}
