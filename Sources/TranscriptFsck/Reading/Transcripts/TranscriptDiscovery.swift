/// Finds the transcript files under the transcript directories, by session id.
struct TranscriptDiscovery: Sendable {
    /// Session id to its transcript files, in path order.
    var transcripts: [SessionID: [String]] = [:]
    /// Each transcript file's size as stored and its modification time, for scheduling the largest
    /// first and for telling an incremental audit which files changed.
    var stamps: [String: FileStamp] = [:]
    /// Symbolic links not followed: a link planted in the directory must not make the tool read or write elsewhere.
    /// What was not read: the scan cannot vouch for those sessions, so it never reports all clear with any (exit 1).
    var unread: [UnreadEntry] = []
    /// The endings of the names that are transcripts, longest first: Hermes's unless the caller names others.
    private var suffixes: [String] = HermesLayout.transcriptSuffixes

    /// Walks each root recursively. Symbolic links are not followed: a link could lead out of the store. A directory
    /// it cannot read stops the scan: a session it cannot see would otherwise look fine (or `database_only`), and exit
    /// status 0 must mean everything was read. A transcript or directory whose name is not UTF-8 is not read (the agent
    /// names its files from text, so it wrote no such file) and is named in `unread`, so one odd name neither hides nor
    /// stops the audit of every other session.
    static func find(roots: [String], suffixes: [String] = HermesLayout.transcriptSuffixes) throws(FsckError) -> TranscriptDiscovery {
        var discovery = TranscriptDiscovery()
        discovery.suffixes = suffixes
        for root in roots {
            guard (try? FileStatus(path: root))?.isDirectory == true else { throw .transcriptsNotFound(path: root) }
            try discovery.walk(tree: root)
        }
        for id in discovery.transcripts.keys { discovery.transcripts[id]!.sort() }
        return discovery
    }

    /// Each directory from `root` down, depth first in name order, on a stack of its own rather than a frame a level:
    /// a tree nested as deep as a path can name (2,000 levels) overflowed a worker thread's 512 KiB stack.
    private mutating func walk(tree root: String) throws(FsckError) {
        var pending = [root]
        while let directory = pending.popLast() {
            pending += try visit(directory: directory).sorted().reversed()
        }
    }

    /// Takes in the directory's entries; returns its subdirectories.
    private mutating func visit(directory: String) throws(FsckError) -> [String] {
        let names: [[UInt8]]
        do { names = try POSIX.entryNameBytes(in: directory) } catch {
            throw .transcriptsUnreadable(path: directory, errno: error.rawValue)
        }
        var subdirectories: [String] = []
        func isTranscript(_ name: String) -> Bool { suffixes.contains { name.hasSuffix($0) } }
        for raw in names {
            let valid = String(validating: raw, as: UTF8.self)
            let lossy = valid ?? String(decoding: raw, as: UTF8.self)
            let path = directory.hasSuffix("/") ? directory + lossy : directory + "/" + lossy
            let status: FileStatus
            if valid != nil {
                guard let found = try? FileStatus(linkAt: path) else { continue }
                status = found
            } else {
                // The name's own bytes: under its repaired spelling it would not be found.
                let bytes = Array(directory.utf8) + (directory.hasSuffix("/") ? [] : [UInt8(ascii: "/")]) + raw
                guard let found = try? FileStatus(linkAtBytes: bytes) else { continue }
                if found.isDirectory || isTranscript(lossy) { unread.append(.nameNotUTF8(path)) }
                continue
            }
            switch status.kind {
            case .directory:
                subdirectories.append(path)
            case .regularFile where isTranscript(lossy):
                let suffix = suffixes.first { lossy.hasSuffix($0) }!
                transcripts[SessionID(String(lossy.dropLast(suffix.count))), default: []].append(path)
                stamps[path] = FileStamp(size: status.size, modified: status.modifiedNanoseconds)
            case .symbolicLink where isTranscript(lossy):
                unread.append(.file(path))
            case .symbolicLink where (try? FileStatus(path: path))?.isDirectory == true:
                unread.append(.directory(path))
            case .fifo, .socket, .characterDevice, .blockDevice:
                if isTranscript(lossy) { unread.append(.notAFile(path)) }
            default:
                continue
            }
        }
        return subdirectories
    }
}

/// A file's size and modification time (nanoseconds since the epoch).
struct FileStamp: Sendable, Equatable, Codable {
    let size: Int
    let modified: Int64
}

/// An entry of a transcripts directory that discovery does not read: its messages are not audited.
enum UnreadEntry: Sendable, Equatable {
    /// A transcript file's name that is a symbolic link.
    case file(String)
    /// A symbolic link to a directory: the transcripts under it.
    case directory(String)
    /// A transcript's name on something that is not a file: a FIFO, a socket, a device.
    case notAFile(String)
    /// A transcript's or directory's name that is not UTF-8 (shown with U+FFFD): no session id the agent writes.
    case nameNotUTF8(String)
}
