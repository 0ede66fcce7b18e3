/// The transcript timestamp the agent writes: `datetime.fromtimestamp(t).isoformat()`, local time
/// without a zone, with microseconds unless they are zero (as Python leaves them out).
///
/// `TimestampParser` reads it back.
package enum TranscriptTimestamp {
    package static func localISO8601(_ epoch: Double) -> String {
        var seconds = Int(epoch.rounded(.down))
        var microseconds = Int(((epoch - Double(seconds)) * 1_000_000).rounded())
        if microseconds == 1_000_000 { seconds += 1; microseconds = 0 }
        let base = LocalTime.format(seconds, "%Y-%m-%dT%H:%M:%S")
        guard microseconds > 0 else { return base }
        let digits = String(microseconds)
        return base + "." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
