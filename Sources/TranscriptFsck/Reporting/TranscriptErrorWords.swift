extension TranscriptError: CustomStringConvertible {
    public var description: String { "\(path): \(detail); \(hint)" }

    /// The place and reason, without the path: for reports that show the path in a column of its own.
    var detail: String { place.prefixing(reason) }

    var reason: String { defect.reason }

    /// What the operator can do about it.
    var hint: String { defect.hint }
}

extension TranscriptError.Place {
    /// `reason` after the place it was found at: `line 3 (byte 120): ...`, `byte 40: ...`, or alone for the file.
    func prefixing(_ reason: String) -> String {
        switch self {
        case .line(let line, let offset): "line \(line) (byte \(offset)): \(reason)"
        case .byte(let offset): "byte \(offset): \(reason)"
        case .file: reason
        }
    }
}

extension TranscriptError.Defect {
    var reason: String {
        switch self {
        case .cannotOpen(let code): "cannot open: \(POSIX.describe(code))"
        case .readFailed(let code): "read failed: \(POSIX.describe(code))"
        case .emptyArchive: "empty file, not a gzip stream"
        case .gzipEndsEarly: "gzip stream ends early (the file was cut short)"
        case .corruptGzip(let message): "corrupt gzip data (\(message))"
        case .zlibOutOfMemory: "zlib ran out of memory"
        case .expandsTooFar(let ratio, let mebibytes, let stored):
            "compressed data expands more than \(ratio) times (\(mebibytes) MiB from \(stored) bytes); refused as a likely compression bomb"
        case .gzipMakesNoProgress: "gzip stream makes no progress"
        case .emptyZstd: "empty file, not a zstd stream"
        case .zstdEndsEarly: "zstd stream ends early (the file was cut short)"
        case .corruptZstd(let message): "corrupt zstd data (\(message))"
        case .zstdMakesNoProgress: "zstd stream makes no progress"
        case .lineTooLong(let limit): "line is longer than the limit of \(limit) MiB"
        case .noMemoryForLine(let mebibytes): "cannot get \(mebibytes) MiB of memory for this line"
        case .notAMessage(let column, let parserSays): "column \(column): \(parserSays)"
        }
    }

    var hint: String {
        switch self {
        case .cannotOpen, .readFailed: "check that the file exists and is readable by this user"
        case .emptyArchive, .emptyZstd: "remove the empty archive or restore it from a backup, then scan again"
        case .expandsTooFar: "inspect the file by hand; a real transcript does not compress this well"
        case .gzipEndsEarly, .corruptGzip, .zlibOutOfMemory, .gzipMakesNoProgress, .zstdEndsEarly, .corruptZstd, .zstdMakesNoProgress,
             .lineTooLong, .noMemoryForLine, .notAMessage:
            "the session is left as it is; restore the file from a backup or fix the named place, then scan again"
        }
    }
}
