#!/usr/bin/env python3
"""Start-up time of the static binary (make dist) against the toolchain-linked release build and /bin/true.

Each command runs RUNS times, interleaved so that the machine's noise falls on all of them alike; the figure
is the median wall time of one run, and the ratio is to /bin/true measured in the same run.

    python3 Benchmarks/startup.py STATIC_BIN DYNAMIC_BIN [--runs 300]
"""
import argparse
import os
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("static")
    parser.add_argument("dynamic")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    commands = {
        "/bin/true (baseline: a process start)": ["/bin/true"],
        "transcript-fsck --version, static (make dist)": [args.static, "--version"],
        "transcript-fsck --version, linked to the toolchain": [args.dynamic, "--version"],
    }
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - started)
    baseline = statistics.median(times["/bin/true (baseline: a process start)"])
    print(f"{args.runs} runs each, interleaved; {os.cpu_count()} cores.\n")
    print("| command | median ms | time / /bin/true | file size MB |")
    print("|---|---:|---:|---:|")
    for name, command in commands.items():
        median = statistics.median(times[name])
        size = os.path.getsize(command[0]) / 1e6
        print(f"| {name} | {median * 1000:.2f} | {median / baseline:.2f} | {size:.1f} |")


if __name__ == "__main__":
    main()
