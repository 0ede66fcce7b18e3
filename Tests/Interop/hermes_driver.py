"""Damages a Hermes store with the released agent's own write paths and reads it back with its own readers.

Runs inside a venv that holds one released hermes-agent (Tests/Interop/hermes-venv.sh); nothing of the
agent is stubbed. Every write goes through the agent's code: the gateway's SessionStore.append_to_transcript,
the agent's AIAgent._flush_messages_to_session_db, SessionDB.append_message, archive_and_compact and
rewind_to_message. Every read goes through get_messages, get_messages_as_conversation, search_messages and
SessionStore.load_transcript.

    python hermes_driver.py damage   HOME TRUTH      (0.13.0, 0.14.0: the two failure paths, multimodal, a gap,
                                                       and hermes_scenarios.damage)
    python hermes_driver.py upgrade  HOME TRUTH      (0.15.0 on: migrate, new turns, compaction, undo, and
                                                       hermes_scenarios.upgrade)
    python hermes_driver.py snapshot HOME OUT        (counters before the repair)
    python hermes_driver.py check    HOME TRUTH OUT [--restored ID,..] [--only ID,..]  (after the repair: order,
                                     content, flags, counters, search, lineages; rows left as the agent left them)
    python hermes_driver.py rewind   HOME SESSION READY GO OUT  (/undo held between its reads and its write)
    python hermes_driver.py writer   HOME SECONDS|until:FILE OUT NAME [session_db|gateway]  (one of the agent's writers)
    python hermes_driver.py bulk     HOME SESSIONS MESSAGES SURVIVING            (a large path-A store, for benchmarks)
    python hermes_driver.py profiles ROOT [NAME,..]  (the agent's create_profile for each, then its list_profiles)

TRUTH is the whole history of every session, in the order the agent produced it, which only this
driver knows: no code of transcript-fsck computes it. It also says what a repair must leave of each session
(hermes_scenarios.py: whole, as the agent left it, deleted, missing) and, on a compression tip, its lineage.
"""
import json
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

from agent_content import flattened  # this folder: one copy of the agent's content rules


def agent_modules():
    import hermes_state
    import run_agent
    from gateway.session import SessionStore
    return hermes_state, run_agent, SessionStore


def open_store(home):
    """The gateway's SessionStore over HOME, built as the gateway builds it (its SessionDB on HOME/state.db)."""
    os.environ["HERMES_HOME"] = str(home)
    agent_modules()
    from gateway.config import GatewayConfig
    from gateway.session import SessionStore
    return SessionStore(Path(home) / "sessions", GatewayConfig())


def fresh_agent(db, session_id):
    """An AIAgent as the gateway holds one for a turn: only the state its flush reads."""
    _, run_agent, _ = agent_modules()
    agent = run_agent.AIAgent.__new__(run_agent.AIAgent)
    agent._session_db = db
    agent._session_db_created = False
    agent._last_flushed_db_idx = 0
    agent.session_id = session_id
    agent.platform = "telegram"
    agent.model = "interop/model"
    agent._session_init_model_config = None
    agent._cached_system_prompt = "You are Hermes."
    agent._parent_session_id = None
    return agent


class WriteLockHeld:
    """Another connection holds the write lock, and the agent gives up fast (what a contended gateway sees)."""

    def __init__(self, home, db):
        self.path = Path(home) / "state.db"
        self.db = db

    def __enter__(self):
        self.holder = sqlite3.connect(self.path, isolation_level=None)
        self.holder.execute("BEGIN IMMEDIATE")
        self.retries = self.db._WRITE_MAX_RETRIES
        self.db._WRITE_MAX_RETRIES = 1
        self.db._conn.execute("PRAGMA busy_timeout = 20")
        return self

    def __exit__(self, *exc):
        self.holder.execute("ROLLBACK")
        self.holder.close()
        self.db._WRITE_MAX_RETRIES = self.retries
        self.db._conn.execute("PRAGMA busy_timeout = 1000")


IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}


def turn_messages(tag, number, multimodal=False):
    """One turn as the agent's loop produces it: a user message, a tool call and its result, an answer."""
    text = f"{tag} turn {number}: what does r{number}.md say? café ☕ 😀"
    user = {"role": "user", "content": [{"type": "text", "text": text}, IMAGE] if multimodal else text}
    call = {"id": f"call_{tag}_{number}", "type": "function",
            "function": {"name": "read_file", "arguments": json.dumps({"path": f"r{number}.md"})}}
    return [
        user,
        {"role": "assistant", "content": "", "tool_calls": [call], "reasoning": f"read r{number}.md first",
         "finish_reason": "tool_calls"},
        {"role": "tool", "tool_call_id": call["id"], "tool_name": "read_file", "content": f"contents of r{number}.md\nline two"},
        {"role": "assistant", "content": f"r{number}.md says {tag}{number}", "finish_reason": "stop"},
    ]


def gateway_turn(store, session_id, new_messages, locked_home=None):
    """One gateway turn: load history, the agent flushes its new messages to SQLite, the gateway appends them to JSONL."""
    history = [m for m in store.load_transcript(session_id) if m.get("role") != "session_meta"]
    stamp = __import__("datetime").datetime.now().isoformat()
    if not history:
        # SessionStore.get_or_create_session: the session row first, its failure only logged.
        def create():
            try:
                store._db.create_session(session_id=session_id, source="telegram", user_id="u1")
            except Exception as error:
                print(f"[gateway] Warning: Failed to create SQLite session: {error}", file=sys.stderr)
        if locked_home:
            with WriteLockHeld(locked_home, store._db):
                create()
        else:
            create()
        meta = {"role": "session_meta", "tools": [{"type": "function", "function": {"name": "read_file"}}],
                "model": "interop/model", "platform": "telegram", "timestamp": stamp}
        if locked_home:
            with WriteLockHeld(locked_home, store._db):
                store.append_to_transcript(session_id, meta)
        else:
            store.append_to_transcript(session_id, meta)
    agent = fresh_agent(store._db, session_id)
    messages = history + [dict(m) for m in new_messages]
    if locked_home:
        with WriteLockHeld(locked_home, store._db):
            agent._flush_messages_to_session_db(messages, history)
    else:
        agent._flush_messages_to_session_db(messages, history)
    for message in new_messages:
        store.append_to_transcript(session_id, {**message, "timestamp": stamp}, skip_db=True)


def legacy_transcript(store, session_id, messages):
    """A session from before the SQLite store: JSONL only, as the gateway wrote it then."""
    stamp = "2026-01-15T09:00:00.000001"
    store.append_to_transcript(session_id, {"role": "session_meta", "tools": [], "model": "old/model", "platform": "cli",
                                            "timestamp": stamp}, skip_db=True)
    for message in messages:
        store.append_to_transcript(session_id, {**message, "timestamp": stamp}, skip_db=True)


def history_entry(message, active=1, compacted=0):
    return {"message": message, "active": active, "compacted": compacted}


def damage(home, truth_path):
    """The stores the two failure paths leave, through the agent's own code. TRUTH gets every session's whole history."""
    store = open_store(home)
    truth = {}

    def session(name, turns, locked=(), multimodal=False):
        history = []
        for number in range(turns):
            messages = turn_messages(name, number, multimodal=multimodal and number % 2 == 0)
            gateway_turn(store, name, messages, locked_home=home if number in locked else None)
            history += messages
        truth[name] = {"history": [history_entry(m) for m in history], "search": f"{name}0"}

    session("intact", 3)
    session("path_a", 6, locked=range(4))
    session("middle_gap", 6, locked=(2, 3))
    session("multimodal", 4, locked=(0, 1), multimodal=True)
    for name in ("continued", "compacted", "undone"):
        session(name, 5, locked=range(3))
    session("undone_intact", 3)

    # /undo through the gateway (rewrite_transcript: SessionDB.replace_messages and a new JSONL) re-stores the
    # multimodal history as "\0json:" lists; then two turns are lost to the held lock and one gets through.
    undone_turns = [turn_messages("rewritten", number, multimodal=True) for number in range(3)]
    for messages in undone_turns:
        gateway_turn(store, "rewritten", messages)
    kept = [m for messages in undone_turns[:-1] for m in messages]  # the live agent's history, lists and all
    store.rewrite_transcript("rewritten", kept)
    later = [turn_messages("rewritten", number, multimodal=True) for number in range(3, 6)]
    for number, messages in enumerate(later):
        gateway_turn(store, "rewritten", messages, locked_home=home if number < 2 else None)
    truth["rewritten"] = {"history": [history_entry(m) for m in kept]
                          + [history_entry(m) for messages in later for m in messages], "search": "rewritten0"}

    # Path B: 60 legacy messages in JSONL only, then the first turn after the migration.
    legacy = [m for number in range(15) for m in turn_messages("path_b", number)]
    legacy_transcript(store, "path_b", legacy)
    latest = turn_messages("path_b", 15)
    gateway_turn(store, "path_b", latest)
    truth["path_b"] = {"history": [history_entry(m) for m in legacy + latest], "search": "path_b0"}

    # Lineages, rewrites that half fail, deletion, unrecorded sessions, the sessions for the upgrade's scenarios.
    import hermes_scenarios
    hermes_scenarios.damage(store, home, truth)

    Path(truth_path).write_text(json.dumps(truth, ensure_ascii=False, indent=1))


def upgrade(home, truth_path):
    """After an upgrade to 0.15.0 or later: the store migrates, sessions go on, one is compacted in place, one undone."""
    os.environ["HERMES_HOME"] = str(home)
    hermes_state, _, _ = agent_modules()
    db = hermes_state.SessionDB(Path(home) / "state.db")
    truth = json.loads(Path(truth_path).read_text())
    import hermes_scenarios

    def append(session_id, messages):
        return hermes_scenarios.append_turn(db, truth, session_id, messages)

    for number in (5, 6):
        append("continued", turn_messages("continued", number))

    append("compacted", turn_messages("compacted", 5))
    # In-place compaction came with 0.18.0; 0.15.0 to 0.17.0 compress into a new session, so there the session goes on.
    if hasattr(db, "archive_and_compact"):
        summary = [{"role": "user", "content": "[summary of the conversation so far]"},
                   {"role": "assistant", "content": "Understood; continuing from the summary."}]
        db.archive_and_compact("compacted", summary)
        for entry in truth["compacted"]["history"]:
            entry["active"], entry["compacted"] = 0, 1
        truth["compacted"]["history"] += [history_entry(m) for m in summary]
    append("compacted", turn_messages("compacted", 6))

    for name in ("undone", "undone_intact"):
        ids = append(name, turn_messages(name, 9))
        # Undo (rows kept with active = 0) came with 0.16.0; on 0.15.0 the session just goes on.
        if hasattr(db, "rewind_to_message"):
            db.rewind_to_message(name, ids[0])
            for entry in truth[name]["history"][-4:]:
                entry["active"] = 0
    hermes_scenarios.upgrade(db, truth)
    db.close()
    Path(truth_path).write_text(json.dumps(truth, ensure_ascii=False, indent=1))


def has_column(db, column):
    return any(row[1] == column for row in db._conn.execute("PRAGMA table_info(messages)"))


def counters(db, session_id):
    active = " AND active = 1" if has_column(db, "active") else ""
    row = db._conn.execute("SELECT message_count, tool_call_count FROM sessions WHERE id = ?", (session_id,)).fetchone()
    live = db._conn.execute(f"SELECT count(*) FROM messages WHERE session_id = ? AND role != 'session_meta'{active}",
                            (session_id,)).fetchone()
    calls = sum(len(json.loads(text)) for (text,) in db._conn.execute(
        f"SELECT tool_calls FROM messages WHERE session_id = ? AND tool_calls IS NOT NULL{active}", (session_id,)))
    return {"message_count": row[0], "tool_call_count": row[1], "live_rows": live[0], "live_tool_calls": calls}


def all_rows(db, session_id):
    """Every row of a session as the agent reads it (get_messages, inactive rows too where there are any)."""
    if has_column(db, "active"):
        return db.get_messages(session_id, include_inactive=True)
    return db.get_messages(session_id)


def ordered(db, session_id):
    """Whether ORDER BY timestamp, id reads the session's rows in the order ORDER BY id does (0.17.0's
    get_messages_as_conversation reads by timestamp; every other release by id)."""
    by_id = [r[0] for r in db._conn.execute("SELECT id FROM messages WHERE session_id = ? ORDER BY id", (session_id,))]
    by_time = [r[0] for r in db._conn.execute("SELECT id FROM messages WHERE session_id = ? ORDER BY timestamp, id", (session_id,))]
    return by_id == by_time


def snapshot(home, out_path):
    """Counters of every session, and every row of every session (for the sessions a repair must leave alone)."""
    os.environ["HERMES_HOME"] = str(home)
    hermes_state, _, _ = agent_modules()
    db = hermes_state.SessionDB(Path(home) / "state.db")
    ids = [row[0] for row in db._conn.execute("SELECT id FROM sessions")]
    result = {sid: counters(db, sid) for sid in ids}
    result["_rows"] = {sid: all_rows(db, sid) for sid in ids}
    result["_ordered"] = {sid: ordered(db, sid) for sid in ids}
    Path(out_path).write_text(json.dumps(result, default=repr))


def identity(message):
    """The fields that make a message the same message in both stores (a stored list may be the flush's text form)."""
    calls = message.get("tool_calls")
    if isinstance(calls, str):
        calls = json.loads(calls)
    return [message.get("role"), flattened(message.get("content")), message.get("tool_call_id") or None,
            message.get("tool_name") or None, calls or None]


def conversation_identity(message):
    """identity() as get_messages_as_conversation returns a message: user and assistant text stripped."""
    role, content, *rest = identity(message)
    if role in ("user", "assistant") and isinstance(content, str):
        content = content.strip()
    return [role, content, *rest]


def lineage_conversation(hermes_state, truth, session_ids):
    """What the lineage readers must read for SESSION_IDS (root first): every active message in history order, with the
    agent's own rule for a user message the child replays (SessionDB._is_duplicate_replayed_user_message)."""
    messages = []
    for sid in session_ids:
        for entry in truth[sid]["history"]:
            if not entry["active"]:
                continue
            message = dict(entry["message"])
            message["content"] = conversation_identity(message)[1]
            if hermes_state.SessionDB._is_duplicate_replayed_user_message(messages, message):
                continue
            messages.append(message)
    return [conversation_identity(m) for m in messages]


def first_difference(got, want):
    first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return (f"differs at message {first + 1} of {len(want)} (read {len(got)}): got {got[first] if first < len(got) else None}, "
            f"want {want[first] if first < len(want) else None}")


def check(home, truth_path, before_path, out_path=None, restored=(), only=None):
    """Reads every session back through the agent's readers and compares it with the truth. Exit 1 on any difference.

    RESTORED: the deleted and missing sessions a repair was asked to bring back (they must read whole; the others must
    stay out of the agent's listing). ONLY: check these sessions alone."""
    os.environ["HERMES_HOME"] = str(home)
    hermes_state, _, SessionStore = agent_modules()
    store = open_store(home)
    db = store._db
    truth = json.loads(Path(truth_path).read_text())
    before = json.loads(Path(before_path).read_text())
    before_rows = before.pop("_rows", {})
    before_ordered = before.pop("_ordered", {})
    flags = has_column(db, "active")
    failures = []
    listed = {s["id"] for s in db.list_sessions_rich(limit=100000, include_children=True, project_compression_tips=False)}

    def fail(session_id, what):
        failures.append(f"{truth.get(session_id, {}).get('name', session_id)}: {what}")

    for session_id, expected in truth.items():
        if only and session_id not in only:
            continue
        kind = expected.get("expect", "whole")
        if kind in ("deleted", "missing") and session_id not in restored:
            # Left deleted (or unrecorded): the agent's own listing and readers must not see it.
            if session_id in listed or db.get_session(session_id) is not None:
                fail(session_id, f"{kind} session is back in the agent's session list after a repair not asked to restore it")
            if db.get_messages(session_id):
                fail(session_id, f"{kind} session has {len(db.get_messages(session_id))} rows after a repair not asked to restore it")
            continue
        if kind == "as_left":
            # The agent's own doing: every row exactly as the agent left it (ids, content, flags, every column).
            now, then = all_rows(db, session_id), before_rows.get(session_id)
            now = json.loads(json.dumps(now, default=repr))
            if now != then:
                changed = [r.get("id") for r in now if r not in (then or [])] + [r.get("id") for r in (then or []) if r not in now]
                fail(session_id, f"the repair changed rows it must leave as the agent left them: {len(then or [])} rows "
                                 f"before, {len(now)} after, ids changed or new: {sorted(set(changed))[:12]}")
            continue
        history = expected["history"]
        rows = [r for r in all_rows(db, session_id) if r["role"] != "session_meta"]
        live_rows = db.get_messages(session_id) if flags else rows
        got = [identity(r) for r in rows]
        want = [identity(e["message"]) for e in history]
        if session_id not in listed:
            fail(session_id, "is not in the agent's session list (list_sessions_rich)")
        if got != want:
            fail(session_id, "get_messages " + first_difference(got, want))
            continue
        for row, entry in zip(rows, history):
            if isinstance(entry["message"].get("content"), list) and row["content"] not in (
                    entry["message"]["content"], flattened(entry["message"]["content"])):
                fail(session_id, f"row {row['id']}: list content read back as {row['content']!r}")
            # 0.15.0 to 0.17.0 have active (undo) but no compacted column: compare the flags the schema has.
            if flags and (row["active"], row.get("compacted", 0)) != (entry["active"], entry["compacted"]):
                fail(session_id, f"row {row['id']}: active={row['active']} compacted={row.get('compacted')}, "
                                 f"want {entry['active']}, {entry['compacted']}")
        live = [identity(e["message"]) for e in history if e["active"]]
        if [identity(r) for r in live_rows if r["role"] != "session_meta"] != live:
            fail(session_id, "the live context (active rows) is not what the agent made it")
        # 0.17.0 on writes a flushed message's own timestamp (a compressed copy keeps its original's), so the agent
        # itself can leave rows out of timestamp order; the repair must keep the order only where the agent had it.
        if before_ordered.get(session_id, True):
            conversation = [m for m in db.get_messages_as_conversation(session_id) if m["role"] != "session_meta"]
            if [m["role"] for m in conversation] != [w[0] for w in live]:
                fail(session_id, "get_messages_as_conversation reads another sequence of roles")
            if not ordered(db, session_id):
                fail(session_id, "ORDER BY timestamp, id reads another order than ORDER BY id")
        if not flags:
            transcript = [m for m in store.load_transcript(session_id) if m.get("role") != "session_meta"]
            if [identity(m) for m in transcript] != want:
                fail(session_id, "SessionStore.load_transcript does not read the whole history in order")
        now, then = counters(db, session_id), before.get(session_id)
        # A rewind after the snapshot (the /undo race) takes live rows away and leaves message_count as it is.
        offset = expected.get("rewound_after_snapshot", {})
        if then:
            for counter, rows_key in (("message_count", "live_rows"), ("tool_call_count", "live_tool_calls")):
                if now[counter] - then[counter] != now[rows_key] - then[rows_key] + offset.get(counter, 0):
                    fail(session_id, f"{counter} went {then[counter]} -> {now[counter]} while live rows went "
                                     f"{then[rows_key]} -> {now[rows_key]}")
        else:
            # A session the repair created: its counters are its live rows.
            for counter, rows_key in (("message_count", "live_rows"), ("tool_call_count", "live_tool_calls")):
                if now[counter] != now[rows_key]:
                    fail(session_id, f"created with {counter} {now[counter]} for {now[rows_key]} live rows")
        if expected.get("search"):
            hits = db.search_messages(expected["search"], limit=50)
            if not any(hit.get("session_id") == session_id for hit in hits):
                fail(session_id, f"search_messages({expected['search']!r}) does not find the session")
        if expected.get("lineage"):
            check_lineage(hermes_state, db, truth, session_id, expected["lineage"], fail)

    if not only:
        # The store is still the agent's: it writes and reads a new turn after the repair (and the truth keeps it).
        db.append_message("path_a", "user", content="after the repair")
        if db.get_messages("path_a")[-1]["content"] != "after the repair":
            fail("path_a", "a message appended after the repair is not read last")
        truth["path_a"]["history"].append(history_entry({"role": "user", "content": "after the repair"}))
        Path(truth_path).write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    result = {"sessions": len(truth), "failures": failures}
    if out_path:
        Path(out_path).write_text(json.dumps(result))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if failures else 0


def check_lineage(hermes_state, db, truth, tip, lineage, fail):
    """A compression lineage read with one query root..tip ORDER BY id: get_messages_as_conversation(include_ancestors)
    and, in 0.19.0, get_resume_conversations and get_ancestor_display_prefix."""
    if any(truth[sid].get("expect", "whole") != "whole" for sid in lineage):
        return
    chain = db._session_lineage_root_to_tip(tip)
    if chain != lineage:
        fail(tip, f"the agent's lineage is {chain}, want {lineage}")
        return
    want = lineage_conversation(hermes_state, truth, lineage)

    def read(messages):
        return [conversation_identity(m) for m in messages if m["role"] != "session_meta"]

    got = read(db.get_messages_as_conversation(tip, include_ancestors=True))
    if got != want:
        fail(tip, "get_messages_as_conversation(include_ancestors=True) " + first_difference(got, want))
    if hasattr(db, "get_resume_conversations"):
        model, display = db.get_resume_conversations(tip)
        if read(display) != want:
            fail(tip, "get_resume_conversations display history " + first_difference(read(display), want))
        tip_only = [conversation_identity(e["message"]) for e in truth[tip]["history"] if e["active"]]
        if read(model) != tip_only:
            fail(tip, "get_resume_conversations model history " + first_difference(read(model), tip_only))
    if hasattr(db, "get_ancestor_display_prefix"):
        prefix = read(db.get_ancestor_display_prefix(tip))
        ancestors = lineage_conversation(hermes_state, truth, lineage[:-1])
        if prefix != ancestors:
            fail(tip, "get_ancestor_display_prefix " + first_difference(prefix, ancestors))


def writer(home, seconds, out_path, name, kind="session_db"):
    """One of the agent's writers for SECONDS, timing every SessionDB.append_message it makes (the agent's own call).

    kind session_db: a SessionDB connection appending messages, as the CLI and cron do; kind gateway: whole gateway
    turns (the agent's flush to SQLite, then the JSONL appends), as 0.13/0.14's gateway does."""
    store = open_store(home)
    db = store._db
    latencies, written, errors = [], [], []
    append = db.append_message

    starts = []

    def timed_append(*args, **kwargs):
        started = time.monotonic()
        try:
            row = append(*args, **kwargs)
        except Exception as error:
            errors.append(f"{name}: {error}")
            raise
        latencies.append(time.monotonic() - started)
        starts.append(started)
        written.append([kwargs.get("session_id", args[0] if args else None), kwargs.get("role", args[1] if len(args) > 1 else None),
                        kwargs.get("content", args[2] if len(args) > 2 else None)])
        return row

    db.append_message = timed_append
    session_id = f"live_{name}"
    # SECONDS, or "until:PATH": until that file exists.
    stop_file = Path(seconds[len("until:"):]) if str(seconds).startswith("until:") else None
    deadline = time.monotonic() + (24 * 3600 if stop_file else float(seconds))

    def running():
        return time.monotonic() < deadline and not (stop_file and stop_file.exists())

    count = 0
    if kind == "gateway":
        while running():
            # The flush logs and swallows a failed append (the row is lost): errors records it.
            gateway_turn(store, session_id, [{"role": "user", "content": f"live {name} turn {count}"},
                                             {"role": "assistant", "content": f"live {name} answer {count}"}])
            count += 1
            time.sleep(0.05)
    else:
        db.create_session(session_id, "cli")
        while running():
            try:
                db.append_message(session_id, "user" if count % 2 == 0 else "assistant", content=f"live {name} message {count}")
            except Exception:
                pass
            count += 1
            time.sleep(0.01)
    db.close()
    Path(out_path).write_text(json.dumps({"latencies": latencies, "starts": starts, "written": written, "errors": errors}))


def bulk(home, sessions, messages, surviving):
    """A large store damaged as path A leaves it: transcripts of MESSAGES lines written byte for byte as the gateway
    writes them (json.dumps(ensure_ascii=False) + newline), and the newest SURVIVING of each in SQLite through the
    agent's SessionDB.append_message. For benchmarks, where the agent's per-line writer would take minutes."""
    store = open_store(home)
    db = store._db
    stamp = __import__("datetime").datetime(2026, 3, 1, 12, 0, 0)
    for number in range(int(sessions)):
        session_id = f"bulk_{number:04d}"
        history = [m for turn in range(int(messages) // 4 + 1) for m in turn_messages(session_id, turn)][:int(messages)]
        with open(store.get_transcript_path(session_id), "w", encoding="utf-8") as transcript:
            for index, message in enumerate(history):
                at = (stamp + __import__("datetime").timedelta(seconds=number * 10000 + index)).isoformat()
                transcript.write(json.dumps({**message, "timestamp": at}, ensure_ascii=False) + "\n")
        db.create_session(session_id, "telegram")
        for m in history[-int(surviving):]:
            db.append_message(session_id, m["role"], content=m.get("content"), tool_name=m.get("tool_name"),
                              tool_calls=m.get("tool_calls"), tool_call_id=m.get("tool_call_id"),
                              finish_reason=m.get("finish_reason"), reasoning=m.get("reasoning"))
    db.close()


def profiles(root, names=""):
    """The agent's own profile code over ROOT (a root outside ~/.hermes, as in Docker's /opt/data): create_profile for
    each of NAMES (comma-separated; none: only list), then print list_profiles() as [[name, path], ...]."""
    os.environ["HERMES_HOME"] = str(root)
    from hermes_cli import profiles as agent_profiles
    for name in [n for n in names.split(",") if n]:
        agent_profiles.create_profile(name, no_alias=True, no_skills=True)
    print(json.dumps([[p.name, str(p.path)] for p in agent_profiles.list_profiles()]))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "damage":
        damage(*args)
    elif command == "upgrade":
        upgrade(*args)
    elif command == "snapshot":
        snapshot(*args)
    elif command == "check":
        # check HOME TRUTH BEFORE [--restored ID,...] [--only ID,...]
        options = {"--restored": (), "--only": None}
        while len(args) > 3 and args[-2] in options:
            options[args[-2]] = [sid for sid in args[-1].split(",") if sid]
            args = args[:-2]
        sys.exit(check(*args, restored=options["--restored"], only=options["--only"]))
    elif command == "rewind":
        import hermes_scenarios
        hermes_scenarios.rewind(*args)
    elif command == "writer":
        writer(*args)
    elif command == "bulk":
        bulk(*args)
    elif command == "profiles":
        profiles(*args)
    else:
        sys.exit(f"unknown command {command}")
