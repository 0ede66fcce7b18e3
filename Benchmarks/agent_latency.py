#!/usr/bin/env python3
"""The agent's write latency during a repair, measured with the released agent's own writers.

A store of SESSIONS path-A sessions (MESSAGES each, the newest SURVIVING in SQLite) is repaired while three
SessionDB processes and a gateway running turns (hermes-agent, Tests/Interop/hermes_driver.py) append and time
every SessionDB.append_message. The baseline is the same writers on the same store with no repair, in the same
run; the repair's own cost of making way is its time beside the writers over its time alone.

    python3 Benchmarks/agent_latency.py [--sessions 300] [--messages 1000] [--version 0.13.0] [--journal-mode delete]

--journal-mode delete: the store in journal_mode=DELETE, as the agent leaves it where WAL is refused (NFS, SMB, FUSE,
WSL1): the writers' SQLite refuses the WAL pragma (Benchmarks/refuse_wal), and the agent's own fallback runs. An idle
connection then holds no lock at all; the repair must see the agent by its open files.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))
import interop  # noqa: E402  (start_writers, finish_writers, agent_python)

FSCK = str(ROOT / ".build" / "release" / "transcript-fsck")


def percentiles(latencies):
    latencies = sorted(latencies)
    if not latencies:
        return {"appends": 0}
    pick = lambda p: round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)
    return {"appends": len(latencies), "p50_ms": pick(0.5), "p99_ms": pick(0.99), "max_ms": round(1000 * latencies[-1], 1)}


def within(writers, start, end):
    """The latencies of appends that started between start and end (CLOCK_MONOTONIC, shared by every process)."""
    chosen = []
    for _, out in writers:
        result = json.loads(out.read_text())
        chosen += [latency for at, latency in zip(result["starts"], result["latencies"]) if start <= at <= end]
    return chosen


def repair(home, budget, fsck=FSCK):
    started = time.monotonic()
    result = subprocess.run([fsck, "repair", "--home", str(home), "--no-backup", "--format", "json", "--lock-budget", str(budget)],
                            capture_output=True, text=True)
    ended = time.monotonic()
    if result.returncode not in (0, 1):
        sys.exit(f"repair failed ({result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return started, ended, report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--surviving", type=int, default=4)
    parser.add_argument("--version", default="0.13.0")
    parser.add_argument("--lock-budget", type=int, default=150, help="the repair's --lock-budget, in ms")
    parser.add_argument("--work", default=str(ROOT / ".bench" / "agent"))
    parser.add_argument("--journal-mode", choices=["wal", "delete"], default="wal")
    parser.add_argument("--fsck", default=FSCK, help="the transcript-fsck binary (another build, to compare)")
    args = parser.parse_args()
    if args.journal_mode == "delete":
        os.environ["PYTHONPATH"] = str(ROOT / "Benchmarks" / "refuse_wal")
    python = interop.agent_python(args.version)
    work = Path(args.work)
    pristine = work / "pristine"
    shape = f"{args.version} {args.sessions} {args.messages} {args.surviving}"
    marker = pristine / ".complete"
    if not marker.exists() or marker.read_text() != shape:
        shutil.rmtree(pristine, ignore_errors=True)
        pristine.mkdir(parents=True)
        print(f"generating {pristine} ({shape}) with hermes-agent {args.version}", flush=True)
        subprocess.run([python, str(ROOT / "Tests" / "Interop" / "hermes_driver.py"), "bulk", str(pristine),
                        str(args.sessions), str(args.messages), str(args.surviving)], check=True, stderr=subprocess.DEVNULL)
        marker.write_text(shape)

    def fresh(name):
        home = work / name
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(pristine, home)
        if args.journal_mode == "delete":
            import sqlite3
            db = sqlite3.connect(home / "state.db")
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            db.close()  # a connection left open here would be "the agent" to the repair alone
            if mode != "delete":
                sys.exit(f"{home}: journal_mode stayed {mode}")
        return home

    # The repair alone: nobody else has the database open, so it does not pause.
    alone_start, alone_end, alone = repair(fresh("alone"), args.lock_budget, args.fsck)

    # The agent's writers alone on the damaged store, as long as the repair took: the baseline.
    home = fresh("baseline")
    stop = work / "baseline.stop"
    stop.unlink(missing_ok=True)
    writers = interop.start_writers(python, home, work / "baseline-", seconds=f"until:{stop}")
    idle_start = time.monotonic()
    time.sleep(max(5.0, alone_end - alone_start))
    idle_end = time.monotonic()
    stop.touch()
    baseline = interop.finish_writers(writers, home)
    idle = percentiles(within(writers, idle_start, idle_end))

    # The repair beside the same writers.
    home = fresh("beside")
    stop = work / "beside.stop"
    stop.unlink(missing_ok=True)
    writers = interop.start_writers(python, home, work / "beside-", seconds=f"until:{stop}")
    beside_start, beside_end, beside = repair(home, args.lock_budget, args.fsck)
    time.sleep(0.5)
    stop.touch()
    checked = interop.finish_writers(writers, home)
    during = percentiles(within(writers, beside_start, beside_end))

    inserted = beside["summary"]["inserted_messages"]
    deferred = beside["summary"].get("deferred", 0)
    print()
    print(f"Store: {args.sessions} sessions x {args.messages} messages, newest {args.surviving} in SQLite "
          f"(hermes-agent {args.version}, journal_mode={args.journal_mode}); writers: 3 SessionDB processes and a gateway; "
          f"{os.cpu_count()} cores.")
    print()
    print("| agent's append_message | appends | p50 ms | p99 ms | max ms | p99 / baseline p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| baseline: no repair running | {idle['appends']} | {idle['p50_ms']} | {idle['p99_ms']} | {idle['max_ms']} | 1.00 |")
    print(f"| during transcript-fsck repair | {during['appends']} | {during['p50_ms']} | {during['p99_ms']} | {during['max_ms']} | "
          f"{during['p99_ms'] / idle['p99_ms']:.2f} |")
    print()
    print("| repair | inserted | deferred | wall s | time / alone |")
    print("|---|---:|---:|---:|---:|")
    print(f"| alone (no other connection: no pauses) | {alone['summary']['inserted_messages']} | "
          f"{alone['summary'].get('deferred', 0)} | {alone_end - alone_start:.2f} | 1.00 |")
    print(f"| beside the agent's writers (paced, --lock-budget {args.lock_budget}) | {inserted} | {deferred} | {beside_end - beside_start:.2f} | "
          f"{(beside_end - beside_start) / (alone_end - alone_start):.2f} |")
    print()
    problems = baseline["failures"] + checked["failures"]
    print("agent's rows lost or doubled: " + ("none" if not problems else "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
