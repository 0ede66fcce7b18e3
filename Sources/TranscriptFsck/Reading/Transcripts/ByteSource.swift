/// A stream of a transcript's bytes as the text was written: plain files as they are, gzip inflated.
protocol ByteSource: ~Copyable {
    /// Fills the start of `buffer`; returns 0 only at the end of the text.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TranscriptError) -> Int
    /// Bytes of the file as stored consumed so far (compressed bytes for gzip).
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

/// A `.jsonl.gz` file: one or more gzip members, inflated as they are read.
struct GzipFileSource: ByteSource, ~Copyable {
    private let file: TranscriptFile
    private let inflater = GzipInflater()
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var atEndOfFile = false
    private(set) var storedBytesRead = 0
    private var textBytesProduced = 0
    private let limits: ReadLimits
    /// Damage found while inflating, thrown once the text inflated before it has been handed out.
    private var pendingError: TranscriptError?

    static let inputChunkSize = 256 * 1024
    static let outputChunkSize = 1 << 20

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
                let fileOffset = storedBytesRead
                let count = try file.read(into: input, storedOffset: fileOffset)
                inputStart = 0
                inputEnd = count
                if count == 0 { atEndOfFile = true }
            }
            if inputStart == inputEnd, atEndOfFile {
                if storedBytesRead == 0 {
                    throw TranscriptError(path: file.path, place: .file, defect: .emptyArchive)
                }
                if inflater.isInsideMember {
                    throw TranscriptError(path: file.path, place: .byte(storedBytesRead),
                                          defect: .gzipEndsEarly)
                }
                return 0
            }
            let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            // At most 1 MiB of text a call, so that the expansion check below sees a gzip bomb early.
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(Self.outputChunkSize))
            let step = inflater.inflate(input: pending, output: room)
            inputStart += step.consumed
            storedBytesRead += step.consumed
            textBytesProduced += step.produced
            if let failure = step.failure {
                let defect: TranscriptError.Defect = switch failure {
                case .corrupt(let message): .corruptGzip(zlibMessage: message)
                case .outOfMemory: .zlibOutOfMemory
                }
                // The byte where zlib found the damage; the text before it is still handed out.
                let error = TranscriptError(path: file.path, place: .byte(storedBytesRead), defect: defect)
                guard step.produced > 0 else { throw error }
                pendingError = error
                return step.produced
            }
            if textBytesProduced > limits.expansionGraceBytes, textBytesProduced / max(1, storedBytesRead) > limits.maximumExpansionRatio {
                throw TranscriptError(path: file.path, place: .byte(storedBytesRead),
                                      defect: .expandsTooFar(ratio: limits.maximumExpansionRatio, mebibytes: textBytesProduced >> 20,
                                                             storedBytes: storedBytesRead))
            }
            if step.produced > 0 { return step.produced }
            if step.consumed == 0, inputStart < inputEnd {
                // zlib always moves when it has input and room for output; standing still means it cannot go on.
                throw TranscriptError(path: file.path, place: .byte(storedBytesRead), defect: .gzipMakesNoProgress)
            }
        }
    }
}
