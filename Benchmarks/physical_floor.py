#!/usr/bin/env python3
"""The physical floor of a scan of HOME: what no audit can skip, measured in the same run as the audit it bounds.

    python3 Benchmarks/physical_floor.py HOME [--runs 5]

Two parts, each the median of --runs, printed as JSON (seconds):
- inflate: every transcript under HOME/sessions read and, when gzip, inflated by zlib (CRC checked), and its newlines
  counted; in this process, timed around the work (zlib and bytes.count run in C: no interpreter start-up, no pipe);
- database: `sqlite3` reading every compared column of every row (session_id, role, content, tool_call_id, tool_name,
  tool_calls) in table order, its output thrown away.
"""
import argparse
import json
import os
import statistics
import subprocess
import time
import zlib

COLUMNS = "session_id, role, content, tool_call_id, tool_name, tool_calls"


def inflate(sessions):
    started = time.perf_counter()
    lines = 0
    for directory, _, names in os.walk(sessions):
        for name in names:
            if not (name.endswith(".jsonl") or name.endswith(".jsonl.gz")):
                continue
            with open(os.path.join(directory, name), "rb") as file:
                data = file.read()
            if name.endswith(".gz"):
                data = zlib.decompressobj(31).decompress(data)
            lines += data.count(b"\n")
    return time.perf_counter() - started, lines


def database_command(home):
    return ["sqlite3", "-readonly", os.path.join(home, "state.db"), f"SELECT {COLUMNS} FROM messages"]


def database(home):
    started = time.perf_counter()
    subprocess.run(database_command(home), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(home, runs):
    inflated = statistics.median(inflate(os.path.join(home, "sessions"))[0] for _ in range(runs))
    read = statistics.median(database(home) for _ in range(runs))
    return {"inflate_seconds": inflated, "database_seconds": read, "floor_seconds": inflated + read,
            "database_command": " ".join(database_command(home))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.home, arguments.runs)))
