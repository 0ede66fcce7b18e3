/// Why a transcript could not be read whole; prints as one line naming the file and the place.
///
/// `sessions/abc.jsonl.gz: byte 18231: gzip stream ends early (the file was cut short); ...`
public struct TranscriptError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where in the file the trouble is.
    public enum Place: Sendable, Equatable {
        /// A 1-based line of the (uncompressed) text, with the byte offset where it starts.
        case line(Int, byteOffset: Int)
        /// A byte offset in the file as stored (compressed, for gzip).
        case byte(Int)
        /// The file as a whole.
        case file
    }

    public let path: String
    public let place: Place
    public let reason: String
    /// What the operator can do about it.
    public let hint: String

    public init(path: String, place: Place, reason: String, hint: String) {
        self.path = path
        self.place = place
        self.reason = reason
        self.hint = hint
    }

    /// The place and reason, without the path: for reports that show the path in a column of its own.
    public var detail: String {
        switch place {
        case .line(let line, let offset): return "line \(line) (byte \(offset)): \(reason)"
        case .byte(let offset): return "byte \(offset): \(reason)"
        case .file: return reason
        }
    }

    public var description: String { "\(path): \(detail); \(hint)" }
}

extension TranscriptError {
    static let hintDamaged = "the session is left as it is; restore the file from a backup or fix the named place, then scan again"
    static let hintUnreadable = "check that the file exists and is readable by this user"
}
