#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a `.gz` file: one gzip member, or several when `finishMember()` is called between parts.
///
/// ```swift
/// let writer = try GzipFileWriter(path: "s.jsonl.gz")
/// try writer.write(Array(line.utf8))
/// try writer.close()
/// ```
package final class GzipFileWriter {
    package let path: String
    private let descriptor: Int32
    private var deflater: GzipDeflater? = GzipDeflater()
    private var isClosed = false

    private let ownsDescriptor: Bool

    package init(path: String) throws(FileFailure) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileFailure(path: path, reason: .create(errno: errno)) }
        ownsDescriptor = true
    }

    /// Writes to an open descriptor (standard output) that the caller keeps open.
    package init(descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
        ownsDescriptor = false
    }

    deinit {
        if !isClosed, ownsDescriptor { POSIX.close(descriptor) }
    }

    package func write(_ bytes: [UInt8]) throws(FileFailure) {
        if deflater == nil { deflater = GzipDeflater() }
        try compress(bytes, finish: false)
    }

    /// Ends the current member; later writes start a new one.
    package func finishMember() throws(FileFailure) {
        guard deflater != nil else { return }
        try compress([], finish: true)
        deflater = nil
    }

    package func close() throws(FileFailure) {
        try finishMember()
        isClosed = true
        guard ownsDescriptor else { return }
        guard fsync(descriptor) == 0 || errno == EINVAL, POSIX.close(descriptor) == 0 else {
            throw FileFailure(path: path, reason: .flush(temporary: nil, errno: errno))
        }
    }

    /// Writes `bytes` to a new file at `path`, split evenly into `members` concatenated gzip members.
    package static func write(_ bytes: [UInt8], toPath path: String, members: Int = 1) throws(FileFailure) {
        let writer = try GzipFileWriter(path: path)
        let memberSize = max(1, (bytes.count + members - 1) / max(1, members))
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + memberSize)
            try writer.write(Array(bytes[offset..<end]))
            try writer.finishMember()
            offset = end
        } while offset < bytes.count
        try writer.close()
    }

    private func compress(_ bytes: [UInt8], finish: Bool) throws(FileFailure) {
        var failure: FileFailure?
        bytes.withUnsafeBytes { input in
            deflater!.compress(input, finish: finish) { chunk in
                guard failure == nil else { return }
                if let code = POSIX.writeAll(descriptor, chunk) {
                    failure = FileFailure(path: path, reason: .write(errno: code))
                }
            }
        }
        if let failure { throw failure }
    }
}
