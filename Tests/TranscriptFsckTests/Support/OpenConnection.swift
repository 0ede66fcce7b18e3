import Foundation

/// Another process with the database open, as the agent keeps it: Python's sqlite3, one read done, then idle.
final class OpenConnection {
    let process = Process()
    let input = Pipe()

    /// On a `journal_mode=DELETE` database (the agent's own fallback on NFS, SMB, FUSE and WSL1) the idle connection
    /// holds no lock at all, only the open file.
    init(_ database: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1]); db.execute("SELECT count(*) FROM messages").fetchall()
            print("open", flush=True); sys.stdin.read()
            """, database]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        _ = output.fileHandleForReading.availableData  // "open": the connection is made (and holds its -shm lock in WAL)
    }

    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
