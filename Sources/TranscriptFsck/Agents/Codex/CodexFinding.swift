/// The verdict on one Codex thread. The cases Hermes has too mean what they mean there (`SessionStatus`), with the
/// index row as the session row and the projection as the rows; the others are Codex's own.
public enum CodexThreadStatus: String, Sendable, CaseIterable {
    /// Rollout, index row and projection agree.
    case ok
    /// The index has no row for the rollout, or a paginated thread has no projection: codex lists no such thread,
    /// or shows it with no turns.
    case missing
    /// The projection is a proper prefix of the rollout: codex shows the turns it holds and no more.
    case truncated
    /// The projection disagrees with the rollout otherwise: past its end, off its lines, or a turn elsewhere.
    case diverged
    /// The rollout could not be read whole.
    case corrupt
    /// An index row whose rollout is nowhere: codex hides the thread (0.163.0) or drops the row (0.133.0).
    case stale
    /// The row and the file disagree on where the thread is: its path, its archive flag, its name, or two files.
    case misplaced

    /// The Hermes status of the same meaning, where there is one.
    var sessionStatus: SessionStatus? { SessionStatus(rawValue: rawValue) }
}

/// Why a Codex thread is not ok, as facts; Reporting puts them into words. Offsets are bytes of the rollout,
/// ordinals its lines counted from 0, as codex counts them.
enum CodexProblem: Sendable, Equatable {
    /// The rollout could not be read whole: every defect found, in file order.
    case corruptRollout([RolloutDefect])
    /// The index has a row and no rollout of the thread is in the home or where the row says (a file there that
    /// holds another thread does not count).
    case staleRow(rolloutPath: String)
    /// More than one rollout holds the thread (`session_meta` id); the first named is the one judged.
    case duplicateRollouts(paths: [String])
    /// The index has more than one row of the thread (a `threads` without codex's primary key), each `rollout_path` in
    /// id order; the first is the one judged.
    case duplicateRows(rolloutPaths: [String])
    /// The file's name ends in another id than its `session_meta` line's (nil: in no id), so codex cannot find the
    /// thread's file by its id.
    case fileNameDisagrees(idInName: String?)
    /// The index has no row for the thread; `archived`: the rollout lies in `archived_sessions/`.
    case noIndexRow(archived: Bool)
    /// The row's `rollout_path` names another place than where the rollout is.
    case pathDisagrees(rowPath: String, rolloutPath: String)
    /// The row's `archived` flag says otherwise than the folder the rollout is in.
    case archiveFlagDisagrees(rowArchived: Bool, inArchivedSessions: Bool)
    /// A paginated thread whose rollout has `rolloutTurns` turns has no projection at all.
    case noProjection(rolloutTurns: Int)
    /// The projection has read less of the rollout than there is: its cursor, turns or messages fall short.
    case projectionBehind(projected: ProjectionExtent, rollout: ProjectionExtent)
    /// The projection claims more than the rollout holds: a cursor past its end, or more turns or messages.
    case projectionAhead(projected: ProjectionExtent, rollout: ProjectionExtent)
    /// The cursor's byte offset is not where its ordinal's line starts: a cursor torn between two writes.
    case cursorOffLineBoundary(CodexProjection.Cursor)
    /// A projected turn is not where the rollout has it (`rolloutTurn` nil: the rollout has no such turn).
    case projectedTurnDisagrees(ProjectedTurn, rolloutTurn: RolloutTurn?)
    /// A projected user or agent message is no message of that turn in the rollout (by turn and item id).
    case projectedItemDisagrees(ProjectedItem)

    /// A stable name for the check, for machine output and tests (as git's fsck message ids).
    enum Check: String, Sendable, CaseIterable {
        case corruptRollout, staleRow, duplicateRollouts, duplicateRows, fileNameDisagrees, noIndexRow, pathDisagrees,
             archiveFlagDisagrees, noProjection, projectionBehind, projectionAhead, cursorOffLineBoundary,
             projectedTurnDisagrees, projectedItemDisagrees
    }

    var check: Check {
        switch self {
        case .corruptRollout: .corruptRollout
        case .staleRow: .staleRow
        case .duplicateRollouts: .duplicateRollouts
        case .duplicateRows: .duplicateRows
        case .fileNameDisagrees: .fileNameDisagrees
        case .noIndexRow: .noIndexRow
        case .pathDisagrees: .pathDisagrees
        case .archiveFlagDisagrees: .archiveFlagDisagrees
        case .noProjection: .noProjection
        case .projectionBehind: .projectionBehind
        case .projectionAhead: .projectionAhead
        case .cursorOffLineBoundary: .cursorOffLineBoundary
        case .projectedTurnDisagrees: .projectedTurnDisagrees
        case .projectedItemDisagrees: .projectedItemDisagrees
        }
    }

    var status: CodexThreadStatus {
        switch self {
        case .corruptRollout: .corrupt
        case .staleRow: .stale
        case .duplicateRollouts, .duplicateRows, .fileNameDisagrees, .pathDisagrees, .archiveFlagDisagrees: .misplaced
        case .noIndexRow, .noProjection: .missing
        case .projectionBehind: .truncated
        case .projectionAhead, .cursorOffLineBoundary, .projectedTurnDisagrees, .projectedItemDisagrees: .diverged
        }
    }
}

/// How much of a rollout one side holds: the cursor (or the end of the rollout's last whole line, and its line
/// count), the turns, and the user and agent messages.
struct ProjectionExtent: Sendable, Equatable {
    let byteOffset: Int
    let ordinal: Int
    let turns: Int
    let messages: Int

    /// True when this side holds less than `other` anywhere.
    func isShort(of other: ProjectionExtent) -> Bool {
        byteOffset < other.byteOffset || ordinal < other.ordinal || turns < other.turns || messages < other.messages
    }
}

/// The verdict on one thread: every problem found, in the order the check looks (the rollout, the row, the projection).
struct CodexThreadFinding: Sendable, Equatable {
    let threadID: String
    /// The rollout judged; nil when the thread has none (a stale row).
    let rolloutPath: String?
    let problems: [CodexProblem]

    var status: CodexThreadStatus { problems.first?.status ?? .ok }
}

/// What is wrong with a home as a whole.
enum CodexHomeProblem: Sendable, Equatable {
    /// The home has rollouts and no `state_5.sqlite`: codex rebuilds the index from them on its next start
    /// (CODEX-FORMAT.md, section 9), so the threads' rows are not judged.
    case stateDatabaseMissing(rollouts: Int)
}

/// What auditing a Codex home found.
struct CodexHomeAudit: Sendable, Equatable {
    let home: CodexHome
    var homeProblems: [CodexHomeProblem] = []
    /// Every thread, in id order, ok ones too.
    var threads: [CodexThreadFinding] = []
    /// What discovery did not read (links, names that are not UTF-8).
    var unread: [UnreadEntry] = []
    /// The index is one a codex before paginated history wrote (0.133.0: `threads` has no `history_mode`), which
    /// reads every thread from its rollout as legacy and does not list a paginated rollout at all.
    var indexPredatesPagination = false

    /// The threads with a problem.
    var findings: [CodexThreadFinding] { threads.filter { !$0.problems.isEmpty } }
}

extension CodexHomeProblem {
    /// A stable name for the check, for machine output, as `CodexProblem.Check` names a thread's.
    enum Check: String, Sendable, CaseIterable {
        case stateDatabaseMissing
    }

    var check: Check {
        switch self {
        case .stateDatabaseMissing: .stateDatabaseMissing
        }
    }
}
