#!/usr/bin/env python3
"""The same audit in DuckDB: its JSON reader counts the lines of every .jsonl and .jsonl.gz file;
rows per session come from SQLite (DuckDB's sqlite extension is downloaded at run time, which
this machine cannot do, so the sqlite3 module reads that side)."""
import os
import sqlite3
import sys

import duckdb


def main(home):
    sessions = os.path.join(home, "sessions")
    connection = duckdb.connect()
    connection.execute("SET threads = 1" if os.environ.get("DUCKDB_THREADS") == "1" else "SELECT 1")
    counts = {}
    for pattern in ("**/*.jsonl", "**/*.jsonl.gz"):
        query = f"""
            SELECT filename, count(*) FROM read_json('{sessions}/{pattern}', format = 'newline_delimited',
                filename = true, columns = {{'role': 'VARCHAR'}}, ignore_errors = false)
            WHERE role <> 'session_meta' GROUP BY filename"""
        try:
            result = connection.execute(query).fetchall()
        except duckdb.IOException:
            result = []  # no file matches the pattern
        for filename, count in result:
            session = os.path.basename(filename).removesuffix(".gz").removesuffix(".jsonl")
            counts[session] = max(count, counts.get(session, 0))
    database = sqlite3.connect(f"file:{os.path.join(home, 'state.db')}?mode=ro", uri=True)
    rows = dict(database.execute("SELECT session_id, count(*) FROM messages GROUP BY session_id"))
    short = sum(1 for session, count in counts.items() if rows.get(session, 0) < count)
    print(f"{len(counts)} sessions, {short} with fewer rows than transcript messages")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
