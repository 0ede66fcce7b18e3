/// One line of a transcript, without its `\n`; the bytes are valid only inside the callback.
struct Line {
    let bytes: UnsafeRawBufferPointer
    /// 1-based.
    let number: Int
    /// Offset of the line's first byte in the uncompressed text.
    let byteOffset: Int
    /// False only for a last line that the writer did not finish.
    let endsWithNewline: Bool
}

/// Splits a byte stream into lines with one reusable buffer, whatever the file's size.
///
/// Memory is the chunk size, or the longest line when a line is longer than a chunk;
/// a line past `maximumLineBytes` stops the read with an error rather than exhaust memory.
struct LineReader {
    static let chunkSize = 1 << 20

    let path: String
    let maximumLineBytes: Int

    init(path: String, maximumLineBytes: Int = ReadLimits.standard.maximumLineBytes) {
        self.path = path
        self.maximumLineBytes = maximumLineBytes
    }

    /// Calls `body` with every line in order; returns the number of uncompressed bytes read.
    func forEachLine<Source: ByteSource & ~Copyable>(
        from source: inout Source, _ body: (Line) throws(TranscriptError) -> Void
    ) throws(TranscriptError) -> Int {
        var capacity = Self.chunkSize
        // malloc and realloc, not allocate and copy: a buffer this large is mapped on its own, and realloc moves its pages
        // (mremap) rather than copying them, so a 300 MB line never holds its old and new buffers at once.
        guard var base = Memory.allocate(capacity) else { throw outOfMemory(lineNumber: 1, textOffset: 0, bytes: capacity) }
        defer { Memory.release(base) }
        var lineStart = 0          // first byte of the current, unfinished line in `buffer`
        var filled = 0             // bytes of `buffer` that hold data
        var lineNumber = 1
        var textOffset = 0         // offset in the whole text of buffer[0]
        while true {
            if filled == capacity {
                if lineStart > 0 {
                    // Keep the unfinished line, drop what was delivered.
                    let pending = filled - lineStart
                    base.copyMemory(from: base + lineStart, byteCount: pending)
                    textOffset += lineStart
                    filled = pending
                    lineStart = 0
                } else {
                    guard capacity < maximumLineBytes else {
                        throw TranscriptError(path: path, place: .line(lineNumber, byteOffset: textOffset),
                                              defect: .lineTooLong(limitMebibytes: maximumLineBytes >> 20))
                    }
                    let larger = min(capacity * 2, maximumLineBytes)
                    guard let moved = Memory.resize(base, to: larger) else {
                        throw outOfMemory(lineNumber: lineNumber, textOffset: textOffset, bytes: larger)
                    }
                    base = moved
                    capacity = larger
                }
            }
            let buffer = UnsafeMutableRawBufferPointer(start: base, count: capacity)
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<capacity]))
            if count == 0 {
                if lineStart < filled {
                    try body(Line(bytes: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<filled]), number: lineNumber,
                                  byteOffset: textOffset + lineStart, endsWithNewline: false))
                }
                return textOffset + filled
            }
            var scan = filled
            filled += count
            let text = UnsafeRawPointer(base)
            while scan < filled, let found = Memory.firstOffset(of: 0x0A, in: text + scan, count: filled - scan) {
                let end = scan + found
                try body(Line(bytes: UnsafeRawBufferPointer(start: text + lineStart, count: end - lineStart), number: lineNumber,
                              byteOffset: textOffset + lineStart, endsWithNewline: true))
                lineNumber += 1
                lineStart = end + 1
                scan = lineStart
            }
        }
    }

    private func outOfMemory(lineNumber: Int, textOffset: Int, bytes: Int) -> TranscriptError {
        TranscriptError(path: path, place: .line(lineNumber, byteOffset: textOffset),
                        defect: .noMemoryForLine(mebibytes: bytes >> 20))
    }
}
