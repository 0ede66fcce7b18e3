import ArgumentParser
import TranscriptFsck

/// Runs the command and maps every outcome to the documented exit status:
/// 0 consistent, 1 problems found (or refused), 2 could not run (bad arguments included).
@main
enum EntryPoint {
    static func main() async {
        do {
            var command = try TranscriptFsckCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as FsckError {
            StandardError.write("transcript-fsck: \(error)\n")
            TranscriptFsckCommand.exit(withError: ExitCode(2))
        } catch let code as ExitCode {
            TranscriptFsckCommand.exit(withError: code)
        } catch {
            // Help and version requests succeed; any other parse failure is a usage error, status 2.
            if TranscriptFsckCommand.exitCode(for: error) == .success {
                TranscriptFsckCommand.exit(withError: error)
            }
            StandardError.write(TranscriptFsckCommand.fullMessage(for: error) + "\n")
            TranscriptFsckCommand.exit(withError: ExitCode(2))
        }
    }
}

struct TranscriptFsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript-fsck",
        abstract: "Find and repair chat history that an agent's SQLite store lost but its JSONL transcripts kept.",
        discussion: """
        Exit status: 0 every session is consistent; 1 at least one session is truncated, missing, \
        diverged or corrupt (scan) or was refused (repair); 2 the command could not run.
        """,
        version: "0.1.0",
        subcommands: [ScanCommand.self, RepairCommand.self, ExportCommand.self, DoctorCommand.self]
    )
}
