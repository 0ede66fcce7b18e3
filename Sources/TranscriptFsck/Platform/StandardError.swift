#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard error with one `write(2)` per call, so lines from several threads never interleave mid-line.
public enum StandardError {
    public static func write(_ text: String) {
        var text = text
        // Nothing to do about a failure to write to standard error.
        _ = text.withUTF8 { POSIX.writeAll(2, UnsafeRawBufferPointer($0)) }
    }

    /// True when standard error is a terminal.
    static var isTerminal: Bool { isatty(2) == 1 }

    /// True when a progress line redrawn in place belongs on standard error: a terminal that can redraw one (not
    /// `TERM=dumb`, an editor's shell), and no `NO_COLOR` (whoever sets it asks for plain, unanimated output).
    static var takesProgress: Bool {
        isTerminal && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) != "dumb" } ?? true
    }
}
