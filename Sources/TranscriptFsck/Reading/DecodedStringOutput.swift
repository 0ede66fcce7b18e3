/// Where `JSONScanner.decodeString` puts the bytes of a decoded string: an array, a count, a hash, fixed storage.
///
/// A 300 MB string then need not be held twice: its decoded length and hash are taken in two passes over the raw text
/// (`DecodedLength`, `Hasher64.Field`), and a value kept in full is decoded once, into the string that holds it.
protocol DecodedStringOutput {
    /// At most this many more bytes will come.
    mutating func reserve(_ count: Int)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
    mutating func append(byte: UInt8)
}

extension Array: DecodedStringOutput where Element == UInt8 {
    mutating func reserve(_ count: Int) { reserveCapacity(self.count + count) }
    mutating func append(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
    mutating func append(byte: UInt8) { append(byte) }
}

/// Counts the decoded bytes.
struct DecodedLength: DecodedStringOutput {
    private(set) var count = 0
    mutating func reserve(_ count: Int) {}
    mutating func append(_ bytes: UnsafeRawBufferPointer) { count += bytes.count }
    mutating func append(byte: UInt8) { count += 1 }
}

/// Writes into storage that holds the raw text's length, which a decoded string never exceeds.
struct DecodedInPlace: DecodedStringOutput {
    let storage: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ storage: UnsafeMutableBufferPointer<UInt8>) { self.storage = storage }

    mutating func reserve(_ count: Int) {}
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        UnsafeMutableRawPointer(storage.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }
    mutating func append(byte: UInt8) {
        storage[count] = byte
        count += 1
    }
}
