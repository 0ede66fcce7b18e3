/// What the database's session row says of a session, as `--source` and `--started-after` match it.
struct SessionFacts: Sendable, Equatable {
    var hasSessionRow: Bool
    var source: String?
    var startedAt: Double?
}
