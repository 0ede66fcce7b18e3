# Reads every session back the way the agent does (ORDER BY id, content decoded as SessionDB._decode_content does)
# and compares it with its transcript, as decoded JSON values, list content by the flush's text; checks that
# ORDER BY timestamp, id reads the same order. Prints one line per session. Usage: agent_read.py HOME
import glob, gzip, json, os, sqlite3, sys

from agent_content import decoded, flattened  # this folder: one copy of the agent's content rules

home = sys.argv[1]
db = sqlite3.connect(os.path.join(home, "state.db"))

for path in sorted(glob.glob(os.path.join(home, "sessions", "**", "*.jsonl*"), recursive=True)):
    sid = os.path.basename(path).split(".")[0]
    opener = gzip.open if path.endswith(".gz") else open
    messages = [m for m in (json.loads(l) for l in opener(path, "rt", encoding="utf-8") if l.strip()) if m["role"] != "session_meta"]
    query = "SELECT role, content, tool_call_id, tool_calls, tool_name FROM messages WHERE session_id = ? AND role != 'session_meta' ORDER BY "
    rows = db.execute(query + "id", (sid,)).fetchall()
    by_time = db.execute(query + "timestamp, id", (sid,)).fetchall()

    def from_transcript(m):
        return (m["role"], flattened(m.get("content")), m.get("tool_call_id"), m.get("tool_calls") or None, m.get("tool_name"))

    def from_row(r):
        role, content, call_id, calls, tool = r
        return (role, flattened(decoded(content)), call_id, json.loads(calls) if calls else None, tool)

    same = [from_transcript(m) for m in messages] == [from_row(r) for r in rows] and rows == by_time
    count, tools = db.execute("SELECT message_count, tool_call_count FROM sessions WHERE id = ?", (sid,)).fetchone()
    expected_tools = sum(len(m.get("tool_calls") or []) for m in messages)
    print(f"{sid} same={same} rows={len(rows)} messages={len(messages)} counter={count == len(rows)} tools={tools == expected_tools}")
