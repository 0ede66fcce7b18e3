/// A compressed transcript, decoded as it is read: `.jsonl.gz` (one or more gzip members) or `.jsonl.zst` (one or more
/// zstd frames). Memory is one input chunk and the decoder's own state, whatever the file's size.
struct CompressedFileSource<Decoder: Decompressor>: ByteSource, ~Copyable {
    private let file: TranscriptFile
    private let decoder = Decoder()
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var atEndOfFile = false
    private(set) var storedBytesRead = 0
    private var textBytesProduced = 0
    private let limits: ReadLimits
    /// Damage found while decoding, thrown once the text decoded before it has been handed out.
    private var pendingError: TranscriptError?

    static var inputChunkSize: Int { 256 * 1024 }
    /// At most this much text a call, so that the expansion check sees a compression bomb early.
    static var outputChunkSize: Int { 1 << 20 }

    init(path: String, limits: ReadLimits = .standard) throws(TranscriptError) {
        file = try TranscriptFile(path: path)
        self.limits = limits
        input = .allocate(byteCount: Self.inputChunkSize, alignment: 16)
    }

    deinit { input.deallocate() }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TranscriptError) -> Int {
        if let pendingError { throw pendingError }
        while true {
            if inputStart == inputEnd, !atEndOfFile {
                let count = try file.read(into: input, storedOffset: storedBytesRead)
                inputStart = 0
                inputEnd = count
                if count == 0 { atEndOfFile = true }
            }
            // With the whole file read, a decoder inside a frame may still hold text it has decoded (zstd does).
            let isDraining = inputStart == inputEnd && atEndOfFile
            if isDraining {
                if storedBytesRead == 0 { throw error(.file, Decoder.emptyFile) }
                if !decoder.isInsideFrame { return 0 }
            }
            let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(Self.outputChunkSize))
            let step = decoder.decode(input: pending, output: room)
            inputStart += step.consumed
            storedBytesRead += step.consumed
            textBytesProduced += step.produced
            if let defect = step.failure {
                // The byte where the decoder found the damage; the text before it is still handed out.
                let damage = error(.byte(storedBytesRead), defect)
                guard step.produced > 0 else { throw damage }
                pendingError = damage
                return step.produced
            }
            if textBytesProduced > limits.expansionGraceBytes, textBytesProduced / max(1, storedBytesRead) > limits.maximumExpansionRatio {
                throw error(.byte(storedBytesRead), .expandsTooFar(ratio: limits.maximumExpansionRatio, mebibytes: textBytesProduced >> 20,
                                                                  storedBytes: storedBytesRead))
            }
            if step.produced > 0 { return step.produced }
            if isDraining { throw error(.byte(storedBytesRead), Decoder.endsEarly) }
            if step.consumed == 0, inputStart < inputEnd {
                // A decoder always moves when it has input and room for output; standing still means it cannot go on.
                throw error(.byte(storedBytesRead), Decoder.makesNoProgress)
            }
        }
    }

    private func error(_ place: TranscriptError.Place, _ defect: TranscriptError.Defect) -> TranscriptError {
        TranscriptError(path: file.path, place: place, defect: defect)
    }
}

typealias GzipFileSource = CompressedFileSource<GzipInflater>
typealias ZstdFileSource = CompressedFileSource<ZstdDecompressor>
