"""A store written the way hermes-agent 0.13.0's flush writes it, with Python's own json and sqlite3
modules, on our schema fixtures (Tests/Interop/hermes_driver.py drives the released agent itself). Deterministic: the same files every run.

Usage: agent_store.py HOME SCHEMA_SQL

Sessions: 20260301_...aaaaaa whole in both stores; 20260302_...bbbbbb path A (newest 5 of 200
rows kept); 20260303_...cccccc path B (newest 2 of 996, transcript archived with gzip, rows
flushed a day later); 20260304_...dddddd only a transcript, with a session_meta line."""
import datetime
import gzip
import json
import os
import shutil
import sqlite3
import sys

from agent_content import flattened  # this folder: one copy of the agent's content rules

home, schema = sys.argv[1], sys.argv[2]
shutil.rmtree(home, ignore_errors=True)
os.makedirs(os.path.join(home, "sessions", "2026", "03"))
db = sqlite3.connect(os.path.join(home, "state.db"))
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA foreign_keys=ON")
db.executescript(open(schema).read())


def conversation(count, seed):
    """Messages with tool calls, tool results, content lists, escapes, emoji and non-ASCII text."""
    messages, clock = [], 1772000000.0 + seed * 1000
    for i in range(count):
        clock += 7.5
        stamp = datetime.datetime.fromtimestamp(clock).isoformat()
        if i % 5 == 1:
            call = {"id": f"call_{seed}_{i}", "type": "function",
                    "function": {"name": "read_file", "arguments": json.dumps({"path": f"notes/é{i}.md"})}}
            messages.append({"role": "assistant", "content": "", "tool_calls": [call], "timestamp": stamp,
                             "finish_reason": "tool_calls"})
        elif i % 5 == 2:
            messages.append({"role": "tool", "tool_call_id": f"call_{seed}_{i - 1}", "tool_name": "read_file",
                             "content": f"file {i}: naïve \"quoted\" \\ 😀\nline2", "timestamp": stamp})
        elif i % 7 == 3:
            parts = [{"type": "text", "text": f"look at this {i} ✓"}, {"type": "image_url", "image_url": {"url": "data:..."}}]
            messages.append({"role": "user", "content": parts, "timestamp": stamp})
        else:
            messages.append({"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i} of {seed} — ünïcödé",
                             "timestamp": stamp, "reasoning": None})
    return messages


def write_transcript(path, messages, meta=None, compress=False):
    lines = ([json.dumps(meta, ensure_ascii=False) + "\n"] if meta else []) + \
            [json.dumps(m, ensure_ascii=False) + "\n" for m in messages]
    data = "".join(lines).encode("utf-8")
    if compress:
        with gzip.GzipFile(path + ".gz", "wb", mtime=0) as archive:
            archive.write(data)
    else:
        with open(path, "wb") as plain:
            plain.write(data)


def flush(session, messages, delay):
    """As the agent's flush does: one transaction per message, session row ensured, counters bumped."""
    for m in messages:
        with db:
            db.execute("INSERT OR IGNORE INTO sessions (id, source, started_at) VALUES (?, 'cli', ?)", (session, 1772000000.0))
            content = flattened(m.get("content"))
            calls = m.get("tool_calls")
            flushed = datetime.datetime.fromisoformat(m["timestamp"]).timestamp() + delay
            db.execute("INSERT INTO messages (session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, finish_reason) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (session, m["role"], content, m.get("tool_call_id"), json.dumps(calls) if calls else None,
                        m.get("tool_name"), flushed, m.get("finish_reason")))
            db.execute("UPDATE sessions SET message_count = message_count + 1, tool_call_count = tool_call_count + ? WHERE id = ?",
                       (len(calls or []), session))


sessions = os.path.join(home, "sessions")
whole = conversation(80, 1)
write_transcript(os.path.join(sessions, "20260301_101010_aaaaaa.jsonl"), whole)
flush("20260301_101010_aaaaaa", whole, 0.2)

path_a = conversation(200, 2)
write_transcript(os.path.join(sessions, "20260302_101010_bbbbbb.jsonl"), path_a)
flush("20260302_101010_bbbbbb", path_a[-5:], 0.3)

path_b = conversation(996, 3)
write_transcript(os.path.join(sessions, "2026", "03", "20260303_101010_cccccc.jsonl"), path_b, compress=True)
flush("20260303_101010_cccccc", path_b[-2:], 86400)

legacy = conversation(40, 4)
write_transcript(os.path.join(sessions, "20260304_101010_dddddd.jsonl"), legacy,
                 meta={"role": "session_meta", "platform": "telegram", "model": "hermes-4-70b", "tools": ["read_file"]})
print("store written")
