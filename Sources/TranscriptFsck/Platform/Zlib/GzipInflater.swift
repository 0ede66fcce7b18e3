import CZlib

/// Inflates a gzip stream of any number of concatenated members, chunk by chunk.
///
/// The only owner of an inflating `z_stream`. zlib keeps a pointer back to the stream,
/// so the stream lives at a fixed heap address for the inflater's whole life.
final class GzipInflater {
    /// Why inflating stopped.
    enum Failure: Error, Equatable {
        /// The data is not gzip, or a member is damaged; zlib's message.
        case corrupt(String)
        /// zlib could not get memory.
        case outOfMemory
    }

    private let stream: UnsafeMutablePointer<z_stream>
    /// True between the start of a member and its trailer.
    private(set) var isInsideMember = false
    /// True once a member has ended: what follows may be zero padding.
    private var hasEndedMember = false

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window and a gzip header and trailer, never raw or zlib data.
        let code = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(code == Z_OK, "inflateInit2 failed with \(code): zlib cannot start")
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates from `input` into `output`; returns the bytes consumed and produced, and why it stopped early, if it
    /// did: what was produced before the damage is good text, and `consumed` is where zlib found the damage.
    ///
    /// When a member ends and more input follows, the next member starts in the same call sequence.
    func inflate(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, failure: Failure?) {
        guard let outputBase = output.baseAddress, output.count > 0 else { return (0, 0, nil) }
        var consumed = 0
        // Where, in `input`, the member being inflated began (nil: before this call).
        var memberStart: Int? = stream.pointee.total_in == 0 ? 0 : nil
        var produced = 0
        while consumed < input.count, produced < output.count {
            if !isInsideMember {
                if hasEndedMember {
                    // Zero bytes after a member are padding, which gzip(1) and Python's gzip skip; a member may follow.
                    let input = input.bindMemory(to: UInt8.self)
                    while consumed < input.count, input[consumed] == 0 { consumed += 1 }
                    if consumed == input.count { break }
                }
                // A new member starts here: a fresh header is expected.
                if consumed > 0 || stream.pointee.total_in > 0 { inflateReset(stream) }
                isInsideMember = true
                memberStart = consumed
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(min(input.count - consumed, Int(UInt32.max)))
            stream.pointee.next_out = outputBase.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(min(output.count - produced, Int(UInt32.max)))
            let availableIn = Int(stream.pointee.avail_in)
            let availableOut = Int(stream.pointee.avail_out)
            let code = CZlib.inflate(stream, Z_NO_FLUSH)
            consumed += availableIn - Int(stream.pointee.avail_in)
            produced += availableOut - Int(stream.pointee.avail_out)
            switch code {
            case Z_OK:
                continue
            case Z_STREAM_END:
                isInsideMember = false
                hasEndedMember = true
            case Z_BUF_ERROR:
                return (consumed, produced, nil)
            case Z_MEM_ERROR:
                return (consumed, produced, .outOfMemory)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                // zlib names a bad header after reading it: the damage is at the member's first byte.
                if message.contains("header"), let memberStart, stream.pointee.total_out == 0 { consumed = memberStart }
                return (consumed, produced, .corrupt(message))
            }
        }
        return (consumed, produced, nil)
    }
}
