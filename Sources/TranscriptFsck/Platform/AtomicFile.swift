#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file so that readers see the old version or the new one, never a part:
/// a temporary file beside the target, flushed to disk, then renamed over it.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(FsckError) {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(FsckError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "cannot create \(temporary)") }
        if let code = bytes.withUnsafeBytes({ POSIX.writeAll(descriptor, $0) }) {
            let error = failure(path, "cannot write \(temporary)", code: code)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw failure(path, "cannot flush \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "cannot rename \(temporary) over it")
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ path: String, _ what: String, code: Int32 = errno) -> FsckError {
        .io(path: path, detail: "\(what): \(POSIX.describe(code)); the previous file, if any, is unchanged")
    }
}
