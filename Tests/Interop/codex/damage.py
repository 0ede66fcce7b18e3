#!/usr/bin/env python3
"""The Codex damage experiments of issue 21, each on a fresh CODEX_HOME, judged only through codex's own views.

Usage: damage.py CODEX_BIN OUT_DIR [--only baseline,a,b,c,d,e,f,g] [--json]
For each experiment: make a home with make_threads.py (threads "one", "two" (2 turns), "archived"), damage
it with codex not running, then look, in this order:
  doctor1   `codex doctor --json` (its state.* checks), before any app-server start
  start1    `codex app-server`: thread/list useStateDbOnly=true; thread/read of each made thread; the list
            again; thread/list useStateDbOnly=false (the scan); useStateDbOnly=true again;
            thread/read (includeTurns false and true) and thread/turns/list for every thread id known
  db1       what the databases hold after start1 (describe_home.py)
  start2    a second app-server start: thread/list useStateDbOnly=true, reads again: what start1 repaired
  doctor2   doctor again
Experiments:
  baseline  no damage
  a         DELETE one threads row (thread "one")
  b         copy a rollout from another home (made by the same binary) into sessions/YYYY/MM/DD/ ("restored")
  b2        b, then `codex migrate-rollouts --json` and `--apply --json` (where the CLI has it) before looking
  b3        b, plus a thread_history_projection_state row (cursor 0, 0) for the restored thread: does a
            reader project a paginated thread from a cursor at the start?
  c         paginated thread "two": delete its last turn's thread_turns/thread_items rows and set
            thread_history_projection_state back to the end of turn 1 (n/a where there is no thread_history_1.sqlite)
  d         delete thread "one"'s rollout file; its row stays (stale row)
  e         move thread "one"'s rollout into archived_sessions/ by hand (row still says not archived, old path)
  f         delete state_5.sqlite (and its -wal/-shm); rollouts and thread_history_1.sqlite stay
  c2        c, then a new turn on thread "two" (`codex exec resume`) before looking: does the writer catch up?
  c3        only the cursor set back to the end of turn 1 (turn 2's rows kept), then a new turn on "two"
  f2        delete state_5.sqlite and thread_history_1.sqlite (each with its -wal/-shm)
  f3        f2, then a new turn on thread "two": does the writer project the whole rollout?
  g         the home moved: copy it to a new path and delete the old one (rows keep the old absolute paths)
Writes OUT_DIR/<exp>/observations.json and prints a summary per experiment (JSON with --json, else text).
"""
import contextlib, json, os, shutil, sqlite3, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import isolate_network  # noqa: E402
from app_server import AppServer, quiet_args  # noqa: E402
import describe_home  # noqa: E402
import make_threads  # noqa: E402

EXPERIMENTS = ["baseline", "a", "b", "b2", "b3", "c", "c2", "c3", "d", "e", "f", "f2", "f3", "g"]


# ---------- damage ----------

@contextlib.contextmanager
def db(path):
    """`with db(path) as con:` commits at the end and closes. sqlite3's own `with con:` only commits, and the
    connection then stays open until the cyclic garbage collector frees it: in a long-lived process (codex_interop.py)
    that is a process holding the database open when transcript-fsck repair looks, which it refuses (exit 2)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA busy_timeout = 5000")
        with con:
            yield con
    finally:
        con.close()


def by_name(manifest, name):
    return next(t for t in manifest["threads"] if t["name"] == name)


def rollout_of(home, tid):
    for sub in ("sessions", "archived_sessions"):
        for root, _, names in os.walk(os.path.join(home, sub)):
            for n in names:
                if tid in n:
                    return os.path.join(root, n)
    return None


def damage_a(home, manifest, out):
    tid = by_name(manifest, "one")["id"]
    with db(os.path.join(home, "state_5.sqlite")) as con:
        n = con.execute("DELETE FROM threads WHERE id = ?", (tid,)).rowcount
    return {"deletedRowFor": tid, "rowsDeleted": n}


def damage_b(home, manifest, out, codex_bin):
    donor = make_threads.make(codex_bin, os.path.join(out, "donor"), archive=False)
    src = rollout_of(donor["home"], by_name(donor, "one")["id"])
    rel = os.path.relpath(src, donor["home"])
    dst = os.path.join(home, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy2(src, dst)
    return {"restoredThread": by_name(donor, "one")["id"], "copiedTo": rel}


NO_HISTORY = {"notApplicable": "no thread_history_1.sqlite in this version's home (no paginated threads)"}


def projected_turns(home, manifest):
    """Thread "two"'s history database, id and projected turns (turn_id, rollout_ordinal, end ordinal, end offset);
    None when this version keeps no history database."""
    hist = os.path.join(home, "thread_history_1.sqlite")
    if not os.path.exists(hist):
        return None
    tid = by_name(manifest, "two")["id"]
    with db(hist) as con:
        turns = con.execute("SELECT turn_id, rollout_ordinal, rollout_end_ordinal, rollout_end_byte_offset "
                            "FROM thread_turns WHERE thread_id = ? ORDER BY rollout_ordinal", (tid,)).fetchall()
    return hist, tid, turns


def damage_c(home, manifest, out):
    found = projected_turns(home, manifest)
    if found is None:
        return NO_HISTORY
    hist, tid, turns = found
    with db(hist) as con:
        if len(turns) < 2:
            return {"notApplicable": f"thread two has {len(turns)} projected turns"}
        before = con.execute("SELECT next_rollout_byte_offset, next_rollout_ordinal FROM "
                             "thread_history_projection_state WHERE thread_id = ?", (tid,)).fetchone()
        last, prev = turns[-1], turns[-2]
        items = con.execute("DELETE FROM thread_items WHERE thread_id = ? AND turn_id = ?", (tid, last[0])).rowcount
        con.execute("DELETE FROM thread_turns WHERE thread_id = ? AND turn_id = ?", (tid, last[0]))
        # behind: the cursor just past turn 1's last line
        con.execute("UPDATE thread_history_projection_state SET next_rollout_byte_offset = ?, "
                    "next_rollout_ordinal = ? WHERE thread_id = ?", (prev[3], prev[2] + 1, tid))
    return {"thread": tid, "deletedTurn": last[0], "deletedItems": items, "cursorBefore": list(before),
            "cursorAfter": [prev[3], prev[2] + 1]}


def resume_two(codex_bin, home, manifest, out):
    """A third turn on thread "two" through the real CLI, with the mock model."""
    from mock_model import MockModel
    tid = by_name(manifest, "two")["id"]
    with MockModel(os.path.join(out, "resume-mock.jsonl")) as m:
        r = subprocess.run([codex_bin, "exec", *m.codex_args(), "--skip-git-repo-check", "-C", manifest["work"],
                            "--json", "resume", tid, "thread two, turn three: and now?"],
                           env=make_threads.codex_env(home), capture_output=True, text=True, timeout=180,
                           stdin=subprocess.DEVNULL)
    return {"resumeRc": r.returncode, "resumeStderrTail": r.stderr[-300:] if r.returncode else ""}


def damage_c3(home, manifest, out):
    found = projected_turns(home, manifest)
    if found is None:
        return NO_HISTORY
    hist, tid, turns = found
    prev = turns[-2]
    with db(hist) as con:
        con.execute("UPDATE thread_history_projection_state SET next_rollout_byte_offset = ?, "
                    "next_rollout_ordinal = ? WHERE thread_id = ?", (prev[3], prev[2] + 1, tid))
    return {"thread": tid, "cursorAfter": [prev[3], prev[2] + 1], "rowsKept": True}


def damage_d(home, manifest, out):
    tid = by_name(manifest, "one")["id"]
    path = rollout_of(home, tid)
    os.remove(path)
    return {"deletedRollout": os.path.relpath(path, home), "thread": tid}


def damage_e(home, manifest, out):
    tid = by_name(manifest, "one")["id"]
    path = rollout_of(home, tid)
    dst = os.path.join(home, "archived_sessions", os.path.basename(path))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.rename(path, dst)
    return {"moved": os.path.relpath(path, home), "to": os.path.relpath(dst, home), "thread": tid}


def delete_database(home, name):
    """Removes the database `name` with its -wal and -shm; the names of those that were there."""
    gone = []
    for suffix in ("", "-wal", "-shm"):
        p = os.path.join(home, name + suffix)
        if os.path.exists(p):
            os.remove(p)
            gone.append(os.path.basename(p))
    return gone


def damage_f(home, manifest, out):
    return {"deleted": delete_database(home, "state_5.sqlite")}


def damage_f2(home, manifest, out):
    return {"deleted": delete_database(home, "state_5.sqlite") + delete_database(home, "thread_history_1.sqlite")}


def migrate_rollouts(codex_bin, home):
    if not make_threads.has_subcommand(codex_bin, "migrate-rollouts"):
        return {"migrateRollouts": "no such subcommand in this version"}
    out = {}
    for key, extra in (("report", []), ("apply", ["--apply"])):
        r = subprocess.run([codex_bin, "migrate-rollouts", *quiet_args(), "--json", *extra],
                           env=make_threads.codex_env(home), capture_output=True, text=True, timeout=180,
                           stdin=subprocess.DEVNULL)
        try:
            out[key] = [{k: o.get(k) for k in ("thread_id", "status", "message")}
                        for o in json.loads(r.stdout).get("outcomes", [])]
        except ValueError:
            out[key] = {"rc": r.returncode, "stdout": r.stdout[-300:], "stderr": r.stderr[-300:]}
    return {"migrateRollouts": out}


def damage_g(home, manifest, out):
    """Returns the new home: the caller looks there."""
    new_root = os.path.join(out, "moved")
    shutil.copytree(os.path.dirname(home), new_root, symlinks=True)
    shutil.rmtree(os.path.dirname(home))
    return {"movedFrom": home, "movedTo": os.path.join(new_root, "home"), "newHome": os.path.join(new_root, "home")}


# ---------- looking ----------

def doctor(codex_bin, home):
    r = subprocess.run([codex_bin, "doctor", "--json", *quiet_args()], env=make_threads.codex_env(home),
                       capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    try:
        d = json.loads(r.stdout)
    except ValueError:
        return {"rc": r.returncode, "notJson": r.stdout[-500:], "stderr": r.stderr[-500:]}
    checks = d.get("checks", {})
    keep = {k: {"status": v.get("status"), "summary": v.get("summary"), "details": v.get("details")}
            for k, v in checks.items() if k.startswith("state.")}
    return {"rc": r.returncode, "overallStatus": d.get("overallStatus"), "state": keep}


def thread_view(s, tid):
    out = {}
    r = s.call("thread/read", {"threadId": tid, "includeTurns": False})
    if "error" in r:
        out["read"] = {"error": r["error"].get("message")}
    else:
        t = r.get("thread", {})
        out["read"] = {k: t.get(k) for k in ("historyMode", "path", "archived", "preview", "status")}
    r = s.call("thread/read", {"threadId": tid, "includeTurns": True})
    if "error" in r:
        out["readTurns"] = {"error": r["error"].get("message")}
    else:
        turns = r.get("thread", {}).get("turns", [])
        out["readTurns"] = {"turns": len(turns), "texts": texts_of(turns)}
    turns = s.list_turns(tid)
    if isinstance(turns, dict):
        out["turnsList"] = {"error": turns["error"].get("message")}
    else:
        out["turnsList"] = {"turns": len(turns), "texts": texts_of(turns)}
    return out


def texts_of(turns):
    texts = []
    for t in turns:
        for it in t.get("items", []):
            if it.get("type") == "userMessage":
                texts.append("U:" + " ".join(c.get("text", "") for c in it.get("content", []))[:40])
            elif it.get("type") == "agentMessage":
                texts.append("A:" + (it.get("text") or "")[:40])
    return texts


def ids_of(listing):
    return [t["id"] for t in listing] if isinstance(listing, list) else listing


def app_server_start(codex_bin, home, known_ids, full=True):
    res = {}
    with AppServer(codex_bin, home, extra_args=quiet_args(), env=make_threads.codex_env(home)) as s:
        res["listDbOnly"] = ids_of(s.list_threads(True))
        res["listDbOnlyArchived"] = ids_of(s.list_threads(True, archived=True))
        if full:
            # a read by id before any scan: does reading one thread repair its row?
            res["readFirst"] = {}
            for tid in known_ids:
                r = s.call("thread/read", {"threadId": tid, "includeTurns": False})
                res["readFirst"][tid] = ({"error": r["error"].get("message")} if "error" in r else
                                         {"ok": True, "path": r.get("thread", {}).get("path")})
            res["listDbOnlyAfterRead"] = ids_of(s.list_threads(True))
            res["listDbOnlyArchivedAfterRead"] = ids_of(s.list_threads(True, archived=True))
            scan = s.list_threads(False)
            res["listScan"] = ids_of(scan)
            res["listScanArchived"] = ids_of(s.list_threads(False, archived=True))
            res["listDbOnlyAfterScan"] = ids_of(s.list_threads(True))
            res["listDbOnlyArchivedAfterScan"] = ids_of(s.list_threads(True, archived=True))
            if isinstance(scan, list):
                res["scanPaths"] = {t["id"]: t.get("path") for t in scan}
        ids = list(known_ids)
        for key in list(res):
            if isinstance(res[key], list):
                ids += [i for i in res[key] if i not in ids]
        res["threads"] = {tid: thread_view(s, tid) for tid in ids}
        res["stderrErrors"] = [l for l in s.stderr_lines if ("ERROR" in l or "WARN" in l) and "bubblewrap" not in l][-10:]
    return res


def db_view(home):
    d = describe_home.describe(home)
    rows = d.get("threads", [])
    return {
        "stateDbExists": os.path.exists(os.path.join(home, "state_5.sqlite")),
        "threads": {t["id"]: {"archived": t["archived"], "history_mode": t.get("history_mode"),
                              "rollout_path": t["rollout_path"],
                              "rolloutExists": os.path.exists(t["rollout_path"])}
                    for t in rows} if isinstance(rows, list) else rows,
        "projection": {p["thread_id"]: [p["next_rollout_byte_offset"], p["next_rollout_ordinal"],
                                        p.get("rolloutBytes"), p.get("rolloutLines")]
                       for p in d.get("projection", [])} if isinstance(d.get("projection"), list) else d.get("projection"),
        "turns": {} if not isinstance(d.get("turns"), list) else
        {tid: sum(1 for t in d["turns"] if t["thread_id"] == tid) for tid in {t["thread_id"] for t in d["turns"]}},
        "rollouts": sorted(d["rollouts"].keys()),
    }


def run_experiment(codex_bin, out_root, name):
    out = os.path.join(out_root, name)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    manifest = make_threads.make(codex_bin, os.path.join(out, "made"))
    home = manifest["home"]
    known = [t["id"] for t in manifest["threads"]]
    obs = {"experiment": name, "version": manifest["version"],
           "threads": {t["name"]: t["id"] for t in manifest["threads"]}, "dbBefore": db_view(home)}
    fn = {"a": damage_a, "c": damage_c, "c2": damage_c, "c3": damage_c3, "d": damage_d, "e": damage_e,
          "f": damage_f, "f2": damage_f2, "f3": damage_f2, "g": damage_g}.get(name)
    if name in ("b", "b2", "b3"):
        obs["damage"] = damage_b(home, manifest, out, codex_bin)
        known.append(obs["damage"]["restoredThread"])
        obs["threads"]["restored"] = obs["damage"]["restoredThread"]
        if name == "b2":
            obs["damage"].update(migrate_rollouts(codex_bin, home))
        if name == "b3" and not os.path.exists(os.path.join(home, "thread_history_1.sqlite")):
            obs["damage"]["notApplicable"] = "no thread_history_1.sqlite in this version's home"
        elif name == "b3":
            with db(os.path.join(home, "thread_history_1.sqlite")) as con:
                con.execute("INSERT INTO thread_history_projection_state (thread_id, next_rollout_byte_offset, "
                            "next_rollout_ordinal) VALUES (?, 0, 0)", (obs["damage"]["restoredThread"],))
            obs["damage"]["projectionStateInserted"] = [0, 0]
    elif fn:
        obs["damage"] = fn(home, manifest, out)
        home = obs["damage"].get("newHome", home)
    else:
        obs["damage"] = None
    if name in ("c2", "c3", "f3") and not obs["damage"].get("notApplicable"):
        obs["damage"].update(resume_two(codex_bin, home, manifest, out))
    if obs["damage"] and obs["damage"].get("notApplicable"):
        obs["skipped"] = obs["damage"]["notApplicable"]
    else:
        obs["dbDamaged"] = db_view(home)
        obs["doctor1"] = doctor(codex_bin, home)
        obs["start1"] = app_server_start(codex_bin, home, known)
        obs["db1"] = db_view(home)
        obs["start2"] = app_server_start(codex_bin, home, known, full=False)
        obs["db2"] = db_view(home)
        obs["doctor2"] = doctor(codex_bin, home)
    with open(os.path.join(out, "observations.json"), "w") as f:
        json.dump(obs, f, indent=1)
    return obs


# ---------- summary ----------

def summarize(obs):
    if obs.get("skipped"):
        return {"experiment": obs["experiment"], "version": obs["version"], "skipped": obs["skipped"]}
    names = {v: k for k, v in obs["threads"].items()}

    def nm(ids):
        return [names.get(i, i) for i in ids] if isinstance(ids, list) else ids

    s1, s2 = obs["start1"], obs["start2"]
    per_thread = {}
    for tid, v in s1["threads"].items():
        v2 = s2["threads"].get(tid, {})
        per_thread[names.get(tid, tid)] = {
            "read1": v["read"].get("error") or v["read"].get("historyMode"),
            "turns1": v["turnsList"].get("error") or v["turnsList"]["turns"],
            "readTurns1": v["readTurns"].get("error") or v["readTurns"]["turns"],
            "read2": v2.get("read", {}).get("error") or v2.get("read", {}).get("historyMode"),
            "turns2": v2.get("turnsList", {}).get("error") or v2.get("turnsList", {}).get("turns"),
        }

    def parity(d):
        st = (d or {}).get("state", {}).get("state.rollout_db_parity")
        if not st:
            return None
        det = st.get("details") or {}
        keys = ("rollout DB missing active rows", "rollout DB missing archived rows", "rollout DB stale rows",
                "rollout DB archive mismatches", "rollout DB duplicate rollout thread ids")
        return {"status": st.get("status"), "summary": st.get("summary"),
                **{k.replace("rollout DB ", ""): det.get(k) for k in keys if k in det}}

    def dbs(d):
        return {names.get(k, k): [v["archived"], v["history_mode"], "exists" if v["rolloutExists"] else "MISSING"]
                for k, v in d["threads"].items()} if isinstance(d["threads"], dict) else d["threads"]

    return {
        "experiment": obs["experiment"], "version": obs["version"], "damage": obs["damage"],
        "start1": {k: nm(s1.get(k)) for k in ("listDbOnly", "listDbOnlyArchived", "listDbOnlyAfterRead",
                                             "listDbOnlyArchivedAfterRead", "listScan", "listScanArchived",
                                             "listDbOnlyAfterScan", "listDbOnlyArchivedAfterScan")},
        "readFirst": {names.get(k, k): v.get("error") or "ok" for k, v in s1.get("readFirst", {}).items()},
        "start2": {k: nm(s2.get(k)) for k in ("listDbOnly", "listDbOnlyArchived")},
        "threads": per_thread,
        "rowsDamaged": dbs(obs["dbDamaged"]), "rowsAfter1": dbs(obs["db1"]), "rowsAfter2": dbs(obs["db2"]),
        "projectionDamaged": {names.get(k, k): v for k, v in (obs["dbDamaged"]["projection"] or {}).items()},
        "projectionAfter1": {names.get(k, k): v for k, v in (obs["db1"]["projection"] or {}).items()},
        "projectedTurnsAfter1": {names.get(k, k): v for k, v in obs["db1"]["turns"].items()},
        "doctor1": parity(obs["doctor1"]), "doctor2": parity(obs["doctor2"]),
        "stderrErrors1": s1.get("stderrErrors"),
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    isolate_network()
    codex_bin, out_root = sys.argv[1], os.path.abspath(sys.argv[2])
    only = EXPERIMENTS
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1].split(",")
    os.makedirs(out_root, exist_ok=True)
    summaries = []
    for name in only:
        try:
            obs = run_experiment(codex_bin, out_root, name)
            summaries.append(summarize(obs))
        except Exception as e:  # record and go on: one broken experiment must not hide the rest
            import traceback
            summaries.append({"experiment": name, "failed": repr(e), "trace": traceback.format_exc()[-1500:]})
        print(json.dumps(summaries[-1]), flush=True)
    with open(os.path.join(out_root, "summary.json"), "w") as f:
        json.dump(summaries, f, indent=1)


if __name__ == "__main__":
    main()
