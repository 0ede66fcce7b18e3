#!/usr/bin/env python3
"""The same audit in DuckDB: its JSON reader counts the lines of every .jsonl and .jsonl.gz file;
rows per session come from SQLite (DuckDB's sqlite extension is downloaded at run time, which
this machine cannot do, so the sqlite3 module reads that side)."""
import os
import sys

import duckdb

from audit_common import report, session_of


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
            session = session_of(filename)
            counts[session] = max(count, counts.get(session, 0))
    return report(home, counts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
