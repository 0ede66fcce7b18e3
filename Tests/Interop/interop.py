#!/usr/bin/env python3
"""One interop round on the released agent's own code: damage, (upgrade,) scan, repair, read back, scan, repair again.

    interop.py --fsck BIN --version 0.13.0 [--upgrade-to 0.19.0] [--work DIR] [--writers]

--writers runs the agent's own writers (hermes_driver.py writers) during the repair and checks that every row
they wrote is there exactly once. Exit 0 when every step holds; otherwise each failure on its own line.
"""
import argparse
import json
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
    with sqlite3.connect(Path(home) / "state.db") as db:
        found = db.execute("SELECT session_id, role, content FROM messages WHERE session_id LIKE 'live_%'").fetchall()
    if sorted(found, key=repr) != sorted(written, key=repr):
        failures.append(f"the agent's writers wrote {len(written)} rows, the database holds {len(found)} of theirs")
    latencies.sort()

    def percentile(p):
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None

    return {"agent_appends": len(latencies), "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
            "max_ms": percentile(1.0), "failures": failures}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fsck", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--upgrade-to")
    parser.add_argument("--work")
    parser.add_argument("--writers", action="store_true")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="fsck-interop-"))
    home, truth, before = work / "home", work / "truth.json", work / "before.json"
    home.mkdir(parents=True, exist_ok=True)
    driver = str(HERE / "hermes_driver.py")

    writer_python = agent_python(args.version)
    run([writer_python, driver, "damage", str(home), str(truth)], 0, "damage")
    reader_python = writer_python
    if args.upgrade_to:
        reader_python = agent_python(args.upgrade_to)
        run([reader_python, driver, "upgrade", str(home), str(truth)], 0, "upgrade")
    run([reader_python, driver, "snapshot", str(home), str(before)], 0, "snapshot")

    failures = []
    scan = json.loads(run([args.fsck, "scan", "--home", str(home), "--format", "json"], 1, "scan before").stdout)
    statuses = {s["session_id"]: s["status"] for s in scan["sessions"]}
    for session, status in statuses.items():
        wanted_problem = session in DAMAGED
        if (status in ("ok", "database_ahead")) == wanted_problem or status in ("diverged", "corrupt"):
            failures.append(f"scan before the repair: {session} is {status}")

    writers = []
    if args.writers:
        writers = start_writers(reader_python, home, work, seconds=4)
    repair = run([args.fsck, "repair", "--home", str(home), "--format", "json"], 0, "repair")
    if writers:
        live = finish_writers(writers, home)
        failures += live["failures"]
        print(json.dumps({k: v for k, v in live.items() if k != "failures"}))

    checked = run([reader_python, driver, "check", str(home), str(truth), str(before)], (0, 1), "check")
    failures += [f"read back by hermes-agent {args.upgrade_to or args.version}: {f}" for f in json.loads(checked.stdout)["failures"]]
    after = run([args.fsck, "scan", "--home", str(home), "--format", "json"], None)
    if after.returncode != 0:
        failures.append(f"scan after the repair exits {after.returncode}: "
                        + ", ".join(f"{s['session_id']} {s['status']}" for s in json.loads(after.stdout)["sessions"] if s["status"] != "ok"))
    again = json.loads(run([args.fsck, "repair", "--home", str(home), "--format", "json"], (0, 1), "second repair").stdout)
    inserted = sum(s.get("inserted", 0) for s in again["sessions"])
    if inserted:
        failures.append(f"a second repair inserted {inserted} more rows")
    print(json.dumps({"version": args.version, "upgrade_to": args.upgrade_to, "statuses": statuses,
                      "repair": {s["session_id"]: s.get("action") for s in json.loads(repair.stdout)["sessions"]}}))
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
