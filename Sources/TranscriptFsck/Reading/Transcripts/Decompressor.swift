/// A compressed format's decoder as `CompressedFileSource` drives it: gzip (`GzipInflater`) and zstd
/// (`ZstdDecompressor`) are read by the same loop, each naming its own damage as a `TranscriptError.Defect`.
protocol Decompressor: AnyObject {
    init()
    /// True between the start of a member or frame and its end: the file ending there was cut short.
    var isInsideFrame: Bool { get }
    /// Decodes from `input` into `output`; the damage, when decoding stopped at some.
    func decode(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, failure: TranscriptError.Defect?)
    /// A file of no bytes, which is no stream of this format.
    static var emptyFile: TranscriptError.Defect { get }
    /// The file ends inside a member or frame.
    static var endsEarly: TranscriptError.Defect { get }
    /// The decoder neither read nor wrote with input and room to do both.
    static var makesNoProgress: TranscriptError.Defect { get }
}

extension GzipInflater: Decompressor {
    var isInsideFrame: Bool { isInsideMember }

    func decode(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, failure: TranscriptError.Defect?) {
        let step = inflate(input: input, output: output)
        let defect: TranscriptError.Defect? = switch step.failure {
        case .corrupt(let message): .corruptGzip(zlibMessage: message)
        case .outOfMemory: .zlibOutOfMemory
        case nil: nil
        }
        return (step.consumed, step.produced, defect)
    }

    static var emptyFile: TranscriptError.Defect { .emptyArchive }
    static var endsEarly: TranscriptError.Defect { .gzipEndsEarly }
    static var makesNoProgress: TranscriptError.Defect { .gzipMakesNoProgress }
}

extension ZstdDecompressor: Decompressor {
    func decode(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int, failure: TranscriptError.Defect?) {
        let step = decompress(input: input, output: output)
        let defect: TranscriptError.Defect? = switch step.failure {
        case .corrupt(let message): .corruptZstd(zstdMessage: message)
        case nil: nil
        }
        return (step.consumed, step.produced, defect)
    }

    static var emptyFile: TranscriptError.Defect { .emptyZstd }
    static var endsEarly: TranscriptError.Defect { .zstdEndsEarly }
    static var makesNoProgress: TranscriptError.Defect { .zstdMakesNoProgress }
}
