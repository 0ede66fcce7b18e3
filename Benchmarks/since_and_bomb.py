#!/usr/bin/env python3
"""Issue 10, item 17: an unchanged `scan --since` against a full scan of the same store, in the same run, and the
peak memory of a 1 GiB gzip bomb against a full scan of the demo store.

    python3 Benchmarks/since_and_bomb.py [--sessions 50000] [--megabytes 100] [--runs 3]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FSCK = str(ROOT / ".build" / "release" / "transcript-fsck")
BINARY = [FSCK]  # the one measured: --fsck names another
FIXTURES = str(ROOT / ".build" / "release" / "fsck-fixtures")


def timed(arguments):
    """Wall seconds and peak RSS (MB) of one run, from wait4."""
    started = time.monotonic()
    process = subprocess.Popen([BINARY[0]] + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.monotonic() - started, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50000)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fsck", default=FSCK, help="the binary to measure (an older build, to compare)")
    args = parser.parse_args()
    BINARY[0] = args.fsck
    work = ROOT / ".bench" / "since"
    store = work / f"store-{args.sessions}-{args.megabytes}"
    if not (store / "state.db").exists():
        shutil.rmtree(work, ignore_errors=True)
        store.parent.mkdir(parents=True)
        subprocess.run([FIXTURES, "bench-store", str(store), "--sessions", str(args.sessions), "--megabytes", str(args.megabytes)],
                       check=True, stdout=subprocess.DEVNULL)
    state = work / "since.state"
    state.unlink(missing_ok=True)
    timed(["scan", "--home", str(store), "--quiet", "--since", str(state)])  # writes the state
    full, since = [], []
    for _ in range(args.runs):
        full.append(timed(["scan", "--home", str(store), "--quiet"]))
        since.append(timed(["scan", "--home", str(store), "--quiet", "--since", str(state)]))
    median = lambda runs, index: statistics.median(run[index] for run in runs)
    print(f"{args.sessions} sessions, {args.megabytes} MB of transcripts; median of {args.runs} interleaved runs; {os.cpu_count()} cores.\n")
    print("| run | wall s | peak RSS MB | time / full scan | memory / full scan |")
    print("|---|---:|---:|---:|---:|")
    print(f"| full scan | {median(full, 0):.2f} | {median(full, 1):.0f} | 1.00 | 1.00 |")
    print(f"| `--since`, nothing changed | {median(since, 0):.2f} | {median(since, 1):.0f} | "
          f"{median(since, 0) / median(full, 0):.2f} | {median(since, 1) / median(full, 1):.2f} |")

    bomb = work / "bomb"
    if not (bomb / "sessions" / "bomb.jsonl.gz").exists():
        (bomb / "sessions").mkdir(parents=True, exist_ok=True)
        subprocess.run([FIXTURES, "demo", str(work / "demo")], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(work / "demo" / "state.db", bomb / "state.db")
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        with open(bomb / "sessions" / "bomb.jsonl.gz", "wb") as out:
            out.write(compressor.compress(b'{"role": "user", "content": "'))
            for _ in range(1024):
                out.write(compressor.compress(b"a" * (1 << 20)))
            out.write(compressor.compress(b'"}\n') + compressor.flush())
    demo_rss = statistics.median(timed(["scan", "--home", str(work / "demo"), "--jobs", "1"])[1] for _ in range(args.runs))
    bomb_rss = statistics.median(timed(["scan", "--home", str(bomb), "--jobs", "1"])[1] for _ in range(args.runs))
    print(f"\n| run | peak RSS MB | memory / demo scan |\n|---|---:|---:|")
    print(f"| scan of the demo store | {demo_rss:.0f} | 1.00 |")
    print(f"| scan of a 1 GiB gzip bomb (1 MB on disk, one line) | {bomb_rss:.0f} | {bomb_rss / demo_rss:.2f} |")


if __name__ == "__main__":
    main()
