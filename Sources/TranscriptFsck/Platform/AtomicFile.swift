/// Writes a whole file in one go, as `OutputFile` does: readers see the old version or the new one, never a part.
public enum AtomicFile {
    public static func write(_ text: String, to path: String, protecting store: StoreLocation? = nil) throws(FsckError) {
        try write(Array(text.utf8), to: path, protecting: store)
    }

    public static func write(_ bytes: [UInt8], to path: String, protecting store: StoreLocation? = nil) throws(FsckError) {
        let file = try OutputFile(path: path, protecting: store)
        var failure: FsckError?
        bytes.withUnsafeBytes { buffer in
            do throws(FsckError) { try file.write(buffer) } catch { failure = error }
        }
        if let failure {
            file.abandon()
            throw failure
        }
        try file.commit()
    }
}
