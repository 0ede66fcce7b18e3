#!/usr/bin/env python3
"""Issue 17, case 11: the memory a single huge message costs, for scan and repair, against the message's size and
against the agent writing that same message itself (Python's sqlite3, the same schema and full-text triggers), in the
same run. One store per schema generation (fsck-fixtures huge-message: 4 messages, the large one and the one before
it lost from the database).

    python3 Benchmarks/huge_message.py [--megabytes 300] [--schemas early,middle,late] [--fsck BINARY]
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FSCK = str(ROOT / ".build" / "release" / "transcript-fsck")
FIXTURES = str(ROOT / ".build" / "release" / "fsck-fixtures")


def peak(arguments):
    """Exit status, wall seconds and peak RSS (MiB) of one process, from wait4."""
    started = time.monotonic()
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss / 1024


AGENT_WRITE = """
import json, sqlite3, sys
home = sys.argv[1]
line = open(home + "/sessions/huge.jsonl", encoding="utf-8").read().split("\\n")[1]
message = json.loads(line)
del line
connection = sqlite3.connect(home + "/state.db")
connection.execute("INSERT INTO messages (session_id, role, content, tool_call_id, timestamp) VALUES ('huge', 'tool', ?, ?, 1)",
                   (message["content"], message["tool_call_id"]))
connection.commit()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=300)
    parser.add_argument("--schemas", default="early,middle,late")
    parser.add_argument("--fsck", default=FSCK, help="the binary to measure (an older build, to compare)")
    args = parser.parse_args()
    work = ROOT / ".bench" / "huge"
    print(f"One message of {args.megabytes} MiB; peak RSS in MiB and as a multiple of the message; {os.cpu_count()} cores.\n")
    print("| schema | run | exit | wall s | peak RSS MiB | / message | / the agent writing it |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for schema in args.schemas.split(","):
        built = work / f"{schema}-{args.megabytes}"
        if not (built / "state.db").exists():
            shutil.rmtree(built, ignore_errors=True)
            subprocess.run([FIXTURES, "huge-message", str(built), "--megabytes", str(args.megabytes), "--schema", schema],
                           check=True, stdout=subprocess.DEVNULL)
        store = work / "store"
        def fresh():
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(built, store, copy_function=shutil.copy2)
        fresh()
        agent = peak([sys.executable, "-c", AGENT_WRITE, str(store)])
        fresh()
        runs = [("scan", peak([args.fsck, "scan", "--home", str(store), "--quiet"])),
                ("repair", peak([args.fsck, "repair", "--home", str(store), "--no-backup", "--quiet"])),
                ("scan after the repair", peak([args.fsck, "scan", "--home", str(store), "--quiet"])),
                ("the agent writing it", agent)]
        for name, (status, seconds, rss) in runs:
            print(f"| {schema} | {name} | {status} | {seconds:.1f} | {rss:.0f} | {rss / args.megabytes:.2f} | {rss / agent[2]:.2f} |")
    shutil.rmtree(work / "store", ignore_errors=True)


if __name__ == "__main__":
    main()
