import Foundation

/// Runs one of the package's executables as a separate process, as a user or cron would.
struct CommandResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

enum CommandRunner {
    /// The directory holding the built executables: the one this test binary was built into.
    static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // On macOS the test binary sits inside an .xctest bundle.
        while url.path.contains(".xctest") { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(of executable: String) -> String { productsDirectory + "/" + executable }

    /// Runs `transcript-fsck` with `arguments` and waits for it.
    static func fsck(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try run("transcript-fsck", arguments, environment: environment)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try start(executable, arguments, environment: environment).finish()
    }

    /// `executable` (a built one) and `arguments` as one line for /bin/sh, each word in single quotes.
    static func shellLine(_ arguments: [String], executable: String = "transcript-fsck") -> String {
        ([path(of: executable)] + arguments).map { "'\($0)'" }.joined(separator: " ")
    }

    /// Runs `command` with /bin/sh -c and waits for it.
    static func shell(_ command: String) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
                             standardError: String(decoding: err, as: UTF8.self))
    }

    /// A started process with its output pipes.
    struct Running {
        let process: Process
        let outputPipe: Pipe
        let errorPipe: Pipe

        /// Reads both outputs to their end and waits for the process.
        func finish() -> CommandResult {
            let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
            let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
                                 standardError: String(decoding: error, as: UTF8.self))
        }
    }

    static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(of: executable))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputPipe: output, errorPipe: error)
    }
}
