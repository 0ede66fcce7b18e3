"""The scenarios beyond the two failure paths: compression lineages, rewrites that half fail, deletion, sessions the
agent never recorded, the 0.17 double flush and an /undo that reads its target before a repair and writes after it.

Runs inside a venv that holds one released hermes-agent, imported by hermes_driver.py. Every write goes through the
agent's own code: AIAgent._compress_context and _flush_messages_to_session_db on a real AIAgent, the gateway's
GatewayRunner command handlers (/retry, /undo, /compress), the CLI's HermesCLI /resume and /compress handlers,
`hermes sessions delete` (the CLI itself, as a process), the ACP adapter's SessionManager, SessionStore.rewind_session.
The one stub: the compression summariser (ContextCompressor._generate_summary, an LLM call) returns a fixed text.
The model the agents are built for points at a closed local port; nothing here reaches a network.

Each scenario records in TRUTH what the agent made of each session and what a repair must leave:
    expect   "whole"   (default) the agent's readers read the whole history after the repair
             "as_left" the repair must refuse it and leave its rows exactly as they were (the agent's own doing)
             "deleted" the user deleted it; a default repair must not bring it back
             "missing" the agent never recorded it; only `repair --create-missing` (or --session) brings it back
    problem  whether the scan before the repair must call it a problem
    scan     the statuses the scan before the repair may give it (when one is certain)
    lineage  on a compression tip: its sessions root..tip, which the lineage readers must read whole
"""
import asyncio
import copy
import datetime
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import hermes_driver as driver

# The agents are built for this provider: a closed port, so a stray call fails at once instead of reaching a network.
PROVIDER = {"provider": "custom", "api_key": "sk-interop-offline", "base_url": "http://127.0.0.1:9/v1",
            "api_mode": "chat_completions"}
MODEL = "interop/model"


def version():
    from importlib.metadata import version as installed
    return tuple(int(part) for part in installed("hermes-agent").split(".")[:3])


def fixed_summariser():
    """The one stub: the compression summary (an auxiliary LLM call) is a fixed text naming how much it summarised."""
    from agent.context_compressor import ContextCompressor

    def summary(self, turns_to_summarize, focus_topic=None, *args, **kwargs):
        return f"Summary of {len(turns_to_summarize)} earlier messages: files were read and answered."

    ContextCompressor._generate_summary = summary


def real_agent(db, session_id, platform="telegram"):
    """An AIAgent built the way the gateway builds its per-session agent (session_db given), for the offline model."""
    import run_agent
    fixed_summariser()
    return run_agent.AIAgent(base_url=PROVIDER["base_url"], api_key=PROVIDER["api_key"], model=MODEL, max_iterations=4,
                             quiet_mode=True, skip_memory=True, enabled_toolsets=["memory"], session_id=session_id,
                             session_db=db, platform=platform)


def entry(message, active=1, compacted=0):
    return driver.history_entry(copy.deepcopy({k: v for k, v in message.items() if k != "timestamp"}), active, compacted)


def record(truth, session_id, name, messages, **facts):
    truth[session_id] = {"name": name, "history": [entry(m) for m in messages], "search": facts.pop("search", None),
                         **facts}


def stamp():
    return datetime.datetime.now().isoformat()


# ---------------------------------------------------------------------------------------------------------------
# 1. Compression lineages (0.13.0 and 0.14.0 write them with transcripts).
#
# Every version from 0.13.0 on compresses by ending the session and continuing in a child with parent_session_id
# (_compress_context; from 0.15.0 agent/conversation_compression.compress_context). 0.18.0 adds compaction in place
# (archive_and_compact), the default from 0.18.0's config (compression.in_place). What differs is who calls it with
# a SessionDB: the gateway's /compress builds its temporary AIAgent WITHOUT session_db in 0.13.0 to 0.17.0, so there
# it never rotates (0.13.0 to 0.16.0 then replace the whole session with the compressed one through
# rewrite_transcript, database and JSONL alike; 0.17.0 refuses to rewrite without a rotation); from 0.18.0 it
# passes the gateway's SessionDB. The rotation into a child comes from the agent's own loop (the gateway's
# cached agent has the gateway's SessionDB) and from the CLI's /compress. That is the path driven here: the loop's
# preflight compression (messages = history + the new user message), conversation_history set to None, the flush
# of every message into the child, and the gateway writing all of them to the child's transcript (offset 0 after a
# split, gateway/run.py "_session_was_split").
# ---------------------------------------------------------------------------------------------------------------

def compression_turn(store, session_id, tag, number, locked_home=None):
    """One gateway turn whose preflight compression splits the session; returns (child id, the child's messages)."""
    from agent.model_metadata import estimate_messages_tokens_rough
    history = [m for m in store.load_transcript(session_id) if m.get("role") != "session_meta"]
    turn = driver.turn_messages(tag, number)
    agent = real_agent(store._db, session_id)
    agent._session_db_created = True  # the gateway's cached agent created the row on the session's first turn
    messages = history + [dict(turn[0])]
    compressed, _ = agent._compress_context(messages, "", approx_tokens=estimate_messages_tokens_rough(messages))
    child = agent.session_id
    if child == session_id or len(compressed) >= len(messages):
        raise SystemExit(f"compression of {session_id} did not split it ({len(messages)} -> {len(compressed)})")
    messages = list(compressed) + [dict(m) for m in turn[1:]]
    written = copy.deepcopy(messages)
    with driver.WriteLockHeld(locked_home, store._db) if locked_home else nullcontext():
        agent._flush_messages_to_session_db(messages, None)
    at = stamp()
    for message in written:
        store.append_to_transcript(child, {**message, "timestamp": at}, skip_db=True)
    return child, written


def lineage(store, home, truth, name, root_locked=(), child_locked=False):
    """root (5 turns) -> child (compressed + 2 turns) -> grandchild (compressed + 1 turn)."""
    root_history = []
    for number in range(5):
        messages = driver.turn_messages(name, number)
        driver.gateway_turn(store, name, messages, locked_home=home if number in root_locked else None)
        root_history += messages
    record(truth, name, f"{name} root", root_history, search=f"{name}0", problem=bool(root_locked))

    child, child_history = compression_turn(store, name, name, 5, locked_home=home if child_locked else None)
    more = driver.turn_messages(name, 6)
    driver.gateway_turn(store, child, more)
    record(truth, child, f"{name} child", child_history + more, search=f"{name}6", problem=child_locked)

    grandchild, grand_history = compression_turn(store, child, name, 7)
    more = driver.turn_messages(name, 8)
    driver.gateway_turn(store, grandchild, more)
    record(truth, grandchild, f"{name} grandchild", grand_history + more, search=f"{name}8", problem=False,
           lineage=[name, child, grandchild])


def lineages(store, home, truth):
    # The root lost its oldest turns to the held lock (path A); its child and grandchild are whole.
    lineage(store, home, truth, "lineage_root_lost", root_locked=range(3))
    # The root is whole; the flush into the child failed under the held lock, so the child's compressed head and
    # first turn are only in its transcript, and its next turn's rows follow the root's with no id free between.
    lineage(store, home, truth, "lineage_child_lost", child_locked=True)


# ---------------------------------------------------------------------------------------------------------------
# 2. /retry, /undo and /compress under a held lock (0.13.0 and 0.14.0: the gateway's handlers call
# SessionStore.rewrite_transcript, which swallows a failed replace_messages and rewrites the JSONL anyway).
# From 0.15.0 there is no transcript to disagree with; 0.16.0's /undo soft-deletes with rewind_to_message instead.
# ---------------------------------------------------------------------------------------------------------------

def gateway_runner(store):
    """The gateway's GatewayRunner with the state its /retry, /undo and /compress handlers read. The session's model
    override (what /model leaves) names the offline provider, as a user's custom endpoint would."""
    from gateway.run import GatewayRunner
    runner = GatewayRunner.__new__(GatewayRunner)
    runner.session_store = store
    runner.config = store.config
    runner._session_model_overrides = {}
    runner.adapters = {}
    return runner


def message_event(text, source):
    from gateway.platforms.base import MessageEvent
    return MessageEvent(text=text, source=source)


def source_for(chat):
    from gateway.config import Platform
    from gateway.session import SessionSource
    return SessionSource(platform=Platform.TELEGRAM, chat_id=chat, user_id="u1")


def rows_of(db, session_id):
    return [tuple(r) for r in db._conn.execute(
        "SELECT id, role, content FROM messages WHERE session_id = ? ORDER BY id", (session_id,))]


def damaged_gateway_session(store, home, chat):
    """A gateway session (through SessionStore.get_or_create_session) that path A damaged: the row's creation and
    the first three turns hit the held lock, two more got through. Returns (source, session id, its history)."""
    source = source_for(chat)
    with driver.WriteLockHeld(home, store._db):
        session_id = store.get_or_create_session(source).session_id
    history = []
    for number in range(5):
        messages = driver.turn_messages(chat, number)
        driver.gateway_turn(store, session_id, messages, locked_home=home if number < 3 else None)
        history += messages
    return source, session_id, history


def locked_rewrites(store, home, truth):
    runner = gateway_runner(store)
    retried = []

    async def handle_message(event):
        # The normal message handler runs the retried turn through the LLM: here the driver's turn, after the lock.
        retried.append(event.text)
        return "retried"

    runner._handle_message = handle_message

    # /retry: the JSONL loses the last user turn, the database keeps it; then the retried turn reaches both.
    source, session_id, _ = damaged_gateway_session(store, home, "retried_locked")
    before = rows_of(store._db, session_id)
    with driver.WriteLockHeld(home, store._db):
        asyncio.run(runner._handle_retry_command(message_event("/retry", source)))
    if rows_of(store._db, session_id) != before or not retried:
        raise SystemExit("/retry under the held lock changed the database or did not re-send the message")
    answer = [{"role": "user", "content": retried[0]},
              {"role": "assistant", "content": "retried: r4.md says retried_locked4 again", "finish_reason": "stop"}]
    driver.gateway_turn(store, session_id, answer)
    record(truth, session_id, "retried_locked", [], expect="as_left", problem=True, scan=["diverged"])

    # /undo: the same, without a new answer to the removed message; a new turn follows.
    source, session_id, _ = damaged_gateway_session(store, home, "undone_locked")
    before = rows_of(store._db, session_id)
    with driver.WriteLockHeld(home, store._db):
        asyncio.run(runner._handle_undo_command(message_event("/undo", source)))
    if rows_of(store._db, session_id) != before:
        raise SystemExit("/undo under the held lock changed the database")
    driver.gateway_turn(store, session_id, driver.turn_messages("undone_locked", 5))
    record(truth, session_id, "undone_locked", [], expect="as_left", problem=True, scan=["diverged"])

    # /compress: the gateway's temporary agent has no SessionDB (0.13.0 to 0.17.0), so the session does not rotate;
    # rewrite_transcript gives the JSONL the compressed history (a summary the database never gets) and the database
    # keeps its rows.
    source, session_id, _ = damaged_gateway_session(store, home, "compressed_locked")
    runner._session_model_overrides[runner._session_key_for_source(source)] = {"model": MODEL, **PROVIDER}
    fixed_summariser()
    before = rows_of(store._db, session_id)
    with driver.WriteLockHeld(home, store._db):
        reply = asyncio.run(runner._handle_compress_command(message_event("/compress", source)))
    transcript = [json.loads(line) for line in Path(store.get_transcript_path(session_id)).read_text().splitlines()]
    if rows_of(store._db, session_id) != before or store.get_or_create_session(source).session_id != session_id:
        raise SystemExit(f"/compress under the held lock rotated or wrote the database: {reply}")
    if not any("Summary of" in str(m.get("content")) for m in transcript):
        raise SystemExit(f"/compress did not compress: {reply}")
    driver.gateway_turn(store, session_id, driver.turn_messages("compressed_locked", 5))
    record(truth, session_id, "compressed_locked", [], expect="as_left", problem=True, scan=["diverged"])


# ---------------------------------------------------------------------------------------------------------------
# 3. Deletion, and sessions the agent never recorded.
#
# SessionDB.delete_session removes the rows and, given sessions_dir, SESSIONS/<id>.json and SESSIONS/<id>.jsonl only
# (_remove_session_files, the same in 0.13.0 to 0.19.0): an archived <id>.jsonl.gz or a copy in a subfolder stays.
# The web dashboard (hermes_cli/web_server.py, DELETE /api/sessions/{id}) and the ACP adapter (SessionManager
# ._delete_persisted) call it without sessions_dir, so the transcript stays too. Transcripts exist for sessions
# written by 0.13.0 and 0.14.0 (and kept after an upgrade), so these arise in every version with such a store.
#
# A session is never recorded when its row is never created: in 0.13.0 and 0.14.0 only create_session makes the row
# (append_message inserts no session row, and with foreign keys on it fails without one); the gateway's
# get_or_create_session tries once and the agent's flush retries (_ensure_db_session) on every later turn, so a
# session is left without a row, and without any message, only when every one of its flushes met the lock (a short
# session). From 0.15.0 the agent writes no transcript, so such a session leaves nothing to find. A legacy session
# from before the SQLite store that never got a turn after the migration is a transcript alone, in every version.
# ---------------------------------------------------------------------------------------------------------------

def hermes_cli(home, *arguments):
    """The installed `hermes` command of this venv, as the user runs it."""
    command = [str(Path(sys.executable).with_name("hermes")), *arguments]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HERMES_HOME": str(home)},
                            stdin=subprocess.DEVNULL, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def whole_session(store, name, turns=2):
    history = []
    for number in range(turns):
        messages = driver.turn_messages(name, number)
        driver.gateway_turn(store, name, messages)
        history += messages
    return history


def deletions(store, home, truth):
    sessions = Path(home) / "sessions"

    # The user archived the transcript with gzip (as logrotate's compress does), then `hermes sessions delete`.
    history = whole_session(store, "deleted_gz")
    plain = sessions / "deleted_gz.jsonl"
    with open(plain, "rb") as source, gzip.open(str(plain) + ".gz", "wb") as archive:
        shutil.copyfileobj(source, archive)
    plain.unlink()
    hermes_cli(home, "sessions", "delete", "deleted_gz", "--yes")
    record(truth, "deleted_gz", "deleted_gz", history, expect="deleted", problem=False, scan=["deleted"],
           search="deleted_gz0")

    # The user moved the transcript into a subfolder, then `hermes sessions delete`.
    history = whole_session(store, "deleted_sub")
    (sessions / "archive" / "2026-03").mkdir(parents=True)
    (sessions / "deleted_sub.jsonl").rename(sessions / "archive" / "2026-03" / "deleted_sub.jsonl")
    hermes_cli(home, "sessions", "delete", "deleted_sub", "--yes")
    record(truth, "deleted_sub", "deleted_sub", history, expect="deleted", problem=False, scan=["deleted"],
           search="deleted_sub0")

    # The ACP adapter's delete (an editor client): delete_session without sessions_dir; the transcript stays.
    from acp_adapter.session import SessionManager
    history = whole_session(store, "deleted_acp")
    if not SessionManager(db=store._db)._delete_persisted("deleted_acp"):
        raise SystemExit("the ACP adapter did not delete deleted_acp")
    record(truth, "deleted_acp", "deleted_acp", history, expect="deleted", problem=False, scan=["deleted"],
           search="deleted_acp0")

    # The web dashboard's DELETE /api/sessions/{id}: its whole body is SessionDB().delete_session(session_id). Its
    # module needs fastapi, which the agent's default install lacks, so the body is called as it stands there.
    import hermes_state
    history = whole_session(store, "deleted_web")
    dashboard_db = hermes_state.SessionDB()
    try:
        if not dashboard_db.delete_session("deleted_web"):
            raise SystemExit("the dashboard's delete did not delete deleted_web")
    finally:
        dashboard_db.close()
    record(truth, "deleted_web", "deleted_web", history, expect="deleted", problem=False, scan=["deleted"],
           search="deleted_web0")
    for name in ("deleted_gz", "deleted_sub", "deleted_acp", "deleted_web"):
        if store._db.get_session(name) is not None:
            raise SystemExit(f"{name} is still in the database after its deletion")

    # A session in between, so that the next one's time does not touch the deletions' (the freed ids that tell a
    # deleted session from one never recorded are those written around a session's time: DeletionEvidence).
    between = whole_session(store, "between")
    record(truth, "between", "between", between, expect="whole", problem=False, scan=["ok"], search="between0")

    # Never recorded: the gateway's session row and the only turn's flush both met the held lock.
    history = driver.turn_messages("unrecorded", 0)
    driver.gateway_turn(store, "unrecorded", history, locked_home=home)
    if store._db.get_session("unrecorded") is not None:
        raise SystemExit("unrecorded got a session row")
    record(truth, "unrecorded", "unrecorded", history, expect="missing", problem=True, scan=["missing"],
           search="unrecorded0")

    # A legacy session (JSONL only, from before the SQLite store) that never got a turn after the migration.
    legacy = [m for number in range(3) for m in driver.turn_messages("legacy_only", number)]
    driver.legacy_transcript(store, "legacy_only", legacy)
    record(truth, "legacy_only", "legacy_only", legacy, expect="missing", problem=True, scan=["missing"],
           search="legacy_only0")


# ---------------------------------------------------------------------------------------------------------------
# 4. A session for /undo during a repair (the race itself runs from interop.py with `hermes_driver.py rewind`): a
# gap in the middle (two turns lost to the held lock), so its repair has no free ids between the rows around the gap.
# ---------------------------------------------------------------------------------------------------------------

def rewind_race_session(store, home, truth):
    history = []
    for number in range(6):
        messages = driver.turn_messages("rewind_race", number)
        driver.gateway_turn(store, "rewind_race", messages, locked_home=home if number in (2, 3) else None)
        history += messages
    record(truth, "rewind_race", "rewind_race", history, search="rewind_race0", problem=True)


def cli_compress_session(store, home, truth):
    """A path-A session the upgraded agent's CLI later resumes and compresses (upgrade_cli_compress)."""
    history = []
    for number in range(5):
        messages = driver.turn_messages("cli_compressed", number)
        driver.gateway_turn(store, "cli_compressed", messages, locked_home=home if number < 2 else None)
        history += messages
    record(truth, "cli_compressed", "cli_compressed", history, search="cli_compressed0", problem=True)


def damage(store, home, truth):
    lineages(store, home, truth)
    locked_rewrites(store, home, truth)
    deletions(store, home, truth)
    rewind_race_session(store, home, truth)
    cli_compress_session(store, home, truth)


# ---------------------------------------------------------------------------------------------------------------
# After an upgrade (0.15.0 on): the lineages go on, and the CLI resumes and compresses cli_compressed.
# ---------------------------------------------------------------------------------------------------------------

def append_turn(db, truth, session_id, messages):
    ids = []
    for m in messages:
        ids.append(db.append_message(session_id, m["role"], content=m.get("content"), tool_name=m.get("tool_name"),
                                     tool_calls=m.get("tool_calls"), tool_call_id=m.get("tool_call_id"),
                                     finish_reason=m.get("finish_reason"), reasoning=m.get("reasoning")))
        truth[session_id]["history"].append(entry(m))
    return ids


def hermes_cli_shell(db, session_id, agent):
    """The CLI's HermesCLI with the state its /resume and /compress handlers read (no terminal UI)."""
    import cli
    shell = cli.HermesCLI.__new__(cli.HermesCLI)
    for key, value in dict(_session_db=db, session_id=session_id, conversation_history=[], agent=agent,
                           _pending_title=None, _pending_resume_sessions=None, _app=None, _last_invalidate=0.0,
                           _command_running=False, _command_status="", _resumed=False,
                           resume_display="minimal").items():
        setattr(shell, key, value)
    return shell


def upgrade_cli_compress(db, truth):
    """`/resume cli_compressed` then `/compress` in the upgraded agent's CLI (HermesCLI._handle_resume_command and
    _manual_compress, on a real AIAgent). What the agent does, by version:
      0.15.x, 0.16.0: rotation; the child gets the compressed history, the parent is left as it was.
      0.17.0: rotation, but compress_context first flushes `messages` into the parent, and an agent that has not
              flushed this session (a /resume, a fresh process) knows none of them: every row the parent had is
              appended to it a second time (the agent's doing; a repair must refuse it and leave it as it is).
      0.18.0 on: compaction in place (the config's compression.in_place, default true): archive_and_compact marks
              the rows active = 0, compacted = 1 and inserts the compressed history as the live rows."""
    name = "cli_compressed"
    agent = real_agent(db, "cli_before_resume", platform="cli")
    shell = hermes_cli_shell(db, "cli_before_resume", agent)
    shell._handle_resume_command(f"/resume {name}")
    if shell.session_id != name or not shell.conversation_history:
        raise SystemExit(f"/resume {name} did not load it (now on {shell.session_id})")
    rows_before = len(rows_of(db, name))
    shell._manual_compress("/compress")
    compressed = copy.deepcopy([{k: v for k, v in m.items() if not k.startswith("_")} for m in shell.conversation_history])
    rows_after = len(rows_of(db, name))
    rotated = shell.session_id != name
    doubled = rows_after == 2 * rows_before
    expected = ("rotation, parent doubled" if version() == (0, 17, 0) else
                "in place" if version() >= (0, 18, 0) else "rotation")
    seen = ("rotation, parent doubled" if rotated and doubled else "rotation" if rotated and rows_after == rows_before
            else "in place" if not rotated else f"rotation, parent {rows_before} -> {rows_after} rows")
    if seen != expected:
        raise SystemExit(f"/compress of {name} in hermes-agent {version()}: {seen}, expected {expected}")
    if rotated:
        child = shell.session_id
        record(truth, child, f"{name} child", compressed, search=None, problem=False)
        if doubled:
            truth[name].update(expect="as_left", problem=True, scan=["diverged"])
        else:
            truth[child]["lineage"] = [name, child]
    else:
        for e in truth[name]["history"]:
            e["active"], e["compacted"] = 0, 1
        truth[name]["history"] += [entry(m) for m in compressed]


def upgrade(db, truth):
    for tip in [sid for sid, t in truth.items() if t.get("lineage")]:
        name = truth[tip]["name"].split()[0]
        append_turn(db, truth, tip, driver.turn_messages(name, 9))
    if "rewind_race" in truth:
        append_turn(db, truth, "rewind_race", driver.turn_messages("rewind_race", 6))
    if "cli_compressed" in truth:
        upgrade_cli_compress(db, truth)


# ---------------------------------------------------------------------------------------------------------------
# 4. /undo during a repair (0.16.0 on: rewind_to_message).
# ---------------------------------------------------------------------------------------------------------------

def rewind(home, session_id, ready_path, go_path, out_path):
    """The gateway's /undo (SessionStore.rewind_session: list_recent_user_messages, then rewind_to_message, which
    validates the target outside its write transaction). A hook holds the agent between those reads and its write
    transaction: READY is written once the target id is read; the write runs when GO exists. OUT: what it did."""
    store = driver.open_store(home)
    db = store._db
    target = db.list_recent_user_messages(session_id, limit=10)[0]["id"]
    write = db._execute_write

    def paused_write(fn):
        Path(ready_path).write_text(json.dumps({"target": target}))
        deadline = time.monotonic() + 300
        while not Path(go_path).exists():
            if time.monotonic() > deadline:
                raise SystemExit("rewind: no go within 300 s")
            time.sleep(0.02)
        db._execute_write = write
        return write(fn)

    db._execute_write = paused_write
    result = store.rewind_session(session_id, 1)
    inactive = [row[0] for row in db._conn.execute(
        "SELECT id FROM messages WHERE session_id = ? AND active = 0 ORDER BY id", (session_id,))]
    Path(out_path).write_text(json.dumps({"target": target, "result": {k: v for k, v in (result or {}).items()
                                                                       if k != "target_message"},
                                          "inactive": inactive}, default=str))
    db.close()
