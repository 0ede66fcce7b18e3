import Foundation
import Testing
@testable import TranscriptFsck

/// What the tool says of itself: help, the metrics' HELP lines, and the shell completion of paths.
@Suite(.tags(.store)) struct CommandLineHelpTests {
    @Test func theTopLevelHelpSaysWhatContinuedAndDeferredMean() throws {
        let help = try CommandRunner.fsck(["--help"])
        #expect(help.status == 0)
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("continued (it lost messages and then went on with rows its transcript never saw)"), "\(text)")
        #expect(text.contains("deferred it (it would stall a running agent: stop the agent and repair again)"), "\(text)")
    }

    @Test(arguments: ["scan", "repair", "export", "doctor"])
    func everyCommandsHelpGivesItsExitStatuses(command: String) throws {
        let help = try CommandRunner.fsck([command, "--help"])
        #expect(help.status == 0)
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 "), "\(text)")
        #expect(text.contains("; 2 "), "\(text)")
    }

    @Test(arguments: ["scan", "export", "doctor"])
    func theHelpOfEveryCommandThatReadsACodexHomeSaysWhatItDoesThere(command: String) throws {
        let help = try CommandRunner.fsck([command, "--help"])
        #expect(help.status == 0)
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("A Codex CLI home") || text.contains("On a Codex CLI home"), "\(text)")
        #expect(text.contains("--agent <agent>"), "\(text)")
    }

    @Test func theCodexMetricsHelpNamesEveryThreadStatus() throws {
        let home = try WrittenCodexHome()
        let output = TemporaryDirectory("codex-metrics-help")
        #expect(try CommandRunner.fsck(["scan", "--home", home.path, "--metrics", output.file("fsck.prom")]).status == 1)
        let lines = try String(contentsOfFile: output.file("fsck.prom"), encoding: .utf8).split(separator: "\n")
        let threads = try #require(lines.first { $0.hasPrefix("# HELP transcript_fsck_codex_threads ") })
        let problems = try #require(lines.first { $0.hasPrefix("# HELP transcript_fsck_codex_problem_threads ") })
        for status in CodexThreadStatus.allCases {
            #expect(threads.contains(status.rawValue), "\(status) in \(threads)")
            #expect(problems.contains(" \(status.rawValue)") == (status != .ok), "\(status) in \(problems)")
        }
    }

    @Test func theMetricsHelpNamesEveryStatusAndEveryProblemStatus() throws {
        let session = try TruncatedSession(count: 6, keepNewest: 2, seed: 91)
        let metrics = session.directory.file("fsck.prom")
        #expect(try CommandRunner.fsck(["scan", "--home", session.home, "--metrics", metrics]).status == 1)
        let lines = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
        let sessions = try #require(lines.first { $0.hasPrefix("# HELP transcript_fsck_sessions ") })
        for status in SessionStatus.allCases { #expect(sessions.contains(status.rawValue), "\(status) in \(sessions)") }
        let problems = try #require(lines.first { $0.hasPrefix("# HELP transcript_fsck_problem_sessions ") })
        for status in SessionStatus.allCases {
            #expect(problems.contains(" \(status.rawValue)") == status.isProblem, "\(status) in \(problems)")
        }
    }

    /// Every option that names a file or a directory, with the subcommand that has it.
    static let pathOptions: [(command: String, option: String, directoriesOnly: Bool)] = [
        ("scan", "--home", true), ("scan", "--homes-from", false), ("scan", "--db", false), ("scan", "--transcripts", true),
        ("scan", "--output", false), ("scan", "--metrics", false), ("scan", "--since", false),
        ("repair", "--home", true), ("repair", "--db", false), ("repair", "--transcripts", true), ("repair", "--output", false),
        ("repair", "--backup", false),
        ("export", "--home", true), ("export", "--db", false), ("export", "--output", false),
        ("doctor", "--home", true), ("doctor", "--db", false), ("doctor", "--transcripts", true),
    ]

    /// Bash itself runs the generated completion script, as it would at a prompt after TAB: the word after the
    /// option completes to real paths, directories only where the option takes a directory.
    @Test(arguments: pathOptions)
    func bashCompletesPathsAfterEveryPathOption(command: String, option: String, directoriesOnly: Bool) throws {
        let directory = TemporaryDirectory("completion")
        let script = directory.file("transcript-fsck.bash")
        let generated = try CommandRunner.fsck(["--generate-completion-script", "bash"])
        #expect(generated.status == 0)
        try directory.write("transcript-fsck.bash", text: generated.standardOutput)
        #expect(mkdir(directory.file("home-dir"), 0o755) == 0)
        try directory.write("home-file.db", text: "")
        let words = ["transcript-fsck", command, option, directory.file("home-")]
        let driver = try directory.write("driver.sh", text: Self.completionDriver)
        let completed = try CommandRunner.shell((["bash", driver, script] + words).map { "'\($0)'" }.joined(separator: " "))
        #expect(completed.status == 0, "\(completed.standardError)")
        let candidates = Set(completed.standardOutput.split(separator: "\n").map(String.init))
        #expect(candidates.contains(directory.file("home-dir")), "\(candidates)")
        #expect(candidates.contains(directory.file("home-file.db")) == !directoriesOnly, "\(candidates)")
    }

    /// Sources the script named by $1 and calls its function as `complete -F` would, for the words after it,
    /// the last one being completed; prints each candidate on a line.
    private static let completionDriver = """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        _transcript-fsck "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
}
