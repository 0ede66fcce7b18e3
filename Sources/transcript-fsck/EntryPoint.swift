import ArgumentParser
import TranscriptFsck

/// Runs the command and maps every outcome to the documented exit status:
/// 0 consistent, 1 problems found (or refused), 2 could not run (bad arguments included).
@main
enum EntryPoint {
    static func main() async {
        // The static Swift runtime on Linux reads the arguments from /proc/self/cmdline: without /proc (a bare
        // chroot) it sees none, not even its own name, and would print the help and exit 0, a false all-clear.
        guard !CommandLine.arguments.isEmpty else {
            StandardError.write("transcript-fsck: cannot read the command line: /proc is not mounted here "
                                + "(the Swift runtime reads /proc/self/cmdline); mount /proc, or run it outside this chroot\n")
            TranscriptFsckCommand.exit(withError: ExitCode(2))
        }
        // No command at all is a mistake (a cron line cut short), never a success: the usage on standard error, and 2.
        if CommandLine.arguments.count == 1 {
            StandardError.write(TranscriptFsckCommand.helpMessage() + "\n")
            TranscriptFsckCommand.exit(withError: ExitCode(2))
        }
        do {
            var command = try TranscriptFsckCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as FsckError {
            StandardError.write("transcript-fsck: \(String(describing: error).escapingControlCharacters)\n")
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
        Exit status: 0 every session is consistent; 1 some session needs attention: it is truncated, missing, \
        continued (it lost messages and then went on with rows its transcript never saw), diverged or corrupt \
        (scan), or a repair refused it (it needs a person) or deferred it (it would stall a running agent: stop \
        the agent and repair again); 2 the command could not run.
        """,
        version: toolVersion,
        subcommands: [ScanCommand.self, RepairCommand.self, ExportCommand.self, DoctorCommand.self]
    )
}
