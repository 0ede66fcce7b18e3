import Foundation
import Testing

/// Homes the released codex binaries made, each with one damage of Docs/CODEX-FORMAT.md's table
/// (Tests/Interop/codex/damaged_homes.py), made once a test run for both versions at once (some 30 s) and removed
/// when the run ends. The binaries come from the cache `Tests/Interop/codex/fetch_codex.py` fills; without them the
/// tests that need them are skipped.
enum CodexHomes {
    static let versions = ["0.163.0", "0.133.0"]

    static func binary(_ version: String) -> String {
        (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/transcript-fsck/codex/\(version)/codex_cli_bin/bin/codex"
    }

    static let areCached = versions.allSatisfy { FileManager.default.isExecutableFile(atPath: binary($0)) }
    static let skipReason: Comment = "needs the released codex 0.163.0 and 0.133.0: run Tests/Interop/codex/fetch_codex.py"

    /// One version's homes: each experiment's home and the names of its threads.
    struct Made: Sendable {
        let version: String
        let experiments: [String: Experiment]

        struct Experiment: Sendable {
            let home: String?
            /// Thread name (one, two, archived, restored) to its id.
            let threads: [String: String]
            let notApplicable: String?
            let damage: [String: String]
        }

        func experiment(_ name: String) throws -> Experiment {
            guard let found = experiments[name] else { throw Failure("codex \(version): no experiment \(name)") }
            return found
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Both versions' homes, made at the first use.
    static let made: Result<[String: Made], Failure> = {
        let root = NSTemporaryDirectory() + "transcript-fsck-codex-homes-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "transcript-fsck-codex-homes-\(getpid())") }
        // Both at once, each a process of its own: `sh -c 'a & b & wait'` hung under the test runner, its children
        // exited and never reaped.
        let script = InteropScripts.directory + "/codex/damaged_homes.py"
        var runs: [Process] = []
        for version in versions {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, binary(version), "\(root)/\(version)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            _ = FileManager.default.createFile(atPath: "\(root)-\(version).err", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: "\(root)-\(version).err")
            guard (try? process.run()) != nil else { return .failure(Failure("cannot start damaged_homes.py")) }
            runs.append(process)
        }
        for process in runs { process.waitUntilExit() }
        var made: [String: Made] = [:]
        for version in versions {
            let errors = (try? String(contentsOfFile: "\(root)-\(version).err", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: "\(root)-\(version).err")
            guard let data = FileManager.default.contents(atPath: "\(root)/\(version)/homes.json"),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let experiments = object["experiments"] as? [String: [String: Any]] else {
                return .failure(Failure("damaged_homes.py made no homes for codex \(version) (exit \(runs[versions.firstIndex(of: version)!].terminationStatus)): \(errors.suffix(3000))"))
            }
            made[version] = Made(version: version, experiments: experiments.mapValues { entry in
                Made.Experiment(home: entry["home"] as? String, threads: entry["threads"] as? [String: String] ?? [:],
                                notApplicable: entry["notApplicable"] as? String,
                                damage: (entry["damage"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
            })
        }
        return .success(made)
    }()

    static func of(_ version: String) throws -> Made {
        guard let found = try made.get()[version] else { throw Failure("no homes for codex \(version)") }
        return found
    }
}
