#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's memory functions, which are vectorised: the scan's hot loops call them on every transcript byte.
enum Memory {
    /// True when the `count` bytes at `left` and `right` are the same (`memcmp`).
    @inline(__always)
    static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
        count == 0 || memcmp(left, right, count) == 0
    }

    /// The offset of the first `byte` in the `count` bytes at `start` (`memchr`); nil when there is none.
    @inline(__always)
    static func firstOffset(of byte: UInt8, in start: UnsafeRawPointer, count: Int) -> Int? {
        memchr(start, Int32(byte), count).map { start.distance(to: UnsafeRawPointer($0)) }
    }

    /// `malloc`, nil when there is no memory; for buffers grown with `resize` (see LineReader).
    static func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer? { malloc(byteCount) }

    /// `realloc`: the pages of a large block move without a copy; nil (the block kept) when there is no memory.
    static func resize(_ block: UnsafeMutableRawPointer, to byteCount: Int) -> UnsafeMutableRawPointer? {
        realloc(block, byteCount)
    }

    static func release(_ block: UnsafeMutableRawPointer) { free(block) }
}
