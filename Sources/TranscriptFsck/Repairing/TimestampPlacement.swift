/// Chooses timestamps for backfilled rows so that `ORDER BY timestamp, id` (the earliest agents' order)
/// reads them in transcript order, as `ORDER BY id` (every released agent's) does.
///
/// The rows after a gap are rewritten behind it (SessionRepairPlan), so along the session ids rise in
/// transcript order and a new row may share its timestamp with either neighbour.
enum TimestampPlacement {
    /// Timestamps for the messages of one gap, in order: each message's own time where it fits, else the
    /// nearest time that keeps the order.
    ///
    /// - Parameters:
    ///   - wanted: the messages' transcript times (epoch seconds), nil where unknown.
    ///   - lower: the timestamp of the existing row just before the gap, if any.
    ///   - upper: the timestamp of the existing row just after the gap, if any.
    ///   - fallback: the time to use when neither the messages nor the neighbours give one.
    static func place(_ wanted: [Double?], after lower: Double?, before upper: Double?, fallback: Double) -> [Double] {
        // Unknown times take the previous known time, else the next one, else the neighbours'.
        var known = wanted
        var previous = lower
        for index in known.indices {
            if known[index] == nil { known[index] = previous } else { previous = known[index] }
        }
        var following = upper
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
        // ...and never after the row after.
        if var limit = upper {
            for index in times.indices.reversed() {
                times[index] = min(times[index], limit)
                limit = times[index]
            }
        }
        return times
    }
}
