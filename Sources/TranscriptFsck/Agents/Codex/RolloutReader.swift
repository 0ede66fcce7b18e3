/// Reads one rollout file, streamed through the transcript machinery (`PlainFileSource`, or `ZstdFileSource` for a
/// `.jsonl.zst`; `LineReader`, `JSONScanner`), into a `Rollout`: what a check compares with the index row and the
/// projection. Offsets and ordinals are of the text, decompressed: the places codex's own reader counts.
///
/// Every line is one JSON object `{"timestamp", "type", "payload"}` (0.163.0 adds `ordinal`). A line that is not is a
/// defect and the read goes on, as codex's own reader skips a line it cannot parse; only a file that cannot be read
/// stops it. Blank lines are skipped but counted, as they take an ordinal's place in the file.
///
/// ```swift
/// let rollout = RolloutReader(path: file.path).read()
/// if rollout.defects.isEmpty, let id = rollout.threadID { ... }
/// ```
struct RolloutReader {
    let path: String
    var limits = ReadLimits.standard

    func read() -> Rollout {
        var reading = Reading(rollout: Rollout(path: path))
        // A FIFO would wait for a writer at the open, a device would stream without end: only a file is read.
        if let status = try? FileStatus(path: path), !status.isRegularFile {
            reading.rollout.isReadWhole = false
            reading.rollout.defects.append(RolloutDefect(path: path, place: .file, kind: .notAFile))
            return reading.rollout
        }
        do {
            let lines = LineReader(path: path, maximumLineBytes: limits.maximumLineBytes)
            if RolloutFile.isCompressed(path) {
                var source = try ZstdFileSource(path: path, limits: limits)
                reading.rollout.byteSize = try lines.forEachLine(from: &source) { line in reading.take(line) }
            } else {
                var source = try PlainFileSource(path: path)
                reading.rollout.byteSize = try lines.forEachLine(from: &source) { line in reading.take(line) }
            }
        } catch {
            reading.rollout.isReadWhole = false
            reading.rollout.defects.append(RolloutDefect(path: path, place: error.place, kind: .unreadable(error.defect)))
        }
        reading.finish()
        return reading.rollout
    }
}

/// The state of one read: the rollout so far and the turns still open.
private struct Reading {
    var rollout: Rollout
    /// Turn id to its place in `rollout.turns`, while the turn has no `task_complete`.
    var openTurns: [String: Int] = [:]
    /// Places in `rollout.turns` of the turns started, latest last; a turn closed since is dropped when it comes to
    /// the top, so that finding the latest open turn costs a line no more than its own turn (not every turn before it).
    var startedTurns: [Int] = []
    var sawFirstLine = false

    mutating func finish() {
        if !sawFirstLine, rollout.isReadWhole { defect(.file, .noSessionMeta) }
    }

    mutating func defect(_ place: TranscriptError.Place, _ kind: RolloutDefect.Kind) {
        guard rollout.defects.count < Rollout.keptDefects else { return rollout.defectsNotKept += 1 }
        rollout.defects.append(RolloutDefect(path: rollout.path, place: place, kind: kind))
    }

    mutating func take(_ line: Line) {
        let ordinal = line.number - 1
        let place = TranscriptError.Place.line(line.number, byteOffset: line.byteOffset)
        let end = line.byteOffset + line.bytes.count + (line.endsWithNewline ? 1 : 0)
        if line.endsWithNewline { rollout.endLine(at: end) } else { rollout.endsOnLineBoundary = false }
        rollout.byteSize = end
        guard line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        var scanner = JSONScanner(line.bytes, validatingUTF8: true)
        var fields = LineFields()
        do throws(JSONSyntaxError) {
            try scanner.scanMembers { name, value, scanner in fields.take(name, value, in: scanner) }
            scanner.skipWhitespace()
            guard scanner.isAtEnd else { throw scanner.fail("unexpected text after the JSON object") }
        } catch {
            sawFirstLine = true
            if !line.endsWithNewline {
                defect(place, .cutShort)
            } else if let invalid = UTF8Validation.firstError(in: line.bytes) {
                defect(place, .notUTF8(column: invalid.offset + 1))
            } else if Self.isJSON(line.bytes) {
                defect(place, .notARolloutLine)
            } else {
                defect(place, .notJSON(column: error.offset + 1, parserSays: error.reason))
            }
            return
        }
        if let (offset, refusal) = CodexJSONDialect.firstRefusal(in: line.bytes) {
            // Codex skips the line as one it cannot parse: none of its facts count.
            sawFirstLine = true
            return defect(place, .refusedByCodex(column: offset + 1, refusal))
        }
        if !line.endsWithNewline { defect(place, .noFinalNewline) }
        guard let type = fields.type.flatMap({ Self.text($0, in: scanner) }), let payload = fields.payload, payload.kind == .object else {
            sawFirstLine = true
            return defect(place, .notARolloutLine)
        }
        if let ordinalSpan = fields.ordinal {
            let found = Self.integer(ordinalSpan, in: scanner)
            if found != ordinal { defect(place, .ordinalOutOfStep(expected: ordinal, found: found)) }
        }
        let isFirstLine = !sawFirstLine
        sawFirstLine = true
        switch type {
        case "session_meta" where isFirstLine:
            let meta = Self.members(of: payload, in: scanner, named: ["id", "history_mode"])
            rollout.threadID = meta[0]
            rollout.historyMode = meta[1]
            if rollout.threadID == nil { defect(place, .sessionMetaWithoutID) }
        case "event_msg":
            if isFirstLine { defect(place, .noSessionMeta) }
            event(Self.members(of: payload, in: scanner, named: ["type", "turn_id"]), payload: payload, in: scanner,
                  ordinal: ordinal, line: line, end: end)
        default:
            if isFirstLine { defect(place, .noSessionMeta) }
        }
    }

    /// A turn's start or end, or a completed item.
    private mutating func event(_ members: [String?], payload: JSONSpan, in scanner: JSONScanner, ordinal: Int, line: Line, end: Int) {
        let turnID = members[1]
        switch members[0] {
        case "task_started":
            if let turnID { openTurns[turnID] = rollout.turns.count }
            startedTurns.append(rollout.turns.count)
            rollout.turns.append(RolloutTurn(turnID: turnID, startOrdinal: ordinal, startByteOffset: line.byteOffset))
        case "task_complete":
            // By its id; a task_complete without one closes the turn that started last and is still open.
            let open = turnID.flatMap { openTurns.removeValue(forKey: $0) } ?? (turnID == nil ? latestOpenTurn() : nil)
            guard let open else { return }
            if let id = rollout.turns[open].turnID, openTurns[id] == open { openTurns[id] = nil }
            rollout.turns[open].endOrdinal = ordinal
            rollout.turns[open].endByteOffset = end
        case "item_completed":
            var item: [String?] = [nil, nil]
            Self.forEachMember(of: payload, in: scanner) { name, value, scanner in
                guard name == "item", value.kind == .object else { return }
                item = Self.members(of: value, in: scanner, named: ["type", "id"])
            }
            rollout.completedItems.append(RolloutItem(ordinal: ordinal, byteOffset: line.byteOffset, turnID: turnID,
                                                      itemType: item[0], itemID: item[1]))
        default:
            break
        }
    }

    /// The place of the turn that started last and has no `task_complete` yet.
    private mutating func latestOpenTurn() -> Int? {
        while let last = startedTurns.last, rollout.turns[last].endOrdinal != nil { startedTurns.removeLast() }
        return startedTurns.last
    }

    /// Whether the line is one whole JSON value, told without building its tree: a line of millions of values would
    /// build as many nodes (and `ParsedJSON`'s builder copies an array at each element it adds).
    static func isJSON(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var scanner = JSONScanner(bytes)
        var sink = DiscardingSink()
        guard (try? scanner.scanValue(into: &sink)) != nil else { return false }
        scanner.skipWhitespace()
        return scanner.isAtEnd
    }

    /// The string values of the members `names` of the object at `span`, in that order; nil where absent or not a
    /// string. A repeated name keeps its last value, as serde_json's maps do.
    static func members(of span: JSONSpan, in scanner: JSONScanner, named names: [String]) -> [String?] {
        var values = [String?](repeating: nil, count: names.count)
        forEachMember(of: span, in: scanner) { name, value, scanner in
            guard let index = names.firstIndex(of: name) else { return }
            values[index] = text(value, in: scanner)
        }
        return values
    }

    /// Each member of the object at `span` (already validated), its name decoded.
    static func forEachMember(of span: JSONSpan, in scanner: JSONScanner, _ visit: (String, JSONSpan, JSONScanner) -> Void) {
        var inner = JSONScanner(scanner.bytes(of: span))
        try? inner.scanMembers { name, value, inner in
            guard let name = text(name, in: inner) else { return }
            visit(name, value, inner)
        }
    }

    static func text(_ span: JSONSpan, in scanner: JSONScanner) -> String? {
        guard span.kind == .string, case .text(let text) = TranscriptMessage.value(of: span, in: scanner) else { return nil }
        return text
    }

    static func integer(_ span: JSONSpan, in scanner: JSONScanner) -> Int? {
        guard span.kind == .number, case .integer(let value) = TranscriptMessage.value(of: span, in: scanner) else { return nil }
        return Int(value)
    }
}

/// Where a line's top-level members are.
private struct LineFields {
    var type: JSONSpan?
    var payload: JSONSpan?
    var ordinal: JSONSpan?

    mutating func take(_ name: JSONSpan, _ value: JSONSpan, in scanner: JSONScanner) {
        switch Reading.text(name, in: scanner) {
        case "type": type = value
        case "payload": payload = value
        case "ordinal": ordinal = value
        default: break
        }
    }
}
