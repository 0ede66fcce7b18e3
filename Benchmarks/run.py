#!/usr/bin/env python3
"""make bench: times transcript-fsck against the floor and the alternatives, on the same files, in one run.

Every figure is printed as a ratio to `transcript-fsck scan --jobs 1` measured in the same run, so
that the table means the same on a noisy or a different machine."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import physical_floor  # this folder
import repair_pairs  # this folder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, ".build", "release")


def run(command, expect=(0, 1)):
    """Runs a command; returns (seconds, peak RSS in bytes of that process, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output, error = process.communicate()
    seconds = time.perf_counter() - started
    # communicate() reaped the child; its rusage is folded into RUSAGE_CHILDREN, so run each command in a
    # wrapper process that reports its own child's peak instead.
    if process.returncode not in expect:
        sys.exit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{error}")
    return seconds, output


def measured(command, runs, expect=(0, 1)):
    """Median wall time over `runs`, and the peak RSS of one more run, measured with wait4."""
    times = [run(command, expect)[0] for _ in range(runs)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return statistics.median(times), usage.ru_maxrss * 1024


def build_store(kind, home, arguments):
    marker = os.path.join(home, ".complete")
    if os.path.exists(marker) and open(marker).read() == " ".join(arguments):
        return
    print(f"generating {home} ({' '.join(arguments)})", flush=True)
    subprocess.run([os.path.join(RELEASE, "fsck-fixtures"), kind, home] + arguments, check=True, stdout=subprocess.DEVNULL)
    open(marker, "w").write(" ".join(arguments))


def fsck_scan(home, jobs, runs):
    command = [os.path.join(RELEASE, "transcript-fsck"), "scan", "--home", home, "--jobs", str(jobs), "--format", "json"]
    seconds, rss = measured(command, runs)
    document = json.loads(run(command)[1])
    return seconds, rss, document["scan"]["transcript_bytes"], document["scan"]["peak_rss_bytes"]


def duckdb_available():
    probe = subprocess.run([sys.executable, "-c", "import duckdb"], capture_output=True)
    if probe.returncode == 0:
        return True
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb"], capture_output=True)
    return install.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=1_000, help="uncompressed transcript text at the base scale")
    parser.add_argument("--big-megabytes", type=int, default=2_048, help="size of the single large transcript")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(ROOT, ".bench"))
    arguments = parser.parse_args()

    base = os.path.join(arguments.work, "base")
    double = os.path.join(arguments.work, "double")
    big = os.path.join(arguments.work, "big")
    # Interleaved: sessions' rows mixed in row id order, as a real agent serving many chats writes them.
    scale = ["--sessions", str(arguments.sessions), "--megabytes", str(arguments.megabytes), "--seed", str(arguments.seed),
             "--interleaved"]
    build_store("bench-store", base, scale)
    build_store("bench-store", double, ["--sessions", str(2 * arguments.sessions), "--megabytes", str(2 * arguments.megabytes),
                                        "--seed", str(arguments.seed)])
    build_store("big-transcript", big, ["--megabytes", str(arguments.big_megabytes)])

    runs = arguments.runs
    rows = []
    one, one_rss, text_bytes, one_hwm = fsck_scan(base, 1, runs)
    megabytes = text_bytes / 1e6
    floor = physical_floor.measure(base, max(runs, 5))

    def add(name, seconds, rss, note=""):
        rows.append((name, seconds, megabytes / seconds if seconds else 0, rss, seconds / one, note))

    add("transcript-fsck scan --jobs 1", one, one_hwm, "peak RSS from VmHWM")
    two, _, _, two_hwm = fsck_scan(base, 2, runs)
    add("transcript-fsck scan --jobs 2", two, two_hwm, f"speed-up over --jobs 1: {one / two:.2f}x")

    add("physical floor: inflate + newline count, and sqlite3 reading the compared columns", floor["floor_seconds"], 0,
        f"inflate {floor['inflate_seconds']:.2f} s + database {floor['database_seconds']:.2f} s (Benchmarks/physical_floor.py)")
    sessions = os.path.join(base, "sessions")
    pipeline = ["bash", "-c", f"find {sessions} -name '*.jsonl.gz' -print0 | xargs -0 zcat | wc -l >/dev/null; "
                           f"find {sessions} -name '*.jsonl' -print0 | xargs -0 cat | wc -l >/dev/null"]
    seconds, rss = measured(pipeline, runs, expect=(0,))
    add("zcat | wc -l, cat | wc -l", seconds, rss, "two processes in a pipe, no database")

    seconds, rss = measured([sys.executable, os.path.join(ROOT, "Benchmarks", "reference_scan.py"), base], 1)
    add("Python json.loads + sqlite3", seconds, rss, "Benchmarks/reference_scan.py")

    if duckdb_available():
        seconds, rss = measured([sys.executable, os.path.join(ROOT, "Benchmarks", "duckdb_scan.py"), base], runs)
        add("DuckDB read_json + sqlite3", seconds, rss, "Benchmarks/duckdb_scan.py, its default threads")
    else:
        rows.append(("DuckDB", 0, 0, 0, 0, "did not install from PyPI"))

    doubled, _, _, _ = fsck_scan(double, 1, runs)
    rows.append(("transcript-fsck scan --jobs 1, store x2", doubled, 2 * megabytes / doubled, 0, doubled / one,
                 f"time x{doubled / one:.2f} for twice the store"))
    big_seconds, _, big_bytes, big_hwm = fsck_scan(big, 1, 1)
    rows.append((f"transcript-fsck scan, one {big_bytes >> 20} MiB transcript", big_seconds, big_bytes / 1e6 / big_seconds,
                 big_hwm, 0, "peak RSS from VmHWM"))

    # Repair: the write phase against executemany of the same rows, in alternating pairs on fresh copies
    # (Benchmarks/repair_pairs.py); and, once, executemany with the FTS triggers dropped, for what indexing costs.
    pairs = repair_pairs.measure(base, os.path.join(arguments.work, "pair-copy"), max(runs, 7))
    plain_copy = os.path.join(arguments.work, "insert-no-fts")
    shutil.rmtree(plain_copy, ignore_errors=True)
    shutil.copytree(base, plain_copy)
    plain = json.loads(run([sys.executable, os.path.join(ROOT, "Benchmarks", "python_insert.py"), plain_copy,
                            "--drop-fts-triggers"], expect=(0,))[1])
    shutil.rmtree(plain_copy)

    print()
    print(f"Store: {arguments.sessions} sessions, {megabytes:.0f} MB of transcript text (seed {arguments.seed}); "
          f"{os.cpu_count()} cores; median of {runs} runs.")
    print()
    print("| tool | wall s | MB/s | peak RSS MB | time / fsck --jobs 1 | note |")
    print("|---|---:|---:|---:|---:|---|")
    for name, seconds, rate, rss, ratio, note in rows:
        print(f"| {name} | {seconds:.2f} | {rate:.0f} | {rss / 1e6:.0f} | {ratio:.2f} | {note} |")
    print()
    print(f"Against the physical floor ({floor['floor_seconds']:.3f} s: inflate {floor['inflate_seconds']:.3f} s in "
          f"Benchmarks/physical_floor.py, database {floor['database_seconds']:.3f} s: {floor['database_command']}):")
    command = f"{os.path.join(RELEASE, 'transcript-fsck')} scan --home {base} --format json"
    print(f"  {command} --jobs 1: {one / floor['floor_seconds']:.2f}x the floor (goal: at most 1.5x)")
    print(f"  {command} --jobs 2: {two / floor['floor_seconds']:.2f}x the one-core floor (goal: at most 1.0x)")
    print()
    write, bare, inserted = statistics.median(pairs["repair"]), statistics.median(pairs["insert"]), pairs["rows"]
    print(f"Repair against executemany, {len(pairs['repair'])} alternating pairs on fresh copies (medians):")
    print()
    print("| repair | rows | write s | rows/s | ratio |")
    print("|---|---:|---:|---:|---:|")
    print(f"| transcript-fsck repair (one transaction per session, FTS triggers) | {inserted} | {write:.2f} | "
          f"{inserted / write:.0f} | 1.00 |")
    print(f"| Python executemany, one transaction, FTS triggers | {inserted} | {bare:.2f} | "
          f"{inserted / bare:.0f} | {bare / write:.2f} |")
    print(f"| Python executemany, one transaction, FTS triggers dropped (one run) | {plain['rows']} | {plain['seconds']:.2f} | "
          f"{plain['rows'] / plain['seconds']:.0f} | {plain['seconds'] / write:.2f} |")
    print()
    print(f"  {os.path.join(RELEASE, 'transcript-fsck')} repair --home COPY --no-backup: write "
          f"{pairs['pair_median']:.2f}x executemany, median of the pair ratios (ratio of medians {pairs['medians']:.2f}x, "
          f"of minimums {pairs['minimums']:.2f}x; goal: at most 1.2x)")


if __name__ == "__main__":
    main()
