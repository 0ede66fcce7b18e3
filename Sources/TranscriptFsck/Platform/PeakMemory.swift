#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The most memory this process has held resident, from `/proc/self/status` (VmHWM).
///
/// Not `getrusage`: on Linux its maximum carries over from the parent of a forked child, so a
/// small tool started by a large process would report the parent's size.
enum PeakMemory {
    static func residentBytes() -> Int? {
        ProcFile.firstLine(in: "/proc/self/status") { line in
            guard line.hasPrefix("VmHWM:") else { return nil }
            return Int(line.dropFirst(6).filter(\.isNumber)).map { $0 * 1024 }
        }
    }
}
