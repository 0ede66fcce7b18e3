/// Derives from a paginated rollout the projection rows codex 0.163.0 writes for it (`thread_turns`, `thread_items`,
/// `thread_history_projection_state`), as its writer does when it projects a turn:
/// - a turn's row from its `task_started` line (ordinal, byte offset, `started_at`, `root_turn_id`) and its
///   `task_complete` line (end ordinal, the offset past that line, `completed_at`, `duration_ms`, status `completed`);
///   `first_user_item_id` the turn's first user message, `final_agent_item_id` its last agent message;
/// - an item's row from each `item_completed` line of a user or agent message, `item_json` the app-server item codex
///   serves (`userMessage`, `agentMessage`), `created_at_ms` its `started_at_ms`;
/// - the cursor at the end of the last line, the line count as the next ordinal.
///
/// Only the shapes seen in codex's own projections are derived (`CodexRepairTests` compares every row with codex's for
/// the threads the released binary made). Any other line (a tool call's item, an aborted turn, a compaction) is a
/// shape this version cannot project as codex would, so the thread is not projected at all: `CannotProject` says why,
/// and codex projects it itself when it next writes a turn to the thread.
enum CodexProjector {
    /// Why a rollout's projection is not derived.
    enum CannotProject: Error, Sendable, Equatable {
        /// The rollout could not be read whole, or a line is not a whole JSON object.
        case unreadable(TranscriptError.Place)
        /// The last line has no newline: a writer may be in the middle of it.
        case unfinishedLastLine
        /// A line of a kind codex projects in ways this version does not know (`kind`: `type`, or `event_msg/TYPE`).
        case unknownLine(ordinal: Int, kind: String)
        /// An item of a type, or with fields, this version does not project.
        case unknownItem(ordinal: Int, kind: String)
        /// A turn started twice, ended without starting, or an item outside its turn.
        case turnOutOfOrder(ordinal: Int, turnID: String)
        /// The last turn has not ended: codex is writing it, or stopped in the middle.
        case turnNotEnded(turnID: String)
        /// A line's `ordinal` is not its place in the file.
        case ordinalOutOfStep(ordinal: Int)
        /// The rollout is a `.jsonl.zst`: this version reads compressed rollouts but does not project them.
        case compressed
        /// A turn completes the same item twice: its rows' key (thread, turn, item) holds one row, and which of the two
        /// codex keeps is not known.
        case itemRepeated(ordinal: Int, itemID: String)
    }

    /// The lines that add nothing to the projection, by `type`, and by `payload.type` for `event_msg`.
    private static let inertLines: Set<String> = ["session_meta", "response_item", "world_state", "turn_context", "token_usage_record"]
    private static let inertEvents: Set<String> = ["token_count", "thread_settings_applied"]

    static func project(rolloutAt path: String, limits: ReadLimits = .standard) -> Result<CodexProjectionRows, CannotProject> {
        if RolloutFile.isCompressed(path) { return .failure(.compressed) }
        var projection = Projection()
        do {
            var source = try PlainFileSource(path: path)
            _ = try LineReader(path: path, maximumLineBytes: limits.maximumLineBytes).forEachLine(from: &source) { line throws(TranscriptError) in
                guard projection.failure == nil else { return }
                projection.take(line)
            }
        } catch {
            return .failure(.unreadable(error.place))
        }
        if let failure = projection.failure { return .failure(failure) }
        if let open = projection.rows.turns.first(where: { $0.rolloutEndOrdinal == nil }) { return .failure(.turnNotEnded(turnID: open.turnID)) }
        return .success(projection.rows)
    }

    /// One read: the rows so far, and the first reason not to go on.
    private struct Projection {
        var rows = CodexProjectionRows()
        var failure: CannotProject?
        /// Turn id to its place in `rows.turns`.
        var turnPlaces: [String: Int] = [:]
        /// The items taken, by key; and by turn (its place), its first user message and its last agent message so far:
        /// kept as the lines come, so that a rollout of many items costs a line no more than its own item.
        var itemKeys: Set<String> = []
        var firstUserItem: [Int: String] = [:]
        var lastAgentItem: [Int: String] = [:]

        mutating func take(_ line: Line) {
            let ordinal = line.number - 1
            guard line.endsWithNewline else { return failure = .unfinishedLastLine }
            guard let json = ParsedJSON.parse(line.bytes), let type = json["type"]?.string, let payload = json["payload"],
                  case .object = payload else {
                return failure = .unreadable(.line(line.number, byteOffset: line.byteOffset))
            }
            guard json["ordinal"]?.integer == ordinal else { return failure = .ordinalOutOfStep(ordinal: ordinal) }
            let end = line.byteOffset + line.bytes.count + 1
            rows.cursor = CodexProjection.Cursor(byteOffset: end, ordinal: ordinal + 1)
            if CodexProjector.inertLines.contains(type) { return }
            let event = payload["type"]?.string ?? ""
            guard type == "event_msg" else { return failure = .unknownLine(ordinal: ordinal, kind: type) }
            switch event {
            case _ where CodexProjector.inertEvents.contains(event): return
            case "task_started": startTurn(payload, ordinal: ordinal, byteOffset: line.byteOffset)
            case "task_complete": endTurn(payload, ordinal: ordinal, end: end)
            case "item_completed": addItem(payload, ordinal: ordinal)
            default: failure = .unknownLine(ordinal: ordinal, kind: "event_msg/" + event)
            }
        }

        private mutating func startTurn(_ payload: ParsedJSON, ordinal: Int, byteOffset: Int) {
            guard let turnID = payload["turn_id"]?.string, turnPlaces[turnID] == nil else {
                return failure = .turnOutOfOrder(ordinal: ordinal, turnID: payload["turn_id"]?.string ?? "")
            }
            turnPlaces[turnID] = rows.turns.count
            let root = payload["root_turn_id"]?.string ?? payload["turn_attribution"]?["root_turn_id"]?.string
            rows.turns.append(CodexProjectionRows.Turn(
                turnID: turnID, rolloutOrdinal: ordinal, rolloutByteOffset: byteOffset, status: "inProgress",
                startedAt: payload["started_at"]?.integer, rootTurnID: root))
        }

        private mutating func endTurn(_ payload: ParsedJSON, ordinal: Int, end: Int) {
            guard let turnID = payload["turn_id"]?.string, let place = turnPlaces[turnID], rows.turns[place].rolloutEndOrdinal == nil else {
                return failure = .turnOutOfOrder(ordinal: ordinal, turnID: payload["turn_id"]?.string ?? "")
            }
            var turn = rows.turns[place]
            turn.rolloutEndOrdinal = ordinal
            turn.rolloutEndByteOffset = end
            turn.status = "completed"
            turn.startedAt = payload["started_at"]?.integer ?? turn.startedAt
            turn.completedAt = payload["completed_at"]?.integer
            turn.durationMs = payload["duration_ms"]?.integer
            turn.firstUserItemID = firstUserItem[place]
            turn.finalAgentItemID = lastAgentItem[place]
            rows.turns[place] = turn
        }

        private mutating func addItem(_ payload: ParsedJSON, ordinal: Int) {
            guard let turnID = payload["turn_id"]?.string, let place = turnPlaces[turnID], rows.turns[place].rolloutEndOrdinal == nil else {
                return failure = .turnOutOfOrder(ordinal: ordinal, turnID: payload["turn_id"]?.string ?? "")
            }
            guard let item = payload["item"], let id = item["id"]?.string, let startedAt = payload["started_at_ms"]?.integer,
                  let served = ServedItem(item) else {
                return failure = .unknownItem(ordinal: ordinal, kind: payload["item"]?["type"]?.string ?? "(no type)")
            }
            let taken = CodexProjectionRows.Item(
                turnID: turnID, itemID: id, rolloutOrdinal: ordinal, createdAtMs: startedAt, itemJSON: served.json,
                itemType: served.type, updatedAtOrdinal: ordinal, startedAtMs: startedAt,
                completedAtMs: payload["completed_at_ms"]?.integer)
            guard itemKeys.insert(taken.key).inserted else { return failure = .itemRepeated(ordinal: ordinal, itemID: id) }
            rows.items.append(taken)
            if served.type == "userMessage", firstUserItem[place] == nil { firstUserItem[place] = id }
            if served.type == "agentMessage" { lastAgentItem[place] = id }
        }
    }

    /// The app-server item codex serves for a rollout's item, as its JSON text: only a user message of text parts
    /// and an agent message of one text part, with no field beyond those codex was seen to write.
    private struct ServedItem {
        let type: String
        let json: String

        init?(_ item: ParsedJSON) {
            guard case .object(let members) = item, let id = item["id"]?.string, let content = item["content"],
                  case .array(let parts) = content else { return nil }
            let keys = Set(members.map { String(decoding: $0.key, as: UTF8.self) })
            guard keys == ["type", "id", "content"] else { return nil }
            switch item["type"]?.string {
            case "UserMessage":
                var served: [String] = []
                for part in parts {
                    guard case .object(let fields) = part, Set(fields.map { String(decoding: $0.key, as: UTF8.self) }) == ["type", "text", "text_elements"],
                          part["type"]?.string == "text", let text = part["text"]?.string,
                          case .array(let elements)? = part["text_elements"], elements.isEmpty else { return nil }
                    served.append("{\"type\":\"text\",\"text\":\(JSONValue.quoted(text)),\"text_elements\":[]}")
                }
                type = "userMessage"
                json = "{\"type\":\"userMessage\",\"id\":\(JSONValue.quoted(id)),\"clientId\":null,\"content\":[\(served.joined(separator: ","))]}"
            case "AgentMessage":
                guard parts.count == 1, case .object(let fields) = parts[0], Set(fields.map { String(decoding: $0.key, as: UTF8.self) }) == ["type", "text"],
                      parts[0]["type"]?.string == "Text", let text = parts[0]["text"]?.string else { return nil }
                type = "agentMessage"
                json = "{\"type\":\"agentMessage\",\"id\":\(JSONValue.quoted(id)),\"text\":\(JSONValue.quoted(text)),"
                    + "\"phase\":null,\"memoryCitation\":null,\"delivery\":null,\"questions\":null}"
            default:
                return nil
            }
        }
    }
}
