#!/usr/bin/env python3
"""The bare insert a repair is compared with: the same missing rows, read from the transcripts,
inserted with executemany in one transaction, FTS triggers in place. Prints rows and seconds of
the insert alone."""
import gzip
import json
import os
import sqlite3
import sys
import time


def main(home, drop_fts_triggers=False):
    database = sqlite3.connect(os.path.join(home, "state.db"))
    if drop_fts_triggers:
        # What the insert costs without full-text indexing: the triggers that feed the FTS tables are dropped (on a copy).
        for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'").fetchall():
            database.execute(f'DROP TRIGGER "{name}"')
        database.commit()
    rows = dict(database.execute("SELECT session_id, count(*) FROM messages GROUP BY session_id"))
    pending = []
    for directory, _, files in os.walk(os.path.join(home, "sessions")):
        for name in files:
            session = name.removesuffix(".gz").removesuffix(".jsonl")
            path = os.path.join(directory, name)
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as lines:
                messages = [json.loads(line) for line in lines if line.strip()]
            # The bench store's truncated sessions kept their newest rows: the older ones are missing.
            missing = len(messages) - rows.get(session, 0)
            for message in messages[:missing]:
                content = message.get("content")
                pending.append((session, message["role"], content if isinstance(content, str) or content is None else json.dumps(content),
                                message.get("tool_call_id"), json.dumps(message["tool_calls"]) if message.get("tool_calls") else None,
                                message.get("tool_name"), 1.0))
    started = time.perf_counter()
    with database:
        database.executemany("INSERT INTO messages (session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": len(pending), "seconds": seconds}))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], "--drop-fts-triggers" in sys.argv[2:]))
