import Foundation
import Testing

/// The released codex binaries make a home, Tests/Interop/codex/codex_interop.py damages copies of it as
/// Docs/CODEX-FORMAT.md's table does (a row deleted, a rollout restored from elsewhere, a projection behind, the
/// databases deleted, a rollout deleted or moved into archived_sessions/ by hand, the home moved), `transcript-fsck
/// repair` repairs each, codex starts once, and the repair runs again (and must write nothing). Only codex judges the
/// result: its doctor's parity check and `migrate-rollouts --apply` (0.163.0), app-server's thread/list, thread/read
/// and thread/turns/list against the undamaged home, and a resumed turn whose request to the mock model must carry
/// the whole earlier conversation. The binaries come from the cache `make test-deps` fills (fetch_codex.py).
@Suite(.tags(.interop)) struct CodexInteropTests {
    static let harness = InteropScripts.directory + "/codex/codex_interop.py"

    @Test(.enabled(if: CodexHomes.areCached, CodexHomes.skipReason), arguments: CodexHomes.versions)
    func codexListsReadsAndResumesEveryRepairedThreadWhole(version: String) throws {
        let out = TemporaryDirectory("codex-interop-\(version)")
        let result = try CommandRunner.shell("python3 '\(Self.harness)' --fsck '\(CommandRunner.path(of: "transcript-fsck"))' "
                                             + "--codex '\(CodexHomes.binary(version))' --out '\(out.path)' </dev/null")
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any]
        let failures = summary?["failures"] as? [String] ?? []
        var kept = ""
        if result.status != 0 {
            // The homes go with the temporary directory; the whole record (repair JSON, codex's answers) stays.
            let record = NSTemporaryDirectory() + "transcript-fsck-codex-interop-\(version)-result.json"
            try? FileManager.default.removeItem(atPath: record)
            if (try? FileManager.default.copyItem(atPath: out.file("result.json"), toPath: record)) != nil {
                kept = "\nthe whole record: \(record)"
            }
        }
        #expect(result.status == 0, """
            codex \(version): codex_interop.py exited \(result.status), \(failures.count) failures:
            \(failures.joined(separator: "\n"))\(kept)
            \(summary == nil ? result.standardOutput.suffix(3000) + "\n" : "")\(result.standardError.suffix(3000))
            """)
        #expect(summary?["verdicts"] != nil, "codex \(version): codex_interop.py printed no verdicts")
    }
}
