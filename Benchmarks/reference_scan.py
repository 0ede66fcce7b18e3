#!/usr/bin/env python3
"""The audit a user would otherwise write: json.loads every transcript line, count rows per session
with the sqlite3 module (the approach the agent itself uses), and compare the counts."""
import gzip
import json
import os
import sys

from audit_common import report, session_of


def transcripts(root):
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".jsonl") or name.endswith(".jsonl.gz"):
                yield os.path.join(directory, name)


def main(home):
    counts = {}
    for path in transcripts(os.path.join(home, "sessions")):
        session = session_of(path)
        opener = gzip.open if path.endswith(".gz") else open
        messages = 0
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and json.loads(line).get("role") != "session_meta":
                    messages += 1
        counts[session] = max(messages, counts.get(session, 0))
    return report(home, counts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
