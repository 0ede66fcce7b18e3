#!/usr/bin/env python3
"""Two builds of transcript-fsck on one store, in alternating pairs, so that a refactor is shown to cost nothing:
the machine's noise moves both halves of a pair alike, and the median of the pair ratios is the figure to read.

    python3 Benchmarks/binary_pairs.py OLD_BINARY NEW_BINARY HOME [ROUNDS] [JOBS]"""
import statistics
import subprocess
import sys
import time


def scan_seconds(binary, home, jobs):
    started = time.perf_counter()
    subprocess.run([binary, "scan", "--home", home, "--jobs", str(jobs), "--format", "json"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    old, new, home = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    scan_seconds(old, home, jobs), scan_seconds(new, home, jobs)  # the page cache warm for both
    pairs = [(scan_seconds(old, home, jobs), scan_seconds(new, home, jobs)) for _ in range(rounds)]
    ratios = [after / before for before, after in pairs]
    print(f"scan --jobs {jobs}, {rounds} pairs: old median {statistics.median(p[0] for p in pairs):.3f} s, "
          f"new median {statistics.median(p[1] for p in pairs):.3f} s; new/old median of pair ratios "
          f"{statistics.median(ratios):.3f}x (from {min(ratios):.3f}x to {max(ratios):.3f}x)")


if __name__ == "__main__":
    main()
