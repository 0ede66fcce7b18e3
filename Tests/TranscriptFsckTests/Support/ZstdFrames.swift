import CZstd

/// zstd data made by the library itself for the tests, as `zstd` would write it: each part one frame with its content
/// checksum (the CLI's default), so that damage inside a frame is found, not decoded into other text.
enum ZstdFrames {
    /// `parts` compressed one frame each and concatenated.
    static func frames(_ parts: [[UInt8]], level: Int32 = 3) -> [UInt8] {
        parts.flatMap { frame(of: $0, level: level) }
    }

    static func compress(_ bytes: [UInt8], level: Int32 = 3) -> [UInt8] { frames([bytes], level: level) }

    /// A skippable frame (magic 0x184D2A50): zstd passes over its `payload` between frames.
    static func skippable(_ payload: [UInt8]) -> [UInt8] {
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        return littleEndian(0x184D_2A50) + littleEndian(UInt32(payload.count)) + payload
    }

    private static func frame(of bytes: [UInt8], level: Int32) -> [UInt8] {
        let context = ZSTD_createCCtx()!
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { ZSTD_compress2(context, out.baseAddress, out.count, $0.baseAddress, $0.count) }
        }
        precondition(ZSTD_isError(written) == 0, String(cString: ZSTD_getErrorName(written)))
        return Array(output.prefix(written))
    }
}
