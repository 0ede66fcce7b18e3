#!/usr/bin/env python3
"""Issue 22: a host's fleet audit, 1,000 agent homes of 10 sessions each, scanned in one run (--homes-from) against
1,000 separate runs of the same binary from a shell loop (what a fleet script did before), in the same run, with the
peak memory of each.

    python3 Benchmarks/many_homes.py [--homes 1000] [--sessions 10] [--runs 3]
"""
import argparse
import json
import shutil
import statistics
import subprocess

from huge_message import FIXTURES, FSCK, ROOT, peak  # this folder: one wait4 measure


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = ROOT / ".bench" / f"homes-{args.homes}-{args.sessions}"
    listing = work / "homes.txt"
    if not listing.exists():
        shutil.rmtree(work, ignore_errors=True)
        model = work / "model"
        subprocess.run([FIXTURES, "bench-store", str(model), "--sessions", str(args.sessions), "--megabytes", "1"],
                       check=True, stdout=subprocess.DEVNULL)
        homes = [work / f"home-{number:05}" for number in range(args.homes)]
        for home in homes:
            shutil.copytree(model, home)
        listing.write_text("".join(f"{home}\n" for home in homes))
    homes = listing.read_text().split()

    one = [FSCK, "scan", "--homes-from", str(listing), "--quiet", "--format", "json"]
    report = json.loads(subprocess.run(one + ["--jobs", "1"], capture_output=True, text=True).stdout)
    assert report["summary"]["stores"] == len(homes) and report["summary"]["stores_failed"] == 0, report["summary"]
    # The fleet script a host ran before: one process a home, each exit status looked at.
    loop = ["sh", "-c", 'for home in $(cat "$1"); do "$2" scan --home "$home" --jobs 1 --quiet --format json >/dev/null '
            '|| [ $? -eq 1 ] || exit 2; done', "sh", str(listing), FSCK]

    figures = {"separate": [], "one_jobs1": [], "one_jobs2": []}
    memory = {}
    for _ in range(args.runs):
        for name, command in (("separate", loop), ("one_jobs1", one + ["--jobs", "1"]), ("one_jobs2", one + ["--jobs", "2"])):
            status, seconds, rss = peak(command)
            assert status in (0, 1), f"{name} exited {status}"
            figures[name].append(seconds)
            memory[name] = rss
    single_home = peak([FSCK, "scan", "--home", homes[0], "--jobs", "1", "--quiet", "--format", "json"])[2]
    base = statistics.median(figures["separate"])
    print(f"{len(homes)} homes of {args.sessions} sessions ({report['summary']['sessions']} sessions), median of {args.runs}:")
    print(f"  {f'{len(homes):,} separate runs (shell loop, --jobs 1 each)':<52} {base:7.2f} s  1.00x   peak {single_home:6.1f} MiB a run")
    for name, label in (("one_jobs1", "one run, --homes-from, --jobs 1"), ("one_jobs2", "one run, --homes-from, --jobs 2")):
        seconds = statistics.median(figures[name])
        print(f"  {label:<52} {seconds:7.2f} s  {seconds / base:.2f}x   peak {memory[name]:6.1f} MiB "
              f"({memory[name] / single_home:.1f}x one home's run)")
    print(f"  commands: {' '.join(one)} --jobs N;  {' '.join(loop[:3])} ...")


if __name__ == "__main__":
    main()
