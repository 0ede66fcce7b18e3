#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The transcript timestamp the agent writes: `datetime.fromtimestamp(t).isoformat()`, local time
/// without a zone, with microseconds unless they are zero (as Python leaves them out).
///
/// `TimestampParser` reads it back.
public enum TranscriptTimestamp {
    public static func localISO8601(_ epoch: Double) -> String {
        var seconds = time_t(epoch.rounded(.down))
        var microseconds = Int(((epoch - Double(seconds)) * 1_000_000).rounded())
        if microseconds == 1_000_000 { seconds += 1; microseconds = 0 }
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let base = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard microseconds > 0 else { return base }
        let digits = String(microseconds)
        return base + "." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
