-- The Hermes state.db of late 2026 (schema_version 30): wide sessions, compaction columns on
-- messages, FTS5 through a view, a trigram FTS5 table, and a trigger that fills display_order.
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (30);

CREATE TABLE state_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE prompt_store (hash TEXT PRIMARY KEY, prompt TEXT NOT NULL, created_at REAL NOT NULL);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    user_id TEXT,
    model TEXT,
    model_config TEXT,
    system_prompt TEXT,
    parent_session_id TEXT REFERENCES sessions(id),
    started_at REAL NOT NULL,
    ended_at REAL,
    end_reason TEXT,
    message_count INTEGER DEFAULT 0,
    tool_call_count INTEGER DEFAULT 0,
    input_tokens INTEGER DEFAULT 0,
    output_tokens INTEGER DEFAULT 0,
    cache_read_tokens INTEGER DEFAULT 0,
    cache_write_tokens INTEGER DEFAULT 0,
    reasoning_tokens INTEGER DEFAULT 0,
    title TEXT,
    title_source TEXT,
    title_updated_at REAL,
    billing_provider TEXT,
    billing_base_url TEXT,
    billing_mode TEXT,
    estimated_cost_usd REAL,
    actual_cost_usd REAL,
    cost_status TEXT,
    cost_source TEXT,
    pricing_version TEXT,
    git_repo TEXT,
    git_branch TEXT,
    git_commit TEXT,
    cwd TEXT,
    routing_provider TEXT,
    routing_model TEXT,
    routing_reason TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    platform_chat_id TEXT,
    platform_thread_id TEXT,
    platform_user_name TEXT,
    profile TEXT,
    api_mode TEXT,
    context_window INTEGER,
    compression_count INTEGER NOT NULL DEFAULT 0,
    last_compressed_at REAL,
    last_active_at REAL,
    updated_at REAL,
    lineage_root_id TEXT,
    resume_count INTEGER NOT NULL DEFAULT 0,
    tags TEXT,
    notes TEXT,
    export_path TEXT,
    workspace TEXT,
    agent_version TEXT,
    client_version TEXT,
    locale TEXT,
    timezone TEXT,
    session_kind TEXT NOT NULL DEFAULT 'chat',
    prompt_hash TEXT
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL,
    content TEXT,
    tool_call_id TEXT,
    tool_calls TEXT,
    tool_name TEXT,
    timestamp REAL NOT NULL,
    token_count INTEGER,
    finish_reason TEXT,
    reasoning TEXT,
    reasoning_details TEXT,
    codex_reasoning_items TEXT,
    reasoning_content TEXT,
    platform_message_id TEXT,
    observed INTEGER,
    active INTEGER NOT NULL DEFAULT 1,
    compacted INTEGER NOT NULL DEFAULT 0,
    _compressed_summary TEXT,
    api_content TEXT,
    display_kind TEXT,
    display_metadata TEXT,
    display_identity BLOB,
    display_order INTEGER
);

CREATE INDEX idx_sessions_source ON sessions(source);
CREATE INDEX idx_sessions_parent ON sessions(parent_session_id);
CREATE INDEX idx_sessions_started ON sessions(started_at DESC);
CREATE INDEX idx_messages_session ON messages(session_id, timestamp);
CREATE INDEX idx_messages_active ON messages(session_id, active, display_order);

CREATE VIEW messages_fts_src AS
    SELECT id, content, tool_name, tool_calls FROM messages;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, tool_name, tool_calls, content=messages_fts_src, content_rowid=id
);
CREATE VIRTUAL TABLE messages_fts_trigram USING fts5(content, tokenize='trigram');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content, tool_name, tool_calls)
    VALUES (new.id, new.content, new.tool_name, new.tool_calls);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, tool_name, tool_calls)
    VALUES ('delete', old.id, old.content, old.tool_name, old.tool_calls);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, tool_name, tool_calls ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content, tool_name, tool_calls)
    VALUES ('delete', old.id, old.content, old.tool_name, old.tool_calls);
    INSERT INTO messages_fts(rowid, content, tool_name, tool_calls)
    VALUES (new.id, new.content, new.tool_name, new.tool_calls);
END;

CREATE TRIGGER messages_fts_trigram_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts_trigram(rowid, content) VALUES (new.id, coalesce(new.content, ''));
END;
CREATE TRIGGER messages_fts_trigram_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts_trigram WHERE rowid = old.id;
END;
CREATE TRIGGER messages_fts_trigram_update AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM messages_fts_trigram WHERE rowid = old.id;
    INSERT INTO messages_fts_trigram(rowid, content) VALUES (new.id, coalesce(new.content, ''));
END;

CREATE TRIGGER messages_display_order AFTER INSERT ON messages WHEN new.display_order IS NULL BEGIN
    UPDATE messages SET display_order = new.id WHERE id = new.id;
END;
