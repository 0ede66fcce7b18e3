#!/usr/bin/env python3
"""Homes made by the real codex binary, each with one damage of damage.py's table and nothing after it: what a
reader of the stores (transcript-fsck's CodexReadingTests) must judge. damage.py goes on to ask codex what it
shows; this stops at the damage, so codex repairs nothing before the reader looks.

Usage: damaged_homes.py CODEX_BIN OUT_DIR [--only baseline,a,...]
Makes OUT_DIR/base (make_threads.py: threads one, two (2 turns), archived) and, for b and b3, OUT_DIR/donor (one
more home by the same binary, whose thread "one" is the rollout restored from elsewhere). Then, for each
experiment, a copy of base at OUT_DIR/<exp>/home with its rows' rollout_path moved to the copy: the rows are the
one place a home keeps its own path, so the copy is the home codex would have made there (only the threads' cwd
still names base's work directory), about ten times faster than making each home anew. Then the damage, with
damage.py's own functions:
  baseline  none
  a         thread one's threads row deleted
  b         donor's thread one copied into sessions/YYYY/MM/DD/ (restored from elsewhere: no row, no projection)
  b3        b, plus a projection-state row for it at cursor (0, 0)
  c         thread two's last turn's projection rows deleted, cursor set back to the end of turn 1
  c2        c, then a third turn on two by `codex exec resume` (codex's writer catches the projection up)
  c3        only two's cursor set back to the end of turn 1 (its rows kept); no codex run after it
  d         thread one's rollout deleted, its row kept
  e         thread one's rollout moved into archived_sessions/ by hand
  f         state_5.sqlite deleted (with -wal, -shm)
  f2        state_5.sqlite and thread_history_1.sqlite deleted
  f3        f2, then a third turn on two by `codex exec resume`
  g         the home moved: copied to a new path, the old one deleted (rows keep the old absolute paths)
A damage a version's home cannot have (no thread_history_1.sqlite on 0.133.0: b3, c, c2, c3, f2, f3) is listed with
"notApplicable" and not made.
Prints, and writes to OUT_DIR/homes.json:
  {"version", "experiments": {EXP: {"home", "threads": {name: id}, "damage": {...}} or {"notApplicable": why}}}
"""
import argparse, json, os, shutil, sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import isolate_network  # noqa: E402
import damage  # noqa: E402
import make_threads  # noqa: E402

EXPERIMENTS = ["baseline", "a", "b", "b3", "c", "c2", "c3", "d", "e", "f", "f2", "f3", "g"]
NEEDS_HISTORY = {"b3", "c", "c2", "c3", "f2", "f3"}


def copy_home(base, out):
    """base's home and work directory under out, the rows' rollout_path pointing into the copy."""
    home = os.path.join(out, "made", "home")
    shutil.copytree(base["home"], home, symlinks=True)
    state = os.path.join(home, "state_5.sqlite")
    with damage.db(state) as con:
        old = base["home"].rstrip("/") + "/"
        con.execute("UPDATE threads SET rollout_path = ? || substr(rollout_path, ?) WHERE substr(rollout_path, 1, ?) = ?",
                    (home + "/", len(old) + 1, len(old), old))
    con.close()
    return dict(base, home=home)


def make_one(codex_bin, out_root, name, base, donor):
    out = os.path.join(out_root, name)
    if name in NEEDS_HISTORY and not os.path.exists(os.path.join(base["home"], "thread_history_1.sqlite")):
        return {"notApplicable": "no thread_history_1.sqlite in this version's home"}
    os.makedirs(out)
    manifest = copy_home(base, out)
    threads = {t["name"]: t["id"] for t in manifest["threads"]}
    home = manifest["home"]
    if name in ("b", "b3"):
        src = damage.rollout_of(donor["home"], damage.by_name(donor, "one")["id"])
        dst = os.path.join(home, os.path.relpath(src, donor["home"]))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        threads["restored"] = damage.by_name(donor, "one")["id"]
        done = {"restoredThread": threads["restored"], "copiedTo": os.path.relpath(dst, home)}
        if name == "b3":
            with damage.db(os.path.join(home, "thread_history_1.sqlite")) as con:
                con.execute("INSERT INTO thread_history_projection_state (thread_id, next_rollout_byte_offset, "
                            "next_rollout_ordinal) VALUES (?, 0, 0)", (threads["restored"],))
            con.close()
            done["projectionStateInserted"] = [0, 0]
    elif name == "baseline":
        done = {}
    else:
        fn = {"a": damage.damage_a, "c": damage.damage_c, "c2": damage.damage_c, "c3": damage.damage_c3,
              "d": damage.damage_d, "e": damage.damage_e, "f": damage.damage_f, "f2": damage.damage_f2,
              "f3": damage.damage_f2, "g": damage.damage_g}[name]
        done = fn(home, manifest, out)
        home = done.get("newHome", home)
    if name in ("c2", "f3"):
        done.update(damage.resume_two(codex_bin, home, manifest, out))
    return {"home": home, "threads": threads, "damage": done}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("codex_bin")
    parser.add_argument("out_dir")
    parser.add_argument("--only", default=",".join(EXPERIMENTS), help="experiments, comma-separated")
    args = parser.parse_args()
    isolate_network()
    codex_bin, out_root, only = args.codex_bin, os.path.abspath(args.out_dir), args.only.split(",")
    os.makedirs(out_root, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:
        base_job = pool.submit(make_threads.make, codex_bin, os.path.join(out_root, "base"))
        donor_job = (pool.submit(make_threads.make, codex_bin, os.path.join(out_root, "donor"), archive=False)
                     if {"b", "b3"} & set(only) else None)
        base, donor = base_job.result(), donor_job.result() if donor_job else None
    with ThreadPoolExecutor(4) as pool:
        jobs = {name: pool.submit(make_one, codex_bin, out_root, name, base, donor) for name in only}
        experiments = {name: job.result() for name, job in jobs.items()}
    result = {"version": base["version"], "experiments": experiments}
    with open(os.path.join(out_root, "homes.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
