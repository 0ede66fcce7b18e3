"""What the two reference audits share: the database side, and the verdict."""
import os
import sqlite3


def session_of(path):
    return os.path.basename(path).removesuffix(".gz").removesuffix(".jsonl")


def report(home, counts):
    """Counts rows per session with the sqlite3 module and prints how many sessions have fewer rows than messages."""
    database = sqlite3.connect(f"file:{os.path.join(home, 'state.db')}?mode=ro", uri=True)
    rows = dict(database.execute("SELECT session_id, count(*) FROM messages GROUP BY session_id"))
    short = sum(1 for session, count in counts.items() if rows.get(session, 0) < count)
    print(f"{len(counts)} sessions, {short} with fewer rows than transcript messages")
    return 1 if short else 0
