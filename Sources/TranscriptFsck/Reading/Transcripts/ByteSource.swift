/// A stream of a transcript's bytes as the text was written: plain files as they are, compressed ones decoded
/// (`CompressedFileSource`).
protocol ByteSource: ~Copyable {
    /// Fills the start of `buffer`; returns 0 only at the end of the text.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TranscriptError) -> Int
    /// Bytes of the file as stored consumed so far (compressed bytes for gzip and zstd).
    var storedBytesRead: Int { get }
}

/// A transcript file open for reading, closed when the value goes away; its failures name the file and the offset.
struct TranscriptFile: ~Copyable {
    private let descriptor: FileDescriptor
    let path: String

    init(path: String) throws(TranscriptError) {
        do { descriptor = try FileDescriptor(opening: path) } catch {
            throw TranscriptError(path: path, place: .file, defect: .cannotOpen(errno: error.rawValue))
        }
        self.path = path
    }

    deinit { descriptor.close() }

    /// Reads up to `buffer.count` bytes.
    func read(into buffer: UnsafeMutableRawBufferPointer, storedOffset: Int) throws(TranscriptError) -> Int {
        do { return try descriptor.read(into: buffer) } catch {
            throw TranscriptError(path: path, place: .byte(storedOffset), defect: .readFailed(errno: error.rawValue))
        }
    }
}

/// A plain `.jsonl` file.
struct PlainFileSource: ByteSource, ~Copyable {
    private let file: TranscriptFile
    private(set) var storedBytesRead = 0

    init(path: String) throws(TranscriptError) {
        file = try TranscriptFile(path: path)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TranscriptError) -> Int {
        let count = try file.read(into: buffer, storedOffset: storedBytesRead)
        storedBytesRead += count
        return count
    }
}
