/// What reading one rollout file found: the thread it is, its extent, its turns and completed items, and every
/// defect, as facts (`RolloutReader`). Ordinals count lines from 0, as codex numbers them (`ordinal`,
/// `rollout_ordinal`); defects name lines from 1, as people count (`TranscriptError.Place`).
struct Rollout: Sendable, Equatable {
    let path: String
    /// `payload.id` of the `session_meta` line that opens the file; nil when it has none.
    var threadID: String?
    /// `payload.history_mode` of that line: `paginated` from 0.163.0 (and after `migrate-rollouts`); nil for legacy.
    var historyMode: String?
    /// Lines ended by a newline.
    var lineCount = 0
    /// Bytes read: the file's size when it was read whole.
    var byteSize = 0
    /// False when bytes follow the last newline (a line the writer did not finish, or did not end).
    var endsOnLineBoundary = true
    /// Turns in the order they started.
    var turns: [RolloutTurn] = []
    /// The `event_msg` lines of type `item_completed` (0.163.0), in order.
    var completedItems: [RolloutItem] = []
    /// The first `keptDefects` defects, in file order (and the one that stopped the read, if any); `defectsNotKept`
    /// counts the rest, so that a file of garbage costs no more memory than a whole one.
    var defects: [RolloutDefect] = []
    var defectsNotKept = 0
    static let keptDefects = 100
    /// False when the read stopped before the end (the file could not be opened or read, a line was too long): the
    /// facts above then cover the lines before the stop only.
    var isReadWhole = true
    /// The byte offset just past each line ended by a newline: where line `ordinal + 1` starts.
    private(set) var lineEnds: [Int] = []

    init(path: String) { self.path = path }

    /// Where the line of this ordinal starts, the lines before it all ended; for `lineCount`, the end of the last
    /// whole line. Nil past that.
    func byteOffset(ofOrdinal ordinal: Int) -> Int? {
        guard ordinal >= 0, ordinal <= lineEnds.count else { return nil }
        return ordinal == 0 ? 0 : lineEnds[ordinal - 1]
    }

    /// The end of the last line ended by a newline: as far as a projection can have read.
    var wholeLinesEnd: Int { lineEnds.last ?? 0 }

    mutating func endLine(at offset: Int) {
        lineEnds.append(offset)
        lineCount = lineEnds.count
    }

    /// The user and agent messages completed, each item once (by turn and item id): the items codex's projection
    /// was seen to hold a row for (`thread_items`, `userMessage` and `agentMessage`).
    var completedMessageCount: Int {
        Set(completedItems.filter(\.isMessage).map { [$0.turnID ?? "", $0.itemID ?? ""] }).count
    }
}

/// One turn of a rollout: from its `task_started` line to its `task_complete`, where it has one.
struct RolloutTurn: Sendable, Equatable {
    let turnID: String?
    /// The `task_started` line.
    let startOrdinal: Int
    let startByteOffset: Int
    /// The `task_complete` line, and the offset just past it (its newline included); nil while the turn is open.
    var endOrdinal: Int?
    var endByteOffset: Int?
}

/// One `item_completed` line.
struct RolloutItem: Sendable, Equatable {
    let ordinal: Int
    let byteOffset: Int
    let turnID: String?
    /// `item.type`: `UserMessage`, `AgentMessage`, ...
    let itemType: String?
    let itemID: String?

    var isMessage: Bool { itemType == "UserMessage" || itemType == "AgentMessage" }
}

/// Why a rollout is not whole, as a fact: the file, the place and the defect; worded in Reporting, as
/// `TranscriptError` is.
struct RolloutDefect: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The read stopped here: the file could not be opened or read, or a line was past the limit.
        case unreadable(TranscriptError.Defect)
        /// The path names no regular file (a FIFO, a device, a directory): not read.
        case notAFile
        /// The line is not JSON; `parserSays` is the JSON scanner's reason at the 1-based `column`.
        case notJSON(column: Int, parserSays: String)
        /// JSON that codex's parser (serde_json) refuses, from the 1-based `column`: codex skips the line.
        case refusedByCodex(column: Int, CodexJSONDialect.Refusal)
        /// The line's bytes are not UTF-8 from the 1-based `column`.
        case notUTF8(column: Int)
        /// Valid JSON, but not a rollout line: an object with a string `type` and an object `payload`.
        case notARolloutLine
        /// The last line has no newline and is not whole JSON: the writer stopped in the middle of it.
        case cutShort
        /// The last line is whole but has no newline: the next line codex appends would run into it.
        case noFinalNewline
        /// The file does not open with a `session_meta` line (place: the first line, or the file when it has none).
        case noSessionMeta
        /// The `session_meta` payload has no string `id`.
        case sessionMetaWithoutID
        /// The line's `ordinal` (0.163.0) is not its 0-based place in the file, or not an integer (`found` nil).
        case ordinalOutOfStep(expected: Int, found: Int?)
    }

    let path: String
    let place: TranscriptError.Place
    let kind: Kind
}
