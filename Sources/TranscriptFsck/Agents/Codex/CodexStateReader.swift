/// Reads codex's two databases read-only, opened as the Hermes database is (`StoreDatabase.open`): the thread index
/// (`state_5.sqlite`, table `threads`) and, from 0.163.0, the projection of paginated threads
/// (`thread_history_1.sqlite`: `thread_history_projection_state`, `thread_turns`, `thread_items`). Each database is
/// read in one read transaction, so its tables agree with each other.
///
/// ```swift
/// let state = try CodexStateReader.read(home)
/// let row = state.rows?.first { $0.id == id }
/// ```
enum CodexStateReader {
    /// Both databases of `home`; a database the home does not have is nil.
    static func read(_ home: CodexHome) throws(FsckError) -> CodexState {
        CodexState(rows: home.hasStateDatabase ? try threads(in: home.stateDatabase) : nil,
                   projections: home.hasHistoryDatabase ? try projections(in: home.historyDatabase) : nil)
    }

    /// Every row of `threads`, in id order. 0.133.0's table lacks `history_mode` and other later columns: those are nil.
    static func threads(in path: String) throws(FsckError) -> [CodexThreadRow] {
        let connection = try StoreDatabase.open(path: path)
        return try reading(connection) {
            let columns = try Self.columns(of: "threads", in: connection)
            guard !columns.isEmpty else { throw Missing(table: "threads", columns: []) }
            let select = try connection.prepare(try Self.select(
                ["id", "rollout_path", "archived"],
                optional: ["archived_at", "history_mode", "source", "model_provider", "cwd", "title", "preview", "cli_version",
                           "created_at", "updated_at"],
                from: "threads", columns: columns, orderBy: "id"))
            var rows: [CodexThreadRow] = []
            while try select.step() {
                rows.append(CodexThreadRow(
                    id: select.text(0) ?? "", rolloutPath: select.text(1) ?? "", archived: select.integer(2) != 0,
                    archivedAt: select.isNull(3) ? nil : select.integer(3), historyMode: select.text(4), source: select.text(5),
                    modelProvider: select.text(6), cwd: select.text(7), title: select.text(8), preview: select.text(9),
                    cliVersion: select.text(10), createdAt: select.isNull(11) ? nil : select.integer(11),
                    updatedAt: select.isNull(12) ? nil : select.integer(12)))
            }
            return rows
        }
    }

    /// The projection of each thread that has one (a cursor, turns or items), by thread id.
    static func projections(in path: String) throws(FsckError) -> [String: CodexProjection] {
        let connection = try StoreDatabase.open(path: path)
        return try reading(connection) {
            var projections: [String: CodexProjection] = [:]
            func projection(_ id: String) -> CodexProjection { projections[id] ?? CodexProjection(threadID: id) }
            let cursorColumns = try Self.columns(of: "thread_history_projection_state", in: connection)
            if !cursorColumns.isEmpty {
                let cursors = try connection.prepare(try Self.select(
                    ["thread_id", "next_rollout_byte_offset", "next_rollout_ordinal"], from: "thread_history_projection_state",
                    columns: cursorColumns))
                while try cursors.step() {
                    let id = cursors.text(0) ?? ""
                    var found = projection(id)
                    found.cursor = CodexProjection.Cursor(byteOffset: Int(cursors.integer(1)), ordinal: Int(cursors.integer(2)))
                    projections[id] = found
                }
            }
            let turnColumns = try Self.columns(of: "thread_turns", in: connection)
            if !turnColumns.isEmpty {
                let turns = try connection.prepare(try Self.select(
                    ["thread_id", "turn_id", "rollout_ordinal"],
                    optional: ["rollout_byte_offset", "rollout_end_ordinal", "rollout_end_byte_offset", "status"],
                    from: "thread_turns", columns: turnColumns, orderBy: "thread_id, rollout_ordinal"))
                while try turns.step() {
                    let id = turns.text(0) ?? ""
                    var found = projection(id)
                    found.turns.append(ProjectedTurn(
                        turnID: turns.text(1) ?? "", ordinal: Int(turns.integer(2)),
                        byteOffset: turns.isNull(3) ? nil : Int(turns.integer(3)), endOrdinal: turns.isNull(4) ? nil : Int(turns.integer(4)),
                        endByteOffset: turns.isNull(5) ? nil : Int(turns.integer(5)), status: turns.text(6)))
                    projections[id] = found
                }
            }
            let itemColumns = try Self.columns(of: "thread_items", in: connection)
            if !itemColumns.isEmpty {
                let items = try connection.prepare(try Self.select(
                    ["thread_id", "turn_id", "item_id", "rollout_ordinal"], optional: ["item_type"], from: "thread_items",
                    columns: itemColumns, orderBy: "thread_id, rollout_ordinal"))
                while try items.step() {
                    let id = items.text(0) ?? ""
                    var found = projection(id)
                    found.items.append(ProjectedItem(turnID: items.text(1) ?? "", itemID: items.text(2) ?? "",
                                                     ordinal: Int(items.integer(3)), itemType: items.text(4)))
                    projections[id] = found
                }
            }
            return projections
        }
    }

    /// A table the reader needs lacks columns it cannot do without, or (`columns` empty) is not there.
    private struct Missing: Error {
        let table: String
        let columns: [String]
    }

    /// Runs `body` in one read transaction of `connection`, its failures as the errors that stop a command.
    private static func reading<Result>(_ connection: SQLiteConnection, _ body: () throws -> Result) throws(FsckError) -> Result {
        var result: Result?
        do {
            try connection.inTransaction {
                result = try body()
                return .commit
            }
        } catch let missing as Missing {
            throw .unknownSchema(path: connection.path, detail: missing.columns.isEmpty ? "no table \(missing.table)"
                                 : "table \(missing.table) has no column " + missing.columns.joined(separator: ", "))
        } catch {
            throw FsckError(reading: error, path: connection.path)
        }
        return result!
    }

    /// The `SELECT` of `required` and `optional` columns of `table`, NULL for an optional one it lacks; `Missing` when
    /// it lacks a required one.
    private static func select(_ required: [String], optional: [String] = [], from table: String, columns: Set<String>,
                               orderBy: String? = nil) throws -> String {
        let missing = required.filter { !columns.contains($0) }
        guard missing.isEmpty else { throw Missing(table: table, columns: missing) }
        let names = required.map(SQLiteText.quotedIdentifier) + optional.map { columns.contains($0) ? SQLiteText.quotedIdentifier($0) : "NULL" }
        return "SELECT " + names.joined(separator: ", ") + " FROM " + SQLiteText.quotedIdentifier(table) + (orderBy.map { " ORDER BY " + $0 } ?? "")
    }

    /// The names of the table's stored columns; empty when there is no such table. A view of that name is none: its
    /// rows are computed as they are read, without end for a recursive one. Generated columns are left out
    /// (`table_info` lists none), as each is computed as it is read too: a 100 MB string a row from a file of a page.
    private static func columns(of table: String, in connection: SQLiteConnection) throws(SQLiteError) -> Set<String> {
        let statement = try connection.prepare(
            "SELECT name FROM pragma_table_info(?1) WHERE (SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE) = 'table'")
        try statement.bind([.text(table)])
        var names: Set<String> = []
        while try statement.step() { names.insert(statement.text(0) ?? "") }
        return names
    }
}

/// What codex's databases hold for a home; nil for a database the home does not have.
struct CodexState: Sendable, Equatable {
    var rows: [CodexThreadRow]?
    var projections: [String: CodexProjection]?
}

/// One row of `threads`: the index behind codex's resume picker and the app's sidebar.
struct CodexThreadRow: Sendable, Equatable {
    let id: String
    /// Absolute, as codex writes it.
    let rolloutPath: String
    let archived: Bool
    let archivedAt: Int64?
    /// `paginated` or `legacy`; nil where the table has no such column (0.133.0: every thread is legacy).
    let historyMode: String?
    /// What the picker filters on (`source`, `model_provider`, `cwd`) and shows (`title`, `preview`).
    let source: String?
    let modelProvider: String?
    let cwd: String?
    let title: String?
    let preview: String?
    /// The version that created the thread.
    let cliVersion: String?
    /// Seconds since the epoch.
    let createdAt: Int64?
    let updatedAt: Int64?
}

/// The projection of one paginated thread, as `thread_history_1.sqlite` holds it.
struct CodexProjection: Sendable, Equatable {
    /// How far the projection has read the rollout: the byte offset and the ordinal of the next line to read.
    struct Cursor: Sendable, Equatable {
        let byteOffset: Int
        let ordinal: Int
    }

    let threadID: String
    /// Nil when `thread_history_projection_state` has no row for the thread.
    var cursor: Cursor?
    /// In rollout order.
    var turns: [ProjectedTurn] = []
    var items: [ProjectedItem] = []

    init(threadID: String) { self.threadID = threadID }

    /// The user and agent messages, the items the rollout's `item_completed` lines are compared with.
    var messageCount: Int { items.filter(\.isMessage).count }
}

/// A row of `thread_turns`: where the turn's `task_started` line is, and where its `task_complete` line ends.
struct ProjectedTurn: Sendable, Equatable {
    let turnID: String
    let ordinal: Int
    let byteOffset: Int?
    let endOrdinal: Int?
    let endByteOffset: Int?
    /// `completed`, ...
    let status: String?
}

/// A row of `thread_items`.
struct ProjectedItem: Sendable, Equatable {
    let turnID: String
    let itemID: String
    let ordinal: Int
    /// `userMessage`, `agentMessage`, ...
    let itemType: String?

    /// A user or agent message: what the rollout's `item_completed` messages are compared with.
    var isMessage: Bool { itemType == "userMessage" || itemType == "agentMessage" }
}
