#!/usr/bin/env python3
"""One interop round on the released agent's own code: damage, (upgrade,) scan, repair, read back, scan, repair again.

    interop.py --fsck BIN --version 0.13.0 [--upgrade-to 0.19.0] [--work DIR] [--writers] [--profiles coder,writer]

The steps: damage (and upgrade) through the agent; scan (each session's status against TRUTH; the deleted ones
alone must scan clean); in a round upgrading to 0.16.0 or later, /undo during a repair on a copy of the store;
repair (backfilled, refused, never brought back, as TRUTH says; exit 1 exactly when something was refused or
deferred); read back by the agent; scan again; repair --session of one deleted session and repair --create-missing (the never-recorded ones),
each read back; a last repair that must insert nothing.

--writers runs the agent's own writers (hermes_driver.py writers) during the repair and checks that every row
they wrote is there exactly once. Exit 0 when every step holds; otherwise each failure on its own line.
"""
import argparse
from contextlib import closing
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DAMAGED = {"path_a", "path_b", "middle_gap", "multimodal", "continued", "compacted", "undone", "rewritten"}


def agent_python(version):
    return subprocess.run([str(HERE / "hermes-venv.sh"), version], check=True, capture_output=True, text=True).stdout.strip()


def run(command, expect=None, what=""):
    result = subprocess.run(command, capture_output=True, text=True)
    if expect is not None and result.returncode not in (expect if isinstance(expect, tuple) else (expect,)):
        raise SystemExit(f"{what or command[0]}: exit {result.returncode}, want {expect}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def start_writers(python, home, work, seconds, sessions=3):
    """Three SessionDB writers and a gateway, each a process of its own, as the agent runs them; started and given a moment."""
    driver = str(HERE / "hermes_driver.py")
    writers = []
    for number in range(sessions + 1):
        name, kind = (f"gateway{number}", "gateway") if number == sessions else (f"db{number}", "session_db")
        out = Path(f"{work}writer-{name}.json") if str(work).endswith("-") else Path(work) / f"writer-{name}.json"
        writers.append((subprocess.Popen([python, driver, "writer", str(home), str(seconds), str(out), name, kind],
                                         stderr=subprocess.DEVNULL), out))
    time.sleep(1.0)
    return writers


def finish_writers(writers, home):
    """Waits for the writers; every row they wrote must be in the database once. Returns their append latencies."""
    latencies, written, failures = [], [], []
    for process, out in writers:
        process.wait()
        result = json.loads(out.read_text())
        latencies += result["latencies"]
        written += [tuple(row) for row in result["written"]]
        if result["errors"]:
            failures.append(f"the agent's writers failed {len(result['errors'])} appends: {result['errors'][:3]}")
    # closing(): a connection's `with` only commits, and one left to the garbage collector keeps the database open, so
    # that the repair after the writers would see another process (this one) and defer what it must move.
    with closing(sqlite3.connect(Path(home) / "state.db")) as db:
        found = db.execute("SELECT session_id, role, content FROM messages WHERE session_id LIKE 'live_%'").fetchall()
    if sorted(found, key=repr) != sorted(written, key=repr):
        failures.append(f"the agent's writers wrote {len(written)} rows, the database holds {len(found)} of theirs")
    latencies.sort()

    def percentile(p):
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None

    return {"agent_appends": len(latencies), "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
            "max_ms": percentile(1.0), "failures": failures}


PROBLEMS = {"truncated", "missing", "continued", "diverged", "corrupt"}
WHOLE_AFTER = {"ok", "database_ahead", "database_only"}


def scan(fsck, home, *extra, expect=None, what="scan"):
    result = run([fsck, "scan", "--home", str(home), "--format", "json", *extra], expect, what)
    return result.returncode, {s["session_id"]: s["status"] for s in json.loads(result.stdout)["sessions"]}


# The last repair's reason for each session, for the failure messages.
REASONS = {}


def repair(fsck, home, *extra, what="repair"):
    """A repair; returns (exit status, {session: (action, inserted)}) and checks the exit status agrees with the actions:
    1 when some session was refused or deferred, else 0."""
    result = run([fsck, "repair", "--home", str(home), "--format", "json", *extra], None, what)
    if result.returncode not in (0, 1):
        return result.returncode, {}, [f"{what}: exit {result.returncode}: {result.stderr.strip()[-500:]}"]
    sessions = json.loads(result.stdout)["sessions"]
    actions = {s["session_id"]: (s.get("action"), s.get("inserted", 0)) for s in sessions}
    REASONS.update({s["session_id"]: s.get("reason") for s in sessions})
    unfinished = sorted(sid for sid, (action, _) in actions.items() if action in ("refused", "deferred"))
    problems = []
    if result.returncode != (1 if unfinished else 0):
        problems.append(f"{what} exits {result.returncode} with {len(unfinished)} sessions refused or deferred")
    return result.returncode, actions, problems


class Truth:
    """What hermes_driver.py recorded about each session: its name, what a repair must leave (expect), whether the scan
    before the repair must call it a problem, which statuses that scan may give it."""

    def __init__(self, path):
        self.path = Path(path)
        self.sessions = json.loads(self.path.read_text())

    def name(self, sid):
        return self.sessions.get(sid, {}).get("name", sid)

    def expect(self, sid):
        return self.sessions.get(sid, {}).get("expect", "whole")

    def problem(self, sid):
        return self.sessions.get(sid, {}).get("problem", sid in DAMAGED)

    def of(self, kind):
        return sorted(sid for sid in self.sessions if self.expect(sid) == kind)


def check_scan_before(truth, statuses):
    failures = []
    for sid, status in statuses.items():
        allowed = truth.sessions.get(sid, {}).get("scan")
        if allowed:
            if status not in allowed:
                failures.append(f"scan before the repair: {truth.name(sid)} is {status}, want {' or '.join(allowed)}")
        elif (status in PROBLEMS) != truth.problem(sid) or status in ("diverged", "corrupt"):
            failures.append(f"scan before the repair: {truth.name(sid)} is {status}")
    for sid in truth.sessions:
        if sid not in statuses:
            failures.append(f"scan before the repair does not report {truth.name(sid)}")
    return failures


def check_repair(truth, actions, what, agent_running=False, only=None):
    """The default repair: damaged sessions backfilled (deferred only while an agent has the database open), the
    agent's own rewrites refused, deleted and unrecorded sessions not brought back."""
    failures = []
    for sid in only or truth.sessions:
        action, inserted = actions.get(sid, ("unchanged", 0))
        kind, name = truth.expect(sid), truth.name(sid)
        if kind == "as_left" and action != "refused":
            failures.append(f"{what}: {name} (the agent's own rewrite) was {action}, want refused")
        elif kind in ("deleted", "missing") and (action in ("created", "backfilled") or inserted):
            failures.append(f"{what}: {name} ({kind}) was {action} with {inserted} rows; only --create-missing or "
                            "--session may bring it back")
        elif kind == "whole" and truth.problem(sid):
            if action == "deferred" and not agent_running:
                failures.append(f"{what}: {name} was deferred with no agent process running ({REASONS.get(sid)})")
            elif action not in ("backfilled", "deferred"):
                failures.append(f"{what}: {name} was {action}, want backfilled")
        elif kind == "whole" and action not in ("unchanged",):
            failures.append(f"{what}: {name} was {action}, want unchanged")
    return failures


def check_scan_after(truth, status, statuses, restored, what):
    failures = []
    for sid in truth.sessions:
        got, kind = statuses.get(sid), truth.expect(sid)
        want = ({"deleted"} if kind == "deleted" else {"missing"} if kind == "missing" else {"diverged"}
                if kind == "as_left" else WHOLE_AFTER)
        if sid in restored:
            want = WHOLE_AFTER
        if got not in want:
            failures.append(f"{what}: {truth.name(sid)} is {got}, want {' or '.join(sorted(want))}")
    problems = sorted(sid for sid, got in statuses.items() if got in PROBLEMS)
    if status != (1 if problems else 0):
        failures.append(f"{what} exits {status} with {len(problems)} problems: "
                        + ", ".join(f"{truth.name(sid)} {statuses[sid]}" for sid in problems[:8]))
    return failures


def agent_check(python, home, truth, before, what, restored=(), only=None):
    command = [python, str(HERE / "hermes_driver.py"), "check", str(home), str(truth), str(before)]
    if restored:
        command += ["--restored", ",".join(restored)]
    if only:
        command += ["--only", ",".join(only)]
    checked = run(command, (0, 1), "check")
    return [f"{what}: {f}" for f in json.loads(checked.stdout)["failures"]]


def version_of(name):
    return tuple(int(part) for part in name.split("."))


def rewind_race(args, python, home, work, truth):
    """/undo during a repair (0.16.0 on): the agent reads its rewind target, the repair runs while that process has
    the database open, then the agent's write runs. Exactly the target's row and those after it in history order
    must become inactive. On a copy of the store, so the round's own repair starts from the same damage."""
    race = work / "race"
    shutil.rmtree(race, ignore_errors=True)
    shutil.copytree(home, race / "home")
    ready, go, out = race / "ready", race / "go", race / "rewind.json"
    rewinder = subprocess.Popen([python, str(HERE / "hermes_driver.py"), "rewind", str(race / "home"), "rewind_race",
                                 str(ready), str(go), str(out)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready.exists():
        if rewinder.poll() is not None or time.monotonic() > deadline:
            rewinder.kill()
            return [f"/undo race: the agent never reached its write: {rewinder.communicate()[1][-2000:]}"]
        time.sleep(0.05)
    failures = []
    _, first, problems = repair(args.fsck, race / "home", what="repair while /undo waits")
    failures += problems + check_repair(truth, first, "repair while /undo waits", agent_running=True, only=["rewind_race"])
    go.write_text("go")
    if rewinder.wait(timeout=120) != 0:
        return failures + [f"/undo race: the agent's rewind failed: {rewinder.stderr.read()[-2000:]}"]
    done = json.loads(out.read_text())
    _, second, problems = repair(args.fsck, race / "home", what="repair after /undo")
    failures += problems
    deferred = first.get("rewind_race", ("unchanged", 0))[0] == "deferred"
    again = second.get("rewind_race", ("unchanged", 0))[0]
    if deferred and again != "backfilled":
        failures.append(f"repair after /undo: rewind_race, deferred while the agent ran, was {again}, want backfilled")
    # The truth after the agent's /undo: the last turn (4 messages, one tool call) taken back.
    race_truth = json.loads(truth.path.read_text())
    for entry in race_truth["rewind_race"]["history"][-4:]:
        entry["active"] = 0
    race_truth["rewind_race"]["rewound_after_snapshot"] = {"message_count": 4, "tool_call_count": 1}
    (race / "truth.json").write_text(json.dumps(race_truth, ensure_ascii=False))
    rewound = done["result"].get("rewound_count")
    if rewound != 4:
        failures.append(f"/undo race: the agent's rewind of target id {done['target']} made {rewound} rows inactive, "
                        f"want the target's turn of 4 (inactive now: {done['inactive'][:12]})")
    failures += agent_check(python, race / "home", race / "truth.json", work / "before.json",
                            f"after /undo during a repair, read by hermes-agent {args.upgrade_to}", only=["rewind_race"])
    print(json.dumps({"undo_race": {"first": first.get("rewind_race"), "second": second.get("rewind_race"),
                                    "rewound": rewound}}))
    return failures


def by_profile(document, names):
    """A report of several stores: each session's status (scan) or action (repair), per profile."""
    sessions = {name: {} for name in names}
    for session in document["sessions"]:
        sessions.setdefault(session["profile"], {})[session["session_id"]] = session
    return sessions


def profiles_round(args, work):
    """--profiles NAME,..: a root whose default profile and named ones (made by the agent's own create_profile) are each
    damaged (and upgraded) through the agent's write paths; one scan and one repair of the root; every profile read back
    by the agent's own readers; the stores the tool reports are the profiles the agent lists."""
    root = work / "root"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    driver = str(HERE / "hermes_driver.py")
    writer_python = agent_python(args.version)
    reader_python = agent_python(args.upgrade_to) if args.upgrade_to else writer_python
    reader = args.upgrade_to or args.version
    listed = json.loads(run([writer_python, driver, "profiles", str(root), args.profiles], 0, "create_profile").stdout.splitlines()[-1])
    homes = dict(listed)
    truths = {}
    for name, home in homes.items():
        truth_path, before = work / f"truth-{name}.json", work / f"before-{name}.json"
        run([writer_python, driver, "damage", home, str(truth_path)], 0, f"damage of profile {name}")
        if args.upgrade_to:
            run([reader_python, driver, "upgrade", home, str(truth_path)], 0, f"upgrade of profile {name}")
        run([reader_python, driver, "snapshot", home, str(before)], 0, f"snapshot of profile {name}")
        truths[name] = (Truth(truth_path), truth_path, before)

    failures = []
    agent_list = [name for name, _ in json.loads(run([reader_python, driver, "profiles", str(root)], 0, "list_profiles").stdout.splitlines()[-1])]
    scanned = json.loads(run([args.fsck, "scan", "--home", str(root), "--format", "json"], 1, "scan of the root").stdout)
    reported = [store["profile"] for store in scanned["stores"]]
    if reported != agent_list:
        failures.append(f"the scan of the root reports the stores {reported}; hermes-agent {reader} lists the profiles {agent_list}")
    statuses = by_profile(scanned, homes)
    for name, (truth, _, _) in truths.items():
        failures += [f"profile {name}: {f}" for f in check_scan_before(truth, {sid: s["status"] for sid, s in statuses[name].items()})]

    result = run([args.fsck, "repair", "--home", str(root), "--format", "json"], (0, 1), "repair of the root")
    repaired = by_profile(json.loads(result.stdout), homes)
    unfinished = 0
    for name, (truth, truth_path, before) in truths.items():
        actions = {sid: (s.get("action"), s.get("inserted", 0)) for sid, s in repaired[name].items()}
        REASONS.update({sid: s.get("reason") for sid, s in repaired[name].items()})
        unfinished += sum(action in ("refused", "deferred") for action, _ in actions.values())
        failures += check_repair(truth, actions, f"repair of the root, profile {name}")
        failures += agent_check(reader_python, homes[name], truth_path, before, f"profile {name}, read back by hermes-agent {reader}")
    if result.returncode != (1 if unfinished else 0):
        failures.append(f"the repair of the root exits {result.returncode} with {unfinished} sessions refused or deferred")

    after = run([args.fsck, "scan", "--home", str(root), "--format", "json"], None, "scan of the root after")
    problems = 0
    for name, sessions in by_profile(json.loads(after.stdout), homes).items():
        found = {sid: s["status"] for sid, s in sessions.items()}
        problem = any(status in PROBLEMS for status in found.values())
        problems += problem
        failures += check_scan_after(truths[name][0], 1 if problem else 0, found, (), f"profile {name}, scan after the repair")
    if after.returncode != (1 if problems else 0):
        failures.append(f"the scan of the root after the repair exits {after.returncode} with problems in {problems} profiles")
    again = json.loads(run([args.fsck, "repair", "--home", str(root), "--format", "json"], (0, 1), "second repair").stdout)
    if again["summary"]["inserted_messages"]:
        failures.append(f"a second repair of the root inserted {again['summary']['inserted_messages']} more rows")
    print(json.dumps({"version": args.version, "upgrade_to": args.upgrade_to, "profiles": agent_list,
                      "summary": scanned["summary"], "repair": json.loads(result.stdout)["summary"]}))
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fsck", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--upgrade-to")
    parser.add_argument("--work")
    parser.add_argument("--writers", action="store_true")
    parser.add_argument("--profiles", help="NAME,..: a root with these profiles beside its default (see profiles_round)")
    args = parser.parse_args()
    started = time.monotonic()
    work = Path(args.work or tempfile.mkdtemp(prefix="fsck-interop-"))
    if args.profiles:
        failures = profiles_round(args, work)
        for failure in failures:
            print(failure)
        return 1 if failures else 0
    home, truth_path, before = work / "home", work / "truth.json", work / "before.json"
    shutil.rmtree(home, ignore_errors=True)  # a --work of an earlier round: start from an empty home
    home.mkdir(parents=True)
    driver = str(HERE / "hermes_driver.py")

    writer_python = agent_python(args.version)
    run([writer_python, driver, "damage", str(home), str(truth_path)], 0, "damage")
    reader_python = writer_python
    if args.upgrade_to:
        reader_python = agent_python(args.upgrade_to)
        run([reader_python, driver, "upgrade", str(home), str(truth_path)], 0, "upgrade")
    run([reader_python, driver, "snapshot", str(home), str(before)], 0, "snapshot")
    truth = Truth(truth_path)
    reader = args.upgrade_to or args.version

    failures = []
    _, statuses = scan(args.fsck, home, expect=1, what="scan before")
    failures += check_scan_before(truth, statuses)
    # A deleted session is no problem: a scan of those alone finds nothing to repair.
    deleted = truth.of("deleted")
    if deleted:
        status, alone = scan(args.fsck, home, *[a for sid in deleted for a in ("--session", sid)], what="scan of the deleted")
        if status != 0 or set(alone.values()) != {"deleted"}:
            failures.append(f"scan of the deleted sessions alone exits {status}: "
                            + ", ".join(f"{truth.name(sid)} {st}" for sid, st in alone.items()))

    # (Not in the --writers round: the same race runs in the plain round of that version.)
    if args.upgrade_to and version_of(args.upgrade_to) >= (0, 16, 0) and "rewind_race" in truth.sessions and not args.writers:
        failures += rewind_race(args, reader_python, home, work, truth)

    writers = []
    if args.writers:
        writers = start_writers(reader_python, home, work, seconds=4)
    status, actions, problems = repair(args.fsck, home)
    failures += problems + check_repair(truth, actions, "repair", agent_running=bool(writers))
    if writers:
        live = finish_writers(writers, home)
        failures += live["failures"]
        print(json.dumps({k: v for k, v in live.items() if k != "failures"}))
        # What was deferred while the agent's writers had the database open is repaired once they have stopped.
        deferred = [sid for sid, (action, _) in actions.items() if action == "deferred"]
        if deferred:
            _, later, problems = repair(args.fsck, home, what="repair after the writers stopped")
            failures += problems + check_repair(truth, later, "repair after the writers stopped",
                                                only=[sid for sid in deferred if sid in truth.sessions])
            actions.update({sid: later.get(sid, action) for sid, action in actions.items() if sid in deferred})

    failures += agent_check(reader_python, home, truth_path, before, f"read back by hermes-agent {reader}")
    status, after = scan(args.fsck, home, what="scan after")
    failures += check_scan_after(truth, status, after, (), "scan after the repair")

    # Asked for: one deleted session by name, then every missing one.
    restored = []
    if deleted:
        _, one, problems = repair(args.fsck, home, "--session", deleted[-1], what=f"repair --session {deleted[-1]}")
        failures += problems
        if one.get(deleted[-1], (None, 0))[0] != "created":
            failures.append(f"repair --session {truth.name(deleted[-1])}: {one.get(deleted[-1])}, want created")
        restored.append(deleted[-1])
    # --create-missing brings in the sessions never recorded; the deleted ones stay deleted unless named.
    absent = truth.of("missing")
    if absent:
        _, created, problems = repair(args.fsck, home, "--create-missing", what="repair --create-missing")
        failures += problems
        for sid in absent:
            if created.get(sid, (None, 0))[0] != "created":
                failures.append(f"repair --create-missing: {truth.name(sid)} was {created.get(sid)}, want created")
        for sid in truth.of("deleted"):
            if sid not in restored and created.get(sid, ("unchanged", 0))[0] != "unchanged":
                failures.append(f"repair --create-missing: {truth.name(sid)} (deleted) was {created.get(sid)}, want unchanged")
        restored = restored + absent
        failures += agent_check(reader_python, home, truth_path, before,
                                f"after repair --create-missing, read by hermes-agent {reader}", restored=restored)
        status, after = scan(args.fsck, home, what="scan after --create-missing")
        failures += check_scan_after(truth, status, after, restored, "scan after repair --create-missing")

    _, again, problems = repair(args.fsck, home, what="second repair")
    failures += problems
    inserted = sum(inserted for _, inserted in again.values())
    if inserted:
        failures.append(f"a second repair inserted {inserted} more rows")
    print(json.dumps({"version": args.version, "upgrade_to": args.upgrade_to, "seconds": round(time.monotonic() - started, 1),
                      "statuses": {truth.name(sid): st for sid, st in statuses.items()},
                      "repair": {truth.name(sid): action for sid, (action, _) in actions.items()}}))
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
