import TranscriptFsck

/// A chat message as a test or the demo plants it in either store.
package struct FixtureMessage: Sendable, Equatable {
    /// A tool call of an assistant message.
    package struct ToolCall: Sendable, Equatable {
        package var id: String
        package var name: String
        /// The arguments as the model wrote them: JSON text inside a string.
        package var arguments: String

        package init(id: String, name: String, arguments: String) {
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    /// The content: a string, null, or a list of text parts (multimodal).
    package enum Content: Sendable, Equatable {
        case text(String)
        case null
        case parts([String])
    }

    package var role: String
    package var content: Content
    package var toolCalls: [ToolCall] = []
    package var toolCallID: String?
    package var toolName: String?
    /// Epoch seconds; nil writes no timestamp.
    package var timestamp: Double?

    package init(role: String, content: Content, toolCalls: [ToolCall] = [], toolCallID: String? = nil,
                toolName: String? = nil, timestamp: Double?) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.toolName = toolName
        self.timestamp = timestamp
    }

    /// The line the agent appends: `json.dumps(message, ensure_ascii=False)`.
    package func transcriptLine() -> String {
        var members = [("role", PythonJSON.string(role, asciiOnly: false))]
        members.append(("content", contentJSON(asciiOnly: false)))
        if !toolCalls.isEmpty { members.append(("tool_calls", toolCallsJSON(asciiOnly: false))) }
        if let toolCallID { members.append(("tool_call_id", PythonJSON.string(toolCallID, asciiOnly: false))) }
        if let toolName { members.append(("tool_name", PythonJSON.string(toolName, asciiOnly: false))) }
        if let timestamp { members.append(("timestamp", PythonJSON.string(TranscriptTimestamp.localISO8601(timestamp), asciiOnly: false))) }
        return PythonJSON.object(members)
    }

    /// The `content` column the agent's flush (0.13/0.14 `run_agent`) stores: the string, or the text parts
    /// joined by newlines.
    package var databaseContent: String? {
        switch content {
        case .text(let text): text
        case .null: nil
        case .parts(let parts): parts.joined(separator: "\n")
        }
    }

    /// The `content` column `SessionDB` itself stores for the message (and every agent from 0.15.0 on):
    /// the string, or `"\0json:" + json.dumps(parts)`.
    package var encodedDatabaseContent: String? {
        switch content {
        case .text(let text): text
        case .null: nil
        case .parts: "\u{0}json:" + contentJSON(asciiOnly: true)
        }
    }

    /// The `tool_calls` column: `json.dumps(tool_calls)` or NULL when there are none.
    package var databaseToolCalls: String? { toolCalls.isEmpty ? nil : toolCallsJSON(asciiOnly: true) }

    private func contentJSON(asciiOnly: Bool) -> String {
        switch content {
        case .text(let text): PythonJSON.string(text, asciiOnly: asciiOnly)
        case .null: "null"
        case .parts(let parts):
            "[" + parts.map { PythonJSON.object([("type", "\"text\""), ("text", PythonJSON.string($0, asciiOnly: asciiOnly))]) }
                .joined(separator: ", ") + "]"
        }
    }

    private func toolCallsJSON(asciiOnly: Bool) -> String {
        "[" + toolCalls.map { call in
            PythonJSON.object([
                ("id", PythonJSON.string(call.id, asciiOnly: asciiOnly)),
                ("type", "\"function\""),
                ("function", PythonJSON.object([("name", PythonJSON.string(call.name, asciiOnly: asciiOnly)),
                                                ("arguments", PythonJSON.string(call.arguments, asciiOnly: asciiOnly))])),
            ])
        }.joined(separator: ", ") + "]"
    }

}

/// JSON text as Python's `json.dumps` writes it, with its `", "` and `": "` separators.
package enum PythonJSON {
    package static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    package static func string(_ text: String, asciiOnly: Bool) -> String {
        JSONValue.quoted(text, asciiOnly: asciiOnly)
    }
}
