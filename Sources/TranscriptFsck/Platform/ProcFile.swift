#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the small text files the kernel publishes under `/proc`, a line at a time.
enum ProcFile {
    /// Calls `body` with each line (newline dropped) until it returns a value; nil when the file cannot be
    /// read (not Linux) or no line gave one.
    static func firstLine<Result>(in path: String, where body: (Substring) -> Result?) -> Result? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let result = body(text.dropLast(text.hasSuffix("\n") ? 1 : 0)) { return result }
        }
        return nil
    }

    /// True when `path` can be read here.
    static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// True when a process other than `me` has one of `files` open, by `/proc/PID/fd`. A process whose descriptors
    /// cannot be read (another user's) is passed over.
    /// Which of `files` a process other than `me` has open, in one pass over `/proc/PID/fd`.
    static func openByOtherProcesses(_ files: Set<FileIdentity>, except me: Int) -> Set<FileIdentity> {
        var open: Set<FileIdentity> = []
        for name in ((try? POSIX.entryNames(in: "/proc")) ?? []) {
            guard let pid = Int(name), pid != me else { continue }
            let directory = "/proc/\(name)/fd"
            for number in ((try? POSIX.entryNames(in: directory)) ?? []) {
                if let file = POSIX.fileIdentity("\(directory)/\(number)"), files.contains(file) { open.insert(file) }
            }
        }
        return open
    }

    static func anotherProcessHasOpen(_ files: [FileIdentity], except me: Int) -> Bool {
        for name in ((try? POSIX.entryNames(in: "/proc")) ?? []) {
            guard let pid = Int(name), pid != me else { continue }
            let directory = "/proc/\(name)/fd"
            for number in ((try? POSIX.entryNames(in: directory)) ?? []) {
                if let open = POSIX.fileIdentity("\(directory)/\(number)"), files.contains(open) { return true }
            }
        }
        return false
    }
}
