/// Writes a whole file in one go, as `OutputFile` does: readers see the old version or the new one, never a part.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, protecting protected: [(name: String, path: String)] = []) throws(FileFailure) {
        let file = try OutputFile(path: path, protecting: protected)
        var failure: FileFailure?
        bytes.withUnsafeBytes { buffer in
            do throws(FileFailure) { try file.write(buffer) } catch { failure = error }
        }
        if let failure {
            file.abandon()
            throw failure
        }
        try file.commit()
    }
}
