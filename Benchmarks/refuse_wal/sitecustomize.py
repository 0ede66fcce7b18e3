"""Makes SQLite connections in this Python process refuse journal_mode=WAL the way NFS and SMB do (SQLITE_PROTOCOL,
"locking protocol"), so that the agent's own apply_wal_with_fallback drops to journal_mode=DELETE, as it does on NFS,
SMB, FUSE and WSL1.

Loaded by Python at start-up when this folder is on PYTHONPATH (Benchmarks/agent_latency.py --journal-mode delete).
Only the statement that asks for WAL is refused; every other statement runs as it would.
"""
import sqlite3

_connect = sqlite3.connect


class _RefusesWAL(sqlite3.Connection):
    def execute(self, sql, *args, **kwargs):
        if "".join(sql.split()).lower() == "pragmajournal_mode=wal":
            raise sqlite3.OperationalError("locking protocol")
        return super().execute(sql, *args, **kwargs)


def connect(*args, **kwargs):
    kwargs.setdefault("factory", _RefusesWAL)
    return _connect(*args, **kwargs)


sqlite3.connect = connect
