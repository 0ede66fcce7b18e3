#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a system call failed: its `errno`, thrown by Platform's calls so that no code outside Platform reads the C
/// library's global. Errors that name a file keep the raw value, which the `--since` state file stores.
struct Errno: Error, Hashable, Sendable {
    let rawValue: Int32

    init(rawValue: Int32) { self.rawValue = rawValue }

    /// What the last failed call left in `errno`.
    static var current: Errno { Errno(rawValue: errno) }

    static let notFound = Errno(rawValue: ENOENT)
    static let exists = Errno(rawValue: EEXIST)
    static let interrupted = Errno(rawValue: EINTR)
    static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
    /// A link where `O_NOFOLLOW` asked for none.
    static let symbolicLink = Errno(rawValue: ELOOP)
    static let noSuchProcess = Errno(rawValue: ESRCH)
    static let ioError = Errno(rawValue: EIO)

    /// `strerror`'s words for it.
    var description: String { POSIX.describe(rawValue) }
}

extension POSIX {
    /// Runs `call` until it succeeds or fails with anything but `EINTR`; `failed` tells its failure from its result.
    static func repeatingInterrupted<Result>(_ call: () -> Result, failed: (Result) -> Bool) throws(Errno) -> Result {
        while true {
            let result = call()
            guard failed(result) else { return result }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }
}
