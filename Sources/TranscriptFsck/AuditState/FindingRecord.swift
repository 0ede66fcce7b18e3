/// A finding as one positional JSON array of the `--since` state file, and back: the whole finding but its
/// alignment, which only a repair needs and a repair always reads the store again for.
///
///     ["STATUS", PROBLEM|null, "PATH"|null, ["PATH", ...], TRANSCRIPT_MESSAGES, DATABASE_MESSAGES, MISSING, [WARNING, ...], FACTS|null]
///     PROBLEM: ["truncated", KEPT, OF, "older"|"newer"|"scattered"]  ["no_rows", MESSAGES, SESSION_ROW_EXISTS]
///              ["no_session_row", MESSAGES]  ["continued", MISSING, OF, NEWER_ROWS]
///              ["diverged", ROW, ROW_ID|null, ROWS, AFTER_MESSAGE, TRANSCRIPT_ONLY, DATABASE_ONLY]
///              ["transcripts_disagree", "PATH", "PATH", MESSAGE]  ["unreadable", "PATH", PLACE, "REASON", "HINT"]
///     PLACE: ["line", LINE, BYTE_OFFSET]  ["byte", BYTE_OFFSET]  ["file"]
///     WARNING: ["unfinished_last_line", "PATH", LINE]  ["rows_without_session_row", ROWS]  ["rows_written_during_scan", ROWS]
///     FACTS: [HAS_SESSION_ROW, "SOURCE"|null, STARTED_AT|null]
enum FindingRecord {
    static func encode(_ finding: SessionFinding) -> JSONValue {
        .array([.string(finding.status.rawValue), finding.problem.map(encode) ?? .null, .optional(finding.transcriptPath),
                .array(finding.transcriptPaths.map(JSONValue.string)), .integer(finding.transcriptMessages),
                .integer(finding.databaseMessages), .integer(finding.missingMessages), .array(finding.warnings.map(encode)),
                finding.session.map { .array([.bool($0.hasSessionRow), .optional($0.source), $0.startedAt.map(JSONValue.number) ?? .null]) } ?? .null])
    }

    static func decode(_ node: ParsedJSON, sessionID: SessionID) -> SessionFinding? {
        guard case .array(let fields) = node, fields.count == 9, let status = fields[0].string.flatMap(SessionStatus.init(rawValue:)),
              let paths = fields[3].strings, let transcriptMessages = fields[4].integer, let databaseMessages = fields[5].integer,
              let missing = fields[6].integer, case .array(let warningNodes) = fields[7] else { return nil }
        var problem: Problem?
        if fields[1] != .null { guard let decoded = decodeProblem(fields[1]) else { return nil }; problem = decoded }
        let warnings = warningNodes.compactMap(decodeWarning)
        guard warnings.count == warningNodes.count else { return nil }
        var facts: SessionFacts?
        if case .array(let parts) = fields[8], parts.count == 3, case .bool(let hasRow) = parts[0] {
            facts = SessionFacts(hasSessionRow: hasRow, source: parts[1].string, startedAt: parts[2].double)
        }
        return SessionFinding(sessionID: sessionID, status: status, problem: problem, transcriptPath: fields[2].string,
                              transcriptPaths: paths, transcriptMessages: transcriptMessages, databaseMessages: databaseMessages,
                              missingMessages: missing, warnings: warnings, session: facts, alignment: nil)
    }

    private static func encode(_ problem: Problem) -> JSONValue {
        switch problem {
        case .truncated(let kept, let total, let lost):
            .array([.string("truncated"), .integer(kept), .integer(total), .string(lost.rawValue)])
        case .noRows(let messages, let exists):
            .array([.string("no_rows"), .integer(messages), .bool(exists)])
        case .noSessionRow(let messages):
            .array([.string("no_session_row"), .integer(messages)])
        case .continued(let missing, let total, let newer):
            .array([.string("continued"), .integer(missing), .integer(total), .integer(newer)])
        case .writtenBeforeTheTranscript(let missing, let total, let rows):
            .array([.string("written_before_the_transcript"), .integer(missing), .integer(total), .integer(rows)])
        case .writtenTwice(let rows, let from, let to):
            .array([.string("written_twice"), .integer(rows), .integer(Int(from)), .integer(Int(to))])
        case .diverged(let d):
            .array([.string("diverged"), .integer(d.row), d.rowID.map { .integer(Int($0)) } ?? .null, .integer(d.databaseRows),
                    .integer(d.afterMessage), .integer(d.transcriptOnly), .integer(d.databaseOnly)])
        case .transcriptsDisagree(let first, let second, let message):
            .array([.string("transcripts_disagree"), .string(first), .string(second), .integer(message)])
        case .unreadable(let error):
            .array([.string("unreadable"), .string(error.path), encode(error.place), encode(error.defect)])
        }
    }

    private static func encode(_ place: TranscriptError.Place) -> JSONValue {
        switch place {
        case .line(let line, let offset): .array([.string("line"), .integer(line), .integer(offset)])
        case .byte(let offset): .array([.string("byte"), .integer(offset)])
        case .file: .array([.string("file")])
        }
    }

    private static func encode(_ defect: TranscriptError.Defect) -> JSONValue {
        switch defect {
        case .cannotOpen(let code): .array([.string("cannot_open"), .integer(Int(code))])
        case .readFailed(let code): .array([.string("read_failed"), .integer(Int(code))])
        case .emptyArchive: .array([.string("empty_archive")])
        case .gzipEndsEarly: .array([.string("gzip_ends_early")])
        case .corruptGzip(let message): .array([.string("corrupt_gzip"), .string(message)])
        case .zlibOutOfMemory: .array([.string("zlib_out_of_memory")])
        case .expandsTooFar(let ratio, let mebibytes, let stored):
            .array([.string("expands_too_far"), .integer(ratio), .integer(mebibytes), .integer(stored)])
        case .gzipMakesNoProgress: .array([.string("gzip_makes_no_progress")])
        case .emptyZstd: .array([.string("empty_zstd")])
        case .zstdEndsEarly: .array([.string("zstd_ends_early")])
        case .corruptZstd(let message): .array([.string("corrupt_zstd"), .string(message)])
        case .zstdMakesNoProgress: .array([.string("zstd_makes_no_progress")])
        case .lineTooLong(let limit): .array([.string("line_too_long"), .integer(limit)])
        case .noMemoryForLine(let mebibytes): .array([.string("no_memory_for_line"), .integer(mebibytes)])
        case .notAMessage(let column, let parserSays): .array([.string("not_a_message"), .integer(column), .string(parserSays)])
        }
    }

    private static func decodeDefect(_ node: ParsedJSON) -> TranscriptError.Defect? {
        guard case .array(let f) = node else { return nil }
        switch (f.first?.string, f.count) {
        case ("cannot_open", 2): return f[1].integer.map { .cannotOpen(errno: Int32(truncatingIfNeeded: $0)) }
        case ("read_failed", 2): return f[1].integer.map { .readFailed(errno: Int32(truncatingIfNeeded: $0)) }
        case ("empty_archive", 1): return .emptyArchive
        case ("gzip_ends_early", 1): return .gzipEndsEarly
        case ("corrupt_gzip", 2): return f[1].string.map { .corruptGzip(zlibMessage: $0) }
        case ("zlib_out_of_memory", 1): return .zlibOutOfMemory
        case ("expands_too_far", 4):
            guard let ratio = f[1].integer, let mebibytes = f[2].integer, let stored = f[3].integer else { return nil }
            return .expandsTooFar(ratio: ratio, mebibytes: mebibytes, storedBytes: stored)
        case ("gzip_makes_no_progress", 1): return .gzipMakesNoProgress
        case ("empty_zstd", 1): return .emptyZstd
        case ("zstd_ends_early", 1): return .zstdEndsEarly
        case ("corrupt_zstd", 2): return f[1].string.map { .corruptZstd(zstdMessage: $0) }
        case ("zstd_makes_no_progress", 1): return .zstdMakesNoProgress
        case ("line_too_long", 2): return f[1].integer.map { .lineTooLong(limitMebibytes: $0) }
        case ("no_memory_for_line", 2): return f[1].integer.map { .noMemoryForLine(mebibytes: $0) }
        case ("not_a_message", 3): return f[1].integer.flatMap { column in f[2].string.map { .notAMessage(column: column, parserSays: $0) } }
        default: return nil
        }
    }

    private static func encode(_ warning: SessionWarning) -> JSONValue {
        switch warning {
        case .unfinishedLastLine(let path, let line): .array([.string("unfinished_last_line"), .string(path), .integer(line)])
        case .rowsWithoutSessionRow(let rows): .array([.string("rows_without_session_row"), .integer(rows)])
        case .rowsWrittenDuringScan(let rows): .array([.string("rows_written_during_scan"), .integer(rows)])
        case .deletedByTheUser(let freed): .array([.string("deleted_by_the_user"), .integer(freed)])
        case .neverRecorded(let before): .array([.string("never_recorded"), .bool(before)])
        }
    }

    private static func decodeProblem(_ node: ParsedJSON) -> Problem? {
        guard case .array(let f) = node, let kind = f.first?.string else { return nil }
        switch (kind, f.count) {
        case ("truncated", 4):
            guard let kept = f[1].integer, let total = f[2].integer, let lost = f[3].string.flatMap(Problem.LostMessages.init) else { return nil }
            return .truncated(kept: kept, of: total, lost: lost)
        case ("no_rows", 3):
            guard let messages = f[1].integer, case .bool(let exists) = f[2] else { return nil }
            return .noRows(transcriptMessages: messages, sessionRowExists: exists)
        case ("no_session_row", 2):
            return f[1].integer.map { .noSessionRow(messages: $0) }
        case ("continued", 4):
            guard let missing = f[1].integer, let total = f[2].integer, let newer = f[3].integer else { return nil }
            return .continued(missing: missing, of: total, newerRows: newer)
        case ("written_before_the_transcript", 4):
            guard let missing = f[1].integer, let total = f[2].integer, let rows = f[3].integer else { return nil }
            return .writtenBeforeTheTranscript(missing: missing, of: total, rows: rows)
        case ("written_twice", 4):
            guard let rows = f[1].integer, let from = f[2].integer, let to = f[3].integer else { return nil }
            return .writtenTwice(rows: rows, fromRowID: Int64(from), toRowID: Int64(to))
        case ("diverged", 7):
            guard let row = f[1].integer, let rows = f[3].integer, let after = f[4].integer, let transcriptOnly = f[5].integer,
                  let databaseOnly = f[6].integer else { return nil }
            return .diverged(Divergence(row: row, rowID: f[2].integer.map(Int64.init), databaseRows: rows, afterMessage: after,
                                        transcriptOnly: transcriptOnly, databaseOnly: databaseOnly))
        case ("transcripts_disagree", 4):
            guard let first = f[1].string, let second = f[2].string, let message = f[3].integer else { return nil }
            return .transcriptsDisagree(first: first, second: second, message: message)
        case ("unreadable", 4):
            guard let path = f[1].string, let place = decodePlace(f[2]), let defect = decodeDefect(f[3]) else { return nil }
            return .unreadable(TranscriptError(path: path, place: place, defect: defect))
        default:
            return nil
        }
    }

    private static func decodePlace(_ node: ParsedJSON) -> TranscriptError.Place? {
        guard case .array(let f) = node else { return nil }
        switch (f.first?.string, f.count) {
        case ("line", 3): return f[1].integer.flatMap { line in f[2].integer.map { .line(line, byteOffset: $0) } }
        case ("byte", 2): return f[1].integer.map { .byte($0) }
        case ("file", 1): return .file
        default: return nil
        }
    }

    private static func decodeWarning(_ node: ParsedJSON) -> SessionWarning? {
        guard case .array(let f) = node else { return nil }
        switch (f.first?.string, f.count) {
        case ("unfinished_last_line", 3): return f[1].string.flatMap { path in f[2].integer.map { .unfinishedLastLine(path: path, line: $0) } }
        case ("rows_without_session_row", 2): return f[1].integer.map { .rowsWithoutSessionRow(rows: $0) }
        case ("rows_written_during_scan", 2): return f[1].integer.map { .rowsWrittenDuringScan(rows: $0) }
        case ("deleted_by_the_user", 2): return f[1].integer.map { .deletedByTheUser(freedIDs: $0) }
        case ("never_recorded", 2):
            guard case .bool(let before) = f[1] else { return nil }
            return .neverRecorded(beforeTheDatabase: before)
        default: return nil
        }
    }
}
