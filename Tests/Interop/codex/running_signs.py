#!/usr/bin/env python3
"""What shows, in and around a CODEX_HOME, that codex is running: files present, files each codex process
holds open, and the kernel's locks (/proc/locks) on files under the home, by name. Three moments:
  1. `codex app-server` started and idle after thread/list (useStateDbOnly true), then after a scan + read
  2. `codex exec resume` mid-turn (the mock model holds its answer for a few seconds)
  3. after every codex process has ended
Usage: running_signs.py CODEX_BIN OUT_DIR   (makes OUT_DIR with make_threads.py first)
Prints JSON. Only reads the home; the turn it runs appends to one thread like any resume.
"""
import json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import MockModel, isolate_network  # noqa: E402
from app_server import AppServer, quiet_args  # noqa: E402
import make_threads  # noqa: E402


def inode_map(home):
    m = {}
    for root, dirs, names in os.walk(home):
        dirs[:] = [d for d in dirs if d != "skills"]
        for n in names + dirs:
            p = os.path.join(root, n)
            try:
                st = os.stat(p)
            except FileNotFoundError:
                continue
            m[st.st_ino] = os.path.relpath(p, home)
    return m


def home_locks(home):
    inodes = inode_map(home)
    out = []
    with open("/proc/locks") as f:
        for line in f:
            parts = line.split()
            # "1: FLOCK  ADVISORY  WRITE 17297 fe:00:16239243 0 EOF"  (a "->" marks a waiter)
            if "->" in parts:
                parts.remove("->")
            kind, mode, pid, dev_ino, start, end = parts[1], parts[3], parts[4], parts[5], parts[6], parts[7]
            ino = int(dev_ino.split(":")[-1])
            if ino in inodes:
                out.append({"file": inodes[ino], "kind": kind, "mode": mode, "pid": int(pid),
                            "range": f"{start}-{end}"})
    return sorted(out, key=lambda x: (x["file"], x["kind"], x["range"]))


def open_files(home, pids):
    out = {}
    for pid in pids:
        try:
            names = os.listdir(f"/proc/{pid}/fd")
        except FileNotFoundError:
            continue
        held = set()
        for fd in names:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith(home):
                held.add(os.path.relpath(target, home))
            elif target.startswith("socket:"):
                held.add("socket")
        out[str(pid)] = sorted(held)
    return out


def listing(home):
    out = []
    for root, dirs, names in os.walk(home):
        dirs[:] = sorted(d for d in dirs if d not in ("skills", "shell_snapshots"))
        for n in sorted(names):
            p = os.path.join(root, n)
            try:
                out.append(f"{os.path.relpath(p, home)} {os.path.getsize(p)}")
            except FileNotFoundError:
                pass
    return [x for x in out if not x.startswith(("sessions/", "archived_sessions/"))]


def descendants(pid):
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    out = []
    for k in kids:
        out += [int(k)] + descendants(int(k))
    return out


def snapshot(home, pids):
    return {"files": listing(home), "openFiles": open_files(home, pids), "locks": home_locks(home)}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    isolate_network()
    codex_bin, out = sys.argv[1], sys.argv[2]
    manifest = make_threads.make(codex_bin, out, archive=False)
    home, work = manifest["home"], manifest["work"]
    report = {"version": manifest["version"], "before": snapshot(home, [])}
    with AppServer(codex_bin, home, extra_args=quiet_args()) as s:
        s.list_threads(True)
        time.sleep(1)
        report["appServerIdle"] = snapshot(home, [s.proc.pid] + descendants(s.proc.pid))
        threads = s.list_threads(False)
        tid = threads[0]["id"]
        s.call("thread/read", {"threadId": tid, "includeTurns": True})
        report["appServerAfterScanAndRead"] = snapshot(home, [s.proc.pid] + descendants(s.proc.pid))
    time.sleep(0.5)
    report["afterAppServer"] = snapshot(home, [])
    with MockModel(os.path.join(out, "running-signs-mock.jsonl"), delay=6) as m:
        p = subprocess.Popen([codex_bin, "exec", *m.codex_args(), "--skip-git-repo-check", "-C", work, "--json",
                              "resume", tid, "a slow turn"], env=make_threads.codex_env(home),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        time.sleep(4)
        report["execMidTurn"] = snapshot(home, [p.pid] + descendants(p.pid))
        report["execMidTurn"]["pids"] = [p.pid] + descendants(p.pid)
        p.communicate(timeout=120)
        report["execRc"] = p.returncode
    time.sleep(0.5)
    report["afterExec"] = snapshot(home, [])
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
