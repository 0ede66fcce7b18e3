#!/usr/bin/env python3
"""A stand-in for `transcript-fsck repair` on a Codex home, written to its contract, so that codex_interop.py's
passing path can be exercised before the real repair lands (`codex_interop.py --fsck repair_stub.py ...`). Not the
product: it knows only the rollout shapes the mock-model homes have (user and agent messages), and it does not check
for a running codex.

Usage: repair_stub.py repair --home CODEX_HOME [--dry-run] [--remove-stale] [--format json] [--backup DIR]
The contract it follows:
  * index damage (a rollout without its row, a row whose path or archived flag is not where the file is) is handed
    to codex: backfill_state is reset, so that codex's next start re-reads every rollout and rebuilds the rows;
  * a row whose rollout is nowhere under the home (stale) is deleted only with --remove-stale, else refused;
  * a paginated rollout whose projection in thread_history_1.sqlite is missing or not at the file's end gets its
    thread_turns, thread_items and thread_history_projection_state rows written from the file;
  * no state_5.sqlite: nothing to write, codex's next start rebuilds it; no thread_history_1.sqlite: the same.
Exit status: 0 when everything was written or handed to codex's next start (--dry-run: 1 when there is something to
write), 1 when a thread was refused, 2 when it could not run. Prints one JSON object.
"""
import argparse, json, os, re, sqlite3, sys

UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$")


def rollouts(home):
    """{thread id: (path, archived)} for every rollout file under the home."""
    found = {}
    for sub, archived in (("sessions", 0), ("archived_sessions", 1)):
        for root, _, names in os.walk(os.path.join(home, sub)):
            for n in names:
                m = UUID.search(n)
                if n.startswith("rollout-") and m:
                    found[m.group(1)] = (os.path.join(root, n), archived)
    return found


def paginated(path):
    with open(path, "rb") as f:
        return (json.loads(f.readline()).get("payload") or {}).get("history_mode") == "paginated"


def lines_of(path):
    out, offset = [], 0
    with open(path, "rb") as f:
        for raw in f:
            out.append((offset, len(raw), json.loads(raw)))
            offset += len(raw)
    return out, offset


def item_json(item):
    kind = item.get("type")
    if kind == "UserMessage":
        return "userMessage", {"type": "userMessage", "id": item["id"], "clientId": None,
                               "content": item.get("content") or []}
    if kind == "AgentMessage":
        text = "".join(c.get("text", "") for c in item.get("content") or [])
        return "agentMessage", {"type": "agentMessage", "id": item["id"], "text": text, "phase": None,
                                "memoryCitation": None, "delivery": None, "questions": None}
    raise ValueError(f"an item of type {kind!r}, which this stand-in does not project")


def projection(tid, path):
    """The rows codex's writer would have made of the whole rollout: (turns, items, (next offset, next ordinal))."""
    lines, size = lines_of(path)
    turns, items, open_turns = [], [], {}
    for offset, length, e in lines:
        p = e.get("payload") or {}
        if e.get("type") != "event_msg":
            continue
        kind, ordinal = p.get("type"), e.get("ordinal")
        if kind == "task_started":
            turn = {"turn_id": p["turn_id"], "rollout_ordinal": ordinal, "rollout_byte_offset": offset,
                    "status": "inProgress", "started_at": p.get("started_at"), "completed_at": None,
                    "duration_ms": None, "first_user_item_id": None, "final_agent_item_id": None,
                    "rollout_end_ordinal": None, "rollout_end_byte_offset": None,
                    "root_turn_id": p.get("root_turn_id") or p["turn_id"]}
            turns.append(turn)
            open_turns[p["turn_id"]] = turn
        elif kind == "item_completed":
            item_type, body = item_json(p["item"])
            items.append({"turn_id": p["turn_id"], "item_id": body["id"], "rollout_ordinal": ordinal,
                          "created_at_ms": p.get("started_at_ms") or 0,
                          "item_json": json.dumps(body, separators=(",", ":")),
                          "item_type": item_type, "updated_at_ordinal": ordinal,
                          "started_at_ms": p.get("started_at_ms"), "completed_at_ms": p.get("completed_at_ms")})
            turn = open_turns.get(p["turn_id"])
            if turn and item_type == "userMessage" and not turn["first_user_item_id"]:
                turn["first_user_item_id"] = body["id"]
            if turn and item_type == "agentMessage":
                turn["final_agent_item_id"] = body["id"]
        elif kind == "task_complete":
            turn = open_turns.get(p.get("turn_id"))
            if turn:
                turn.update(status="completed", completed_at=p.get("completed_at"), duration_ms=p.get("duration_ms"),
                            rollout_end_ordinal=ordinal, rollout_end_byte_offset=offset + length)
    return turns, items, (size, len(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["repair"])
    parser.add_argument("--home", required=True)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--remove-stale", action="store_true")
    parser.add_argument("--format", default="text")
    parser.add_argument("--backup")
    args = parser.parse_args()
    home = os.path.abspath(args.home)
    state, history = os.path.join(home, "state_5.sqlite"), os.path.join(home, "thread_history_1.sqlite")
    files = rollouts(home)
    report = {"home": home, "stub": True, "handedToCodex": [], "projected": [], "removedStale": [], "refused": [],
              "dryRun": args.dry_run}
    if not os.path.exists(state):
        report["handedToCodex"].append("state_5.sqlite is missing: codex's next start rebuilds it")
    else:
        con = sqlite3.connect(state)
        rows = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, rollout_path, archived FROM threads")}
        index_damage = [tid for tid in files if tid not in rows or rows[tid] != files[tid]]
        stale = [tid for tid in rows if tid not in files]
        if index_damage:
            report["handedToCodex"] += index_damage
            if not args.dry_run:
                con.execute("DELETE FROM backfill_state")
        for tid in stale:
            if args.remove_stale:
                report["removedStale"].append(tid)
                if not args.dry_run:
                    con.execute("DELETE FROM threads WHERE id = ?", (tid,))
            else:
                report["refused"].append({"thread": tid,
                                          "why": "its rollout is gone; --remove-stale removes its row"})
        con.commit()
        con.close()
    if os.path.exists(history):
        con = sqlite3.connect(history)
        cursors = {r[0]: (r[1], r[2]) for r in con.execute(
            "SELECT thread_id, next_rollout_byte_offset, next_rollout_ordinal FROM thread_history_projection_state")}
        for tid, (path, _) in sorted(files.items()):
            if not paginated(path):
                continue
            try:
                turns, items, end = projection(tid, path)
            except (ValueError, KeyError) as e:
                report["refused"].append({"thread": tid, "why": str(e)})
                continue
            if cursors.get(tid) == end:
                continue
            report["projected"].append({"thread": tid, "turns": len(turns), "items": len(items)})
            if args.dry_run:
                continue
            with con:
                for table in ("thread_items", "thread_turns", "thread_history_projection_state"):
                    con.execute(f"DELETE FROM {table} WHERE thread_id = ?", (tid,))
                for t in turns:
                    con.execute("INSERT INTO thread_turns (thread_id, turn_id, rollout_ordinal, status, error_json, "
                                "started_at, completed_at, duration_ms, first_user_item_id, final_agent_item_id, "
                                "rollout_byte_offset, rollout_end_ordinal, rollout_end_byte_offset, root_turn_id) "
                                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (tid, t["turn_id"], t["rollout_ordinal"], t["status"], t["started_at"],
                                 t["completed_at"], t["duration_ms"], t["first_user_item_id"], t["final_agent_item_id"],
                                 t["rollout_byte_offset"], t["rollout_end_ordinal"], t["rollout_end_byte_offset"],
                                 t["root_turn_id"]))
                for i in items:
                    con.execute("INSERT INTO thread_items (thread_id, turn_id, item_id, rollout_ordinal, "
                                "created_at_ms, item_json, item_type, updated_at_ordinal, started_at_ms, "
                                "completed_at_ms) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (tid, i["turn_id"], i["item_id"], i["rollout_ordinal"], i["created_at_ms"],
                                 i["item_json"], i["item_type"], i["updated_at_ordinal"], i["started_at_ms"],
                                 i["completed_at_ms"]))
                con.execute("INSERT INTO thread_history_projection_state (thread_id, next_rollout_byte_offset, "
                            "next_rollout_ordinal) VALUES (?, ?, ?)", (tid, end[0], end[1]))
        con.close()
    elif any(paginated(path) for path, _ in files.values()):
        report["handedToCodex"].append("thread_history_1.sqlite is missing: codex's next start makes it; run again")
    print(json.dumps(report))
    if report["refused"]:
        sys.exit(1)
    if args.dry_run and (report["projected"] or report["removedStale"]
                         or any(isinstance(h, str) and len(h) == 36 for h in report["handedToCodex"])):
        sys.exit(1)


if __name__ == "__main__":
    main()
