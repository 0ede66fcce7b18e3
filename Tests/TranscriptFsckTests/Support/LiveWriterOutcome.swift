import Foundation
import Testing

/// Beside an agent that is writing, a scan or repair may legitimately find work left (exit 1); these are the only
/// kinds it may find, each for a reason a live writer explains. Anything else, or exit 2, is a failure.
enum LiveWriterOutcome {
    /// `result` is a `--format json` run of `scan` or `repair`.
    static func expectExplained(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0 || result.status == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        guard result.status == 1 else { return }
        let document = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any]
        let sessions = document?["sessions"] as? [[String: Any]] ?? []
        let unexplained = sessions.filter { session in
            if let action = session["action"] as? String {
                // repair: the session or its transcript changed under it, or writing it would hold the lock too long.
                let reason = session["reason"] as? String ?? ""
                let explained = ["kept changing while being repaired", "the transcript changed while it was being read",
                                 "would hold the write lock"]
                return ["refused", "deferred"].contains(action) && !explained.contains(where: reason.contains)
            }
            // scan: the writer's session has rows its transcript is still to get, or the reverse, until repaired.
            return !["ok", "truncated", "continued", "database_ahead"].contains(session["status"] as? String ?? "")
        }
        #expect(!sessions.isEmpty && unexplained.isEmpty, "exit 1 not explained by the live writer: \(unexplained)",
                sourceLocation: sourceLocation)
    }
}
