"""Content the agent stores as it binds it: scalars (bool, int, float, NaN, None) through Python's sqlite3 into a
TEXT column, and a transcript's session_meta line whose role is escaped, then the transcripts as json.dumps writes
them. Usage: scalar_store.py HOME SCHEMA_SQL, or scalar_store.py HOME --dump (the rows, as JSON, for comparing)."""
import json
import os
import sqlite3
import sys

home = sys.argv[1]
if sys.argv[2] == "--dump":
    db = sqlite3.connect(os.path.join(home, "state.db"))
    rows = db.execute("SELECT session_id, role, typeof(content), content FROM messages ORDER BY session_id, id").fetchall()
    print(json.dumps(rows))
    sys.exit(0)

os.makedirs(os.path.join(home, "sessions"))
db = sqlite3.connect(os.path.join(home, "state.db"))
db.executescript(open(sys.argv[2]).read())
values = [True, False, 1e20, 0.30000000000000004, -0.0, float("nan"), float("inf"), 7, None, "plain", '{"a": 1}']
for number, value in enumerate(values):
    session = f"scalar{number:02d}"
    db.execute("INSERT INTO sessions (id, source, started_at) VALUES (?, 'cli', 1772000000)", (session,))
    messages = [{"role": "user", "content": value}, {"role": "assistant", "content": f"answer {number}"}]
    for index, message in enumerate(messages):
        db.execute("INSERT INTO messages (session_id, role, content, timestamp) VALUES (?, ?, ?, ?)",
                   (session, message["role"], message["content"], 1772000000 + index))
    with open(os.path.join(home, "sessions", session + ".jsonl"), "w") as transcript:
        # json.dumps writes NaN and Infinity, as the agent's transcript writer does.
        transcript.write('{"role": "session\\u005fmeta", "platform": "cli"}\n')
        for message in messages:
            transcript.write(json.dumps(message) + "\n")
db.commit()
