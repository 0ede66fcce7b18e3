/// Chooses timestamps for backfilled rows so that the agent's `ORDER BY timestamp, id` reads them
/// in transcript order among the rows already there.
///
/// New rows get larger ids than every existing row, so a new row may share the timestamp of the
/// row before it but must be strictly earlier than the row after it.
enum TimestampPlacement {
    /// Timestamps for the messages of one gap, in order: each message's own time where it fits,
    /// else the nearest time that keeps the order. Nil when the gap has no room (the rows on either
    /// side share one timestamp).
    ///
    /// - Parameters:
    ///   - wanted: the messages' transcript times (epoch seconds), nil where unknown.
    ///   - lower: the timestamp of the existing row just before the gap, if any.
    ///   - upper: the timestamp of the existing row just after the gap, if any.
    ///   - fallback: the time to use when neither the messages nor the neighbours give one.
    static func place(_ wanted: [Double?], after lower: Double?, before upper: Double?, fallback: Double) -> [Double]? {
        let ceiling = upper?.nextDown
        if let ceiling, let lower, ceiling < lower { return nil }
        // Unknown times take the previous known time, else the next one, else the neighbours'.
        var known = wanted
        var previous = lower
        for index in known.indices {
            if known[index] == nil { known[index] = previous } else { previous = known[index] }
        }
        var following = ceiling
        for index in known.indices.reversed() {
            if known[index] == nil { known[index] = following } else { following = known[index] }
        }
        var times = known.map { $0 ?? fallback }
        // Never before the row before, never going backwards...
        var floor = lower ?? -.infinity
        for index in times.indices {
            times[index] = max(times[index], floor)
            floor = times[index]
        }
        // ...and strictly before the row after.
        if var limit = ceiling {
            for index in times.indices.reversed() {
                times[index] = min(times[index], limit)
                limit = times[index]
            }
        }
        return times
    }
}
