#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times in the machine's local zone, as the agent writes them and as backup names carry them.
enum LocalTime {
    /// `seconds` since the epoch through `strftime(format)` in local time.
    static func format(_ seconds: Int, _ format: String) -> String {
        var seconds = time_t(seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Now, through `strftime(format)` in local time.
    static func formatNow(_ format: String) -> String {
        self.format(Int(time(nil)), format)
    }
}
