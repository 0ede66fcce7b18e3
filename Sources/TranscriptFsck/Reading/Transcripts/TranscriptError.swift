/// Why a transcript could not be read whole: the file, the place and the defect, as facts; worded in Reporting
/// (`TranscriptErrorWords.swift`) as one line naming the file and the place.
///
/// `sessions/abc.jsonl.gz: byte 18231: gzip stream ends early (the file was cut short); ...`
public struct TranscriptError: Error, Sendable, Equatable {
    /// Where in the file the trouble is.
    enum Place: Sendable, Equatable {
        /// A 1-based line of the (uncompressed) text, with the byte offset where it starts.
        case line(Int, byteOffset: Int)
        /// A byte offset in the file as stored (compressed, for gzip and zstd).
        case byte(Int)
        /// The file as a whole.
        case file
    }

    /// What is wrong there.
    enum Defect: Sendable, Equatable {
        case cannotOpen(errno: Int32)
        case readFailed(errno: Int32)
        /// A `.jsonl.gz` of no bytes at all.
        case emptyArchive
        /// The last gzip member stops before its end: the file was cut short.
        case gzipEndsEarly
        case corruptGzip(zlibMessage: String)
        case zlibOutOfMemory
        /// Text beyond `ratio` times the bytes read: `mebibytes` MiB from `storedBytes` bytes, refused as a compression bomb.
        case expandsTooFar(ratio: Int, mebibytes: Int, storedBytes: Int)
        case gzipMakesNoProgress
        /// A `.jsonl.zst` of no bytes at all.
        case emptyZstd
        /// The last zstd frame stops before its end: the file was cut short.
        case zstdEndsEarly
        /// Not zstd data, a damaged frame, or a frame whose window is past the limit; zstd's error name.
        case corruptZstd(zstdMessage: String)
        case zstdMakesNoProgress
        case lineTooLong(limitMebibytes: Int)
        case noMemoryForLine(mebibytes: Int)
        /// The line is not a JSON message; `parserSays` is the JSON scanner's reason, at the 1-based `column`.
        case notAMessage(column: Int, parserSays: String)
    }

    let path: String
    let place: Place
    let defect: Defect

    init(path: String, place: Place, defect: Defect) {
        self.path = path
        self.place = place
        self.defect = defect
    }
}
