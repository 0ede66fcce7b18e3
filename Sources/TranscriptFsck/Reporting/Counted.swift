/// "1 session", "2 sessions": a count with its noun, and the verb that agrees with it.
struct Counted {
    let count: Int
    let singular: String

    init(_ count: Int, _ singular: String) {
        self.count = count
        self.singular = singular
    }

    /// `1 session` or `3 sessions`.
    package var text: String { "\(count) \(count == 1 ? singular : singular + "s")" }

    /// `1 session was` / `3 sessions were`, and the like: the form of the verb for this count.
    func with(_ singularVerb: String, _ pluralVerb: String) -> String { text + " " + (count == 1 ? singularVerb : pluralVerb) }
}
