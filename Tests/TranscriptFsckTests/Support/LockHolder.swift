import Foundation

/// A process that holds something (a lock, an open file) from when `ready` appears until `release()`: it runs until
/// its standard input closes.
final class LockHolder {
    let process = Process()
    let input = Pipe()

    init(_ arguments: [String], ready: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: ready), process.isRunning, Date() < deadline { usleep(50_000) }
    }

    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
