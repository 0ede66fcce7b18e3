#!/usr/bin/env python3
"""Alternating pairs of the repair's write phase and a bare executemany of the same rows, each on a fresh copy of
the benchmark store after a sync, so that one noisy run does not decide the ratio: on this VM executemany alone
ranges 2x from run to run, while the two halves of one pair see the same disk.

    python3 Benchmarks/repair_pairs.py [ROUNDS]   (after make bench has built .bench/base)"""
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FSCK = os.path.join(ROOT, ".build", "release", "transcript-fsck")


def fresh_copy(base, copy):
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    subprocess.run(["sync"], check=True)


def measure(base, copy, rounds):
    """Returns the write seconds of each pair's repair and executemany, the rows inserted, and the three ratios."""
    repair, insert, rows = [], [], 0
    for _ in range(rounds):
        fresh_copy(base, copy)
        report = json.loads(subprocess.run([FSCK, "repair", "--home", copy, "--no-backup", "--format", "json"],
                                           capture_output=True, text=True).stdout)
        repair.append(report["timings"]["write_seconds"])
        rows = report["summary"]["inserted_messages"]
        fresh_copy(base, copy)
        bare = json.loads(subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "python_insert.py"), copy],
                                         capture_output=True, text=True, check=True).stdout)
        insert.append(bare["seconds"])
        print(f"repair {repair[-1]:.2f} s, executemany {insert[-1]:.2f} s: {repair[-1] / insert[-1]:.2f}x",
              file=sys.stderr, flush=True)
    shutil.rmtree(copy, ignore_errors=True)
    return {"repair": repair, "insert": insert, "rows": rows,
            "pair_median": statistics.median(r / i for r, i in zip(repair, insert)),
            "medians": statistics.median(repair) / statistics.median(insert),
            "minimums": min(repair) / min(insert)}


def main(rounds):
    result = measure(os.path.join(ROOT, ".bench", "base"), os.path.join(ROOT, ".bench", "pair-copy"), rounds)
    print(f"medians {result['medians']:.2f}x, minimums {result['minimums']:.2f}x, pair median "
          f"{result['pair_median']:.2f}x over {rounds} pairs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
