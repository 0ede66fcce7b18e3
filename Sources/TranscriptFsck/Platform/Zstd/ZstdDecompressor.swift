import CZstd

/// Decompresses a zstd stream of any number of concatenated frames (skippable ones included), chunk by chunk.
///
/// The only owner of a `ZSTD_DStream`. Its memory is bounded by the frame's window, which is capped at
/// `windowLogLimit`: a frame that asks for more is refused rather than given the memory.
final class ZstdDecompressor {
    /// Why decompressing stopped: the data is not zstd, a frame is damaged or asks too much; zstd's error name.
    enum Failure: Error, Equatable {
        case corrupt(String)
    }

    /// 2^27 bytes (128 MiB), zstd's own default limit: what `zstd -d` decodes without `--long` or `--memory`.
    static let windowLogLimit: Int32 = 27

    private let stream: OpaquePointer
    /// True between a frame's first byte and its end: the file ending there was cut short.
    private(set) var isInsideFrame = false

    init() {
        guard let stream = ZSTD_createDStream() else { preconditionFailure("ZSTD_createDStream failed: zstd cannot start") }
        self.stream = stream
        let code = ZSTD_DCtx_setParameter(stream, ZSTD_d_windowLogMax, Self.windowLogLimit)
        precondition(ZSTD_isError(code) == 0, "ZSTD_DCtx_setParameter failed: \(Self.errorName(code))")
    }

    deinit { ZSTD_freeDStream(stream) }

    /// Decompresses from `input` into `output`; returns the bytes consumed and produced, and why it stopped, if it did:
    /// what was produced before the damage is good text, and `consumed` is as far as zstd read before it found it.
    ///
    /// With no input, it hands out what it still holds of a frame it has read. A new frame starts wherever one ends.
    func decompress(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, failure: Failure?) {
        guard let outputBase = output.baseAddress, output.count > 0 else { return (0, 0, nil) }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: outputBase, size: output.count, pos: 0)
        // One call at a time: it stops when the output is full or the input used up, and reports a frame's end by 0.
        while target.pos < target.size {
            let before = (source.pos, target.pos)
            let code = ZSTD_decompressStream(stream, &target, &source)
            if ZSTD_isError(code) != 0 { return (source.pos, target.pos, .corrupt(Self.errorName(code))) }
            if code == 0 {
                isInsideFrame = false
                if source.pos == source.size { break }
            } else if source.pos > before.0 || target.pos > before.1 {
                isInsideFrame = true
            }
            if (source.pos, target.pos) == before { break }
        }
        return (source.pos, target.pos, nil)
    }

    private static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }
}
