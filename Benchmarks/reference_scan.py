#!/usr/bin/env python3
"""The audit a user would otherwise write: json.loads every transcript line, count rows per session
with the sqlite3 module (the approach the agent itself uses), and compare the counts."""
import gzip
import json
import os
import sqlite3
import sys


def transcripts(root):
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".jsonl") or name.endswith(".jsonl.gz"):
                yield os.path.join(directory, name)


def main(home):
    counts = {}
    for path in transcripts(os.path.join(home, "sessions")):
        session = os.path.basename(path).removesuffix(".gz").removesuffix(".jsonl")
        opener = gzip.open if path.endswith(".gz") else open
        messages = 0
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and json.loads(line).get("role") != "session_meta":
                    messages += 1
        counts[session] = max(messages, counts.get(session, 0))
    database = sqlite3.connect(f"file:{os.path.join(home, 'state.db')}?mode=ro", uri=True)
    rows = dict(database.execute("SELECT session_id, count(*) FROM messages GROUP BY session_id"))
    short = sum(1 for session, count in counts.items() if rows.get(session, 0) < count)
    print(f"{len(counts)} sessions, {short} with fewer rows than transcript messages")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
