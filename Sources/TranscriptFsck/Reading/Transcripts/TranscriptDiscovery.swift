#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the transcript files under the transcript directories, by session id.
public struct TranscriptDiscovery: Sendable {
    /// Session id to its transcript files, in path order.
    public var transcripts: [String: [String]] = [:]
    /// Each transcript file's size as stored and its modification time, for scheduling the largest
    /// first and for telling an incremental audit which files changed.
    public var stamps: [String: FileStamp] = [:]
    /// Things skipped on the way (symbolic links, unreadable directories).
    public var warnings: [String] = []

    /// Walks each root recursively. Symbolic links are not followed: a link could lead out of the store.
    public static func find(roots: [String]) throws(FsckError) -> TranscriptDiscovery {
        var discovery = TranscriptDiscovery()
        for root in roots {
            var status = stat()
            guard stat(root, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { throw .transcriptsNotFound(path: root) }
            discovery.walk(directory: root)
        }
        for id in discovery.transcripts.keys { discovery.transcripts[id]!.sort() }
        return discovery
    }

    private mutating func walk(directory: String) {
        guard let handle = opendir(directory) else {
            warnings.append("\(directory): cannot read directory: \(String(cString: strerror(errno)))")
            return
        }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                subdirectories.append(path)
            case S_IFREG where TranscriptReader.isTranscript(name):
                transcripts[TranscriptReader.sessionID(fromFileName: name), default: []].append(path)
                stamps[path] = FileStamp(size: Int(status.st_size),
                                         modified: POSIX.modifiedNanoseconds(status))
            case S_IFLNK where TranscriptReader.isTranscript(name):
                warnings.append("\(path): symbolic link not followed; copy the file into the transcripts directory to include it")
            default:
                continue
            }
        }
        for subdirectory in subdirectories.sorted() { walk(directory: subdirectory) }
    }
}

/// A file's size and modification time (nanoseconds since the epoch).
public struct FileStamp: Sendable, Equatable, Codable {
    public let size: Int
    public let modified: Int64
}
