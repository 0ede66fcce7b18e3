#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A date and time of day as written in a timestamp, turned into seconds since the epoch the C library's way.
struct CalendarTime {
    var year: Int32
    var month: Int32
    var day: Int32
    var hour: Int32
    var minute: Int32
    var second: Int32

    /// Read as UTC (`timegm`).
    var secondsSinceEpochInUTC: Int {
        var parts = self.parts
        return Int(timegm(&parts))
    }

    /// Read in the machine's local zone, daylight saving time as it was then (`mktime`); nil when it names no time there.
    var secondsSinceEpochInLocalZone: Int? {
        var parts = self.parts
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds == -1 ? nil : Int(seconds)
    }

    private var parts: tm {
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return parts
    }
}
