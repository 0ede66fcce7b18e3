#!/usr/bin/env python3
"""Alternating pairs of the repair's write phase and a bare executemany of the same rows, each on a fresh copy of
the benchmark store after a sync, so that one noisy run does not decide the ratio.

    python3 Benchmarks/repair_pairs.py [ROUNDS]   (after make bench has built .bench/base)"""
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, ".bench", "base")
COPY = os.path.join(ROOT, ".bench", "pair-copy")
FSCK = os.path.join(ROOT, ".build", "release", "transcript-fsck")


def fresh_copy():
    shutil.rmtree(COPY, ignore_errors=True)
    shutil.copytree(BASE, COPY)
    subprocess.run(["sync"], check=True)


def main(rounds):
    repair, insert = [], []
    for _ in range(rounds):
        fresh_copy()
        report = json.loads(subprocess.run([FSCK, "repair", "--home", COPY, "--no-backup", "--format", "json"],
                                           capture_output=True, text=True).stdout)
        repair.append(report["timings"]["write_seconds"])
        fresh_copy()
        bare = json.loads(subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "python_insert.py"), COPY],
                                         capture_output=True, text=True, check=True).stdout)
        insert.append(bare["seconds"])
        print(f"repair {repair[-1]:.2f} s, executemany {insert[-1]:.2f} s: {repair[-1] / insert[-1]:.2f}x", flush=True)
    shutil.rmtree(COPY, ignore_errors=True)
    print(f"medians {statistics.median(repair) / statistics.median(insert):.2f}x, "
          f"minimums {min(repair) / min(insert):.2f}x, pair median "
          f"{statistics.median(r / i for r, i in zip(repair, insert)):.2f}x over {rounds} pairs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
