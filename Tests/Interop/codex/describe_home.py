#!/usr/bin/env python3
"""Prints what a CODEX_HOME holds, as Docs/CODEX-FORMAT.md describes it: the files, the rollout line shapes
(long strings cut), the threads rows, and for paginated threads the projection cursor beside the rollout's
length and line count. Reads the databases read-only (WAL included); never writes.

Usage: describe_home.py CODEX_HOME [--schema] [--examples] [--json]
"""
import json, os, sqlite3, sys


def ro(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def cut(value, limit=60):
    """The value with every string longer than limit cut to limit characters and marked."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + f"...[{len(value)} chars]"
    if isinstance(value, list):
        return [cut(v, limit) for v in value[:6]] + ([f"...[{len(value)} items]"] if len(value) > 6 else [])
    if isinstance(value, dict):
        return {k: cut(v, limit) for k, v in value.items()}
    return value


def files(home):
    out = []
    for root, dirs, names in os.walk(home):
        dirs[:] = sorted(d for d in dirs if not (root == home and d in ("skills",)))
        for n in sorted(names):
            p = os.path.join(root, n)
            out.append((os.path.relpath(p, home), os.path.getsize(p)))
    return out


def rollouts(home):
    found = []
    for sub in ("sessions", "archived_sessions"):
        for root, _, names in os.walk(os.path.join(home, sub)):
            for n in sorted(names):
                if n.startswith("rollout-"):
                    found.append(os.path.join(root, n))
    return sorted(found)


def rollout_shape(path):
    lines = []
    with open(path, "rb") as f:
        data = f.read()
    offset = 0
    for i, raw in enumerate(data.splitlines(keepends=True)):
        e = json.loads(raw)
        p = e.get("payload")
        lines.append({"line": i, "byteOffset": offset, "bytes": len(raw), "ordinal": e.get("ordinal"),
                      "type": e.get("type"), "payloadType": p.get("type") if isinstance(p, dict) else None,
                      "keys": sorted(e.keys())})
        offset += len(raw)
    return {"bytes": len(data), "lines": len(lines), "endsWithNewline": data.endswith(b"\n"), "lineShapes": lines}


def table(db, sql):
    try:
        con = ro(db)
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        con.close()
        return rows
    except sqlite3.Error as e:
        return {"error": str(e)}


def describe(home, schema=False, examples=False):
    state, history = os.path.join(home, "state_5.sqlite"), os.path.join(home, "thread_history_1.sqlite")
    out = {"home": home, "files": files(home), "rollouts": {}}
    for r in rollouts(home):
        shape = rollout_shape(r)
        if examples:
            with open(r) as f:
                shape["examples"] = [cut(json.loads(line)) for line in f]
        out["rollouts"][os.path.relpath(r, home)] = shape
    if os.path.exists(state):
        out["threads"] = table(state, "SELECT * FROM threads ORDER BY created_at_ms, id")
        if schema:
            out["stateSchema"] = [r["sql"] for r in table(state, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    if os.path.exists(history):
        out["projection"] = table(history, "SELECT * FROM thread_history_projection_state ORDER BY thread_id")
        out["turns"] = table(history, "SELECT * FROM thread_turns ORDER BY thread_id, rollout_ordinal")
        out["items"] = table(history, "SELECT thread_id, turn_id, item_id, rollout_ordinal, item_type, "
                                      "updated_at_ordinal, substr(item_json, 1, 120) AS item_json_head "
                                      "FROM thread_items ORDER BY thread_id, rollout_ordinal")
        if schema:
            out["historySchema"] = [r["sql"] for r in table(history, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
        # cursor against the file
        by_path = {t["id"]: t.get("rollout_path") for t in out.get("threads", []) if isinstance(t, dict)}
        for p in out["projection"] if isinstance(out["projection"], list) else []:
            path = by_path.get(p["thread_id"])
            if path and os.path.exists(path):
                shape = rollout_shape(path)
                p["rolloutBytes"], p["rolloutLines"] = shape["bytes"], shape["lines"]
                p["cursorAtEnd"] = (p["next_rollout_byte_offset"] == shape["bytes"]
                                    and p["next_rollout_ordinal"] == shape["lines"])
            else:
                p["rolloutBytes"] = p["rolloutLines"] = None
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = describe(sys.argv[1], schema="--schema" in sys.argv, examples="--examples" in sys.argv)
    print(json.dumps(d, indent=1, default=str))


if __name__ == "__main__":
    main()
