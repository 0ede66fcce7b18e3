#!/usr/bin/env python3
"""The Codex interop round: homes the released codex made, damaged as Docs/CODEX-FORMAT.md's table does, repaired by
`transcript-fsck repair`, then judged ONLY through codex itself (its app-server, doctor, migrate-rollouts, and a
resumed turn against the mock model). Standard library only.

Usage: codex_interop.py --fsck TRANSCRIPT_FSCK --codex CODEX_BIN --out DIR [--only baseline,a,...] [--skip-repair]
                        [--jobs N]
Exit status: 0 when every damage passed (or does not apply to this version), 1 when any failed, 2 when the round
could not be set up (the made home is not what make_threads.py promises).

One home is made with make_threads.py (threads one: 1 turn, two: 2 turns, archived), and, when b is asked for, a
donor home by the same binary. Each damage then gets its own copy (damaged_homes.copy_home), so the damages are
independent and run in parallel:
  baseline  no damage: every repair must write nothing
  a         thread one's threads row deleted
  b         the donor's thread one copied into sessions/YYYY/MM/DD/ (a rollout restored from elsewhere)
  c         thread two's projection set behind its rollout (0.163.0 only: thread_history_1.sqlite)
  d         thread one's rollout deleted (a stale row): repaired with --remove-stale, one is then expected GONE
  e         thread one's rollout moved into archived_sessions/ by hand: one is then expected archived
  f         state_5.sqlite deleted
  f2        state_5.sqlite and thread_history_1.sqlite deleted (0.163.0 only)
  g         the home moved (copied to a new path, the old one deleted)
For each damage:
  1. `repair --home H --dry-run --format json` must write nothing (exit 0 or 1);
  2. `repair --home H --format json` (d: with --remove-stale) must exit 0 (f2: or 1, its threads deferred until
     codex has made thread_history_1.sqlite again, none refused); its JSON is recorded; d first runs it
     without --remove-stale, which must exit 1 (the thread refused) and leave the threads table as it was;
  3. codex's next start: one app-server session that lists the threads (thread/list, useStateDbOnly) and opens
     each one it lists (thread/read with turns), as a user's next session would; --next-start list only lists;
  4. `repair` again must exit 0 and write nothing; f2 only: this second run writes the projections (codex's start
     rebuilt the index and an empty history database), and a third run must write nothing.
  "Writes nothing" is judged by content: every table of state_5.sqlite and thread_history_1.sqlite, and every file
  under sessions/ and archived_sessions/, hashed before and after the run, and no other file of the home added or
  removed (a backup, say; SQLite's -wal, -shm and -journal files aside).
Then the judge, through codex only:
  i    (0.163.0) `codex doctor --json`: state.rollout_db_parity is "ok" (doctor exits 1 offline: only that check counts)
  ii   (0.163.0) `codex migrate-rollouts --apply --json` exits 0
  iii  thread/list with useStateDbOnly: exactly the recoverable threads, archived ones under archived: true, each
       with a path that exists under the (possibly moved) home; a thread expected gone (d) is in neither list
  iv   thread/read (includeTurns) and thread/turns/list: every recoverable thread's turns, user prompts and agent
       replies equal to what codex shows of the undamaged home (the donor's, for b's restored thread)
  v    `codex exec ... resume ID PROMPT` on every recoverable thread that is not archived (codex refuses to resume an
       archived one): exit 0; the request the mock model got carries every earlier prompt and reply of the thread;
       afterwards codex shows the thread with one turn more, the earlier ones unchanged
--skip-repair runs none of 1, 2 and 4 (codex still starts once): the judge alone, to show it fails on a damage left
as it is and passes on the baseline.

Prints a summary JSON (verdict per damage, the failure list, timings) and writes the whole record, repair JSON and
codex's answers included, to OUT/result.json.
"""
import argparse, hashlib, json, os, shutil, sqlite3, subprocess, sys, time, traceback
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import MockModel, isolate_network, isolated  # noqa: E402
from app_server import AppServer, quiet_args  # noqa: E402
import damage  # noqa: E402
import damaged_homes  # noqa: E402
import make_threads  # noqa: E402

DAMAGES = ["baseline", "a", "b", "c", "d", "e", "f", "f2", "g"]
NEEDS_HISTORY = {"c", "f2"}
ALL_THREADS = {"one": False, "two": False, "archived": True}  # name -> archived, in the undamaged home
TIMEOUT = 180


# ---------- codex's view ----------

def conversation(turns):
    """A turn list as codex shows it, reduced to what the judge compares: per turn its user and agent texts."""
    out = []
    for turn in turns:
        user, agent = [], []
        for item in turn.get("items") or []:
            if item.get("type") == "userMessage":
                user.append("".join(c.get("text", "") for c in item.get("content") or [] if c.get("type") == "text"))
            elif item.get("type") == "agentMessage":
                agent.append(item.get("text") or "")
        out.append({"user": user, "agent": agent})
    return out


def read_thread(server, tid):
    """thread/read with turns and thread/turns/list of one thread: each a conversation, or {"error": ...}."""
    res = {}
    r = server.call("thread/read", {"threadId": tid, "includeTurns": True})
    res["read"] = {"error": r["error"]} if "error" in r else conversation(r.get("thread", {}).get("turns") or [])
    turns = server.list_turns(tid)
    res["turnsList"] = turns if isinstance(turns, dict) else conversation(turns)
    return res


def listing(server):
    """thread/list with useStateDbOnly, live and archived: {id: path} each, or {"error": ...}."""
    out = {}
    for key, archived in (("live", False), ("archived", True)):
        threads = server.list_threads(True, archived=archived)
        out[key] = threads if isinstance(threads, dict) else {t.get("id"): t.get("path") for t in threads}
    return out


def app_server(codex_bin, home):
    return AppServer(codex_bin, home, extra_args=quiet_args(), env=make_threads.codex_env(home), timeout=TIMEOUT)


def said(stderr):
    """What a failed codex (or repair) said, without codex's PATH-alias warning and its backtrace."""
    lines = []
    for line in stderr.splitlines():
        if line.startswith("Stack backtrace"):
            break
        if line.strip() and "could not create PATH aliases" not in line:
            lines.append(line.strip())
    return " / ".join(lines)[-400:]


def run_codex(codex_bin, home, args, timeout=TIMEOUT):
    return subprocess.run([codex_bin, *args], env=make_threads.codex_env(home), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


# ---------- what a repair wrote ----------

def content_of(home):
    """A hash of every table of both databases and of every rollout file: equal before and after a run of repair
    exactly when it wrote nothing (the bytes of a database file may change when SQLite checkpoints; its rows don't)."""
    out = {}
    for name in ("state_5.sqlite", "thread_history_1.sqlite"):
        path = os.path.join(home, name)
        if not os.path.exists(path):
            out[name] = None
            continue
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error:
            con = sqlite3.connect(path)
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            for table in tables:
                digest = hashlib.sha256()
                for row in sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"')):
                    digest.update(row.encode() + b"\n")
                out[f"{name}:{table}"] = digest.hexdigest()
        except sqlite3.Error as e:
            out[name] = f"unreadable: {e}"
        finally:
            con.close()
    for root, _, names in os.walk(home):
        for n in names:
            p = os.path.join(root, n)
            rel = os.path.relpath(p, home)
            if rel.startswith(("sessions/", "archived_sessions/")):
                with open(p, "rb") as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
            elif not n.endswith(("-wal", "-shm", "-journal")):
                # any other file a run adds or removes (a backup, a lock left behind); SQLite's own files come and go
                out["file " + rel] = "present"
    return out


def why(run):
    """What a repair run said of itself: its standard error, else what its JSON says of the threads it did not
    finish (verdict and detail), else the head of its JSON."""
    text = said(run["stderr"])
    if text:
        return text
    threads = run.get("json", {}).get("threads") if isinstance(run.get("json"), dict) else None
    unfinished = [f"{t.get('verdict')}: {t.get('detail')}" for t in threads or []
                  if isinstance(t, dict) and t.get("verdict") in ("refused", "deferred")]
    if unfinished:
        return "; ".join(sorted(set(unfinished)))[:400]
    return json.dumps(run.get("json", run.get("notJson")))[:300]


def refused(run):
    """The threads a repair's JSON calls refused (none when it printed no JSON of the shape it has)."""
    threads = run.get("json", {}).get("threads") if isinstance(run.get("json"), dict) else None
    return [t for t in threads or [] if isinstance(t, dict) and t.get("verdict") == "refused"]


def changed(before, after):
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def repair(fsck, home, extra, log):
    """One run of `transcript-fsck repair`: its exit status, its JSON (or the text when it is not JSON) and what it
    changed in the home."""
    before = content_of(home)
    argv = [fsck, "repair", "--home", home, *extra, "--format", "json"]
    start = time.time()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    run = {"argv": ["transcript-fsck"] + argv[1:], "rc": r.returncode, "seconds": round(time.time() - start, 2),
           "changed": changed(before, content_of(home)), "stderr": r.stderr[-2000:]}
    try:
        run["json"] = json.loads(r.stdout)
    except ValueError:
        try:  # JSON Lines will do too
            run["json"] = [json.loads(line) for line in r.stdout.splitlines() if line.strip()] or None
        except ValueError:
            pass
        if run.get("json") is None:
            run.pop("json", None)
            run["notJson"] = r.stdout[-2000:]
    log.append(run)
    return run


# ---------- the damages ----------

def damage_home(name, base, donor, out):
    """The damaged copy: (home, what was done, expected {thread name: archived}, names expected gone)."""
    manifest = damaged_homes.copy_home(base, out)
    home = manifest["home"]
    expected, gone = dict(ALL_THREADS), []
    if name == "baseline":
        done = {}
    elif name == "b":
        src = damage.rollout_of(donor["home"], damage.by_name(donor, "one")["id"])
        dst = os.path.join(home, os.path.relpath(src, donor["home"]))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        done = {"restoredThread": damage.by_name(donor, "one")["id"], "copiedTo": os.path.relpath(dst, home)}
        expected["restored"] = False
    else:
        fn = {"a": damage.damage_a, "c": damage.damage_c, "d": damage.damage_d, "e": damage.damage_e,
              "f": damage.damage_f, "f2": damage.damage_f2, "g": damage.damage_g}[name]
        done = fn(home, manifest, out)
        home = done.get("newHome", home)
        if name == "d":
            del expected["one"]
            gone.append("one")
        elif name == "e":
            expected["one"] = True
    return home, done, expected, gone


def judge(codex_bin, home, work, ids, expected, gone, reference, out, record, fail, timings):
    """Steps i to v of the module's docstring; every shortfall goes to fail()."""
    version_checks = record.setdefault("judge", {})
    # i. doctor's parity check (0.163.0 has it; 0.133.0's doctor has no such check). doctor probes chatgpt.com,
    # api.openai.com and api.github.com, so it runs only where the network namespace keeps it on loopback.
    t = time.time()
    if not isolated():
        version_checks["doctorParity"] = {"notRun": "no loopback-only network namespace (unshare -n) here"}
    else:
        r = run_codex(codex_bin, home, ["doctor", "--json", *quiet_args()])
        try:
            parity = json.loads(r.stdout).get("checks", {}).get("state.rollout_db_parity")
        except ValueError:
            parity = {"notJson": r.stdout[-500:], "stderr": r.stderr[-500:]}
        if parity is not None:
            version_checks["doctorParity"] = {k: parity.get(k) for k in ("status", "summary", "details", "notJson")
                                              if k in parity}
            if parity.get("status") != "ok":
                fail(f"codex doctor: state.rollout_db_parity is {parity.get('status')!r}: {parity.get('summary')}")
        elif make_threads.has_subcommand(codex_bin, "migrate-rollouts"):
            fail("codex doctor --json has no state.rollout_db_parity check")
    timings["doctor"] = round(time.time() - t, 2)

    # ii. migrate-rollouts --apply (0.163.0 only)
    if make_threads.has_subcommand(codex_bin, "migrate-rollouts"):
        t = time.time()
        r = run_codex(codex_bin, home, ["migrate-rollouts", *quiet_args(), "--apply", "--json"])
        try:
            outcomes = [{k: o.get(k) for k in ("thread_id", "status", "message")}
                        for o in json.loads(r.stdout).get("outcomes", [])]
        except (ValueError, AttributeError):
            outcomes = r.stdout[-500:]
        version_checks["migrateRollouts"] = {"rc": r.returncode, "outcomes": outcomes, "stderr": r.stderr[-500:]}
        if r.returncode != 0:
            fail(f"codex migrate-rollouts --apply --json exited {r.returncode}: {said(r.stderr)}")
        timings["migrate"] = round(time.time() - t, 2)
    judge_codex_views(codex_bin, home, work, ids, expected, gone, reference, out, record, fail, timings)


def judge_codex_views(codex_bin, home, work, ids, expected, gone, reference, out, record, fail, timings):
    """Steps iii to v."""
    version_checks = record["judge"]
    # iii, iv. the lists and every thread's turns
    t = time.time()
    names = {tid: n for n, tid in ids.items()}
    with app_server(codex_bin, home) as s:
        lists = listing(s)
        reads = {n: read_thread(s, ids[n]) for n in expected}
    version_checks["list"] = lists
    version_checks["reads"] = reads
    if isinstance(lists["live"], dict) and isinstance(lists["archived"], dict):
        for n, archived in expected.items():
            tid = ids[n]
            where, other = ("archived", "live") if archived else ("live", "archived")
            if tid not in lists[where]:
                fail(f"thread {n} is not in thread/list (useStateDbOnly, archived: {str(archived).lower()})"
                     + (f"; it is in the {other} list" if tid in lists[other] else ""))
                continue
            if tid in lists[other]:
                fail(f"thread {n} is in both the live and the archived list")
            path = lists[where][tid] or ""
            folder = os.path.join(home, "archived_sessions" if archived else "sessions") + "/"
            if not (path.startswith(folder) and os.path.isfile(path)):
                fail(f"thread {n}: thread/list gives path {path!r}, not a file under {folder}")
        for n in gone:
            if ids[n] in lists["live"] or ids[n] in lists["archived"]:
                fail(f"thread {n} (its rollout deleted) is still listed")
        for key in ("live", "archived"):
            for tid in lists[key]:
                if tid not in names or names[tid] not in expected:
                    fail(f"thread/list ({key}) lists an unexpected thread {names.get(tid, tid)}")
    else:
        fail(f"thread/list failed: {json.dumps(lists)[:300]}")
    for n in expected:
        for view in ("read", "turnsList"):
            got, want = reads[n][view], reference[n]
            if got != want:
                fail(f"thread {n}: {'thread/read includeTurns' if view == 'read' else 'thread/turns/list'} shows "
                     + (f"an error {json.dumps(got)[:200]}" if isinstance(got, dict) else
                        f"{len(got)} turns {json.dumps(got)[:300]}") + f", the undamaged home {len(want)}")
    timings["views"] = round(time.time() - t, 2)

    # v. a resumed turn on every recoverable live thread sends the whole conversation, and lands after it
    t = time.time()
    live = [n for n, archived in expected.items() if not archived]
    resumed = version_checks["resumed"] = {}
    with MockModel(os.path.join(out, "resume-mock.jsonl")) as mock:
        for n in live:
            prompt = f"resumed after the repair: thread {n}, one more turn"
            r = run_codex(codex_bin, home, ["exec", *mock.codex_args(), "--skip-git-repo-check", "-C", work, "--json",
                                            "resume", ids[n], prompt])
            resumed[n] = {"rc": r.returncode, "prompt": prompt}
            if r.returncode != 0:
                fail(f"thread {n}: codex exec resume exited {r.returncode}: {said(r.stderr)}")
        requests = mock.requests()
    for n in live:
        prompt = resumed[n]["prompt"]
        carried = [req for req in requests if isinstance(req.get("body"), dict)
                   and any(prompt in s for s in strings_in(req["body"].get("input")))]
        if not carried:
            if resumed[n]["rc"] == 0:
                fail(f"thread {n}: the mock model got no request carrying the resumed prompt")
            continue
        sent = list(strings_in(carried[-1]["body"].get("input")))
        earlier = [(kind, text) for turn in reference[n] for kind in ("user", "agent") for text in turn[kind]]
        missing = [f"{kind}: {text}" for kind, text in earlier if not any(text in s for s in sent)]
        resumed[n]["inputItems"] = len(carried[-1]["body"].get("input") or [])
        resumed[n]["missing"] = missing
        if missing:
            fail(f"thread {n}: the resumed turn's request lacks earlier conversation: {missing}")
    if live:
        with app_server(codex_bin, home) as s:
            after = {n: read_thread(s, ids[n])["turnsList"] for n in live}
        version_checks["afterResume"] = after
        for n in live:
            got, want = after[n], reference[n]
            if isinstance(got, dict) or len(got) != len(want) + 1 or got[:len(want)] != want \
                    or got[-1]["user"] != [resumed[n]["prompt"]]:
                fail(f"thread {n}: after the resumed turn thread/turns/list shows "
                     + (json.dumps(got)[:200] if isinstance(got, dict) else
                        f"{len(got)} turns {json.dumps(got)[-300:]}")
                     + f", not the {len(want)} earlier turns and the new one")
    timings["resume"] = round(time.time() - t, 2)


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)


def run_damage(name, args, base, donor, reference, ids_base, has_history):
    out = os.path.join(args.out, name)
    record = {"damage": name, "failures": [], "timings": {}}
    if name in NEEDS_HISTORY and not has_history:
        record["verdict"] = "notApplicable"
        record["why"] = "no thread_history_1.sqlite in this version's home (no paginated threads)"
        return record
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    start = time.time()
    fail = record["failures"].append
    try:
        home, record["done"], expected, gone = damage_home(name, base, donor, out)
        record["home"], record["expected"], record["expectedGone"] = home, expected, gone
        ids = dict(ids_base)
        if name == "b":
            ids["restored"] = record["done"]["restoredThread"]
        extra = ["--remove-stale"] if name == "d" else []
        runs = record["repairs"] = []
        if not args.skip_repair:
            dry = repair(args.fsck, home, ["--dry-run", *extra], runs)
            if dry["changed"]:
                fail(f"repair --dry-run wrote {dry['changed']}")
            if dry["rc"] not in (0, 1):
                fail(f"repair --dry-run exited {dry['rc']}: {why(dry)}")
            if name == "d":
                # the stale row goes only with --remove-stale: without it the thread is refused and its row kept
                kept = repair(args.fsck, home, [], runs)
                if kept["rc"] != 1:
                    fail(f"repair without --remove-stale exited {kept['rc']}, not 1 (a thread refused): "
                         f"{why(kept)}")
                if "state_5.sqlite:threads" in kept["changed"]:
                    fail("repair without --remove-stale changed the threads table")
            first = repair(args.fsck, home, extra, runs)
            # f2: with no thread_history_1.sqlite there is nowhere to write the projections before codex makes it,
            # so the first run may say so (exit 1, the threads deferred to a run after codex's start)
            if first["rc"] != 0 and not (name == "f2" and first["rc"] == 1 and not refused(first)):
                fail(f"repair exited {first['rc']}: {why(first)}")
            if "json" not in first:
                fail("repair --format json printed no JSON")
            if name == "baseline" and first["changed"]:
                fail(f"repair of the undamaged home wrote {first['changed']}")
        record["timings"]["repair1"] = round(time.time() - start, 2)
        # codex's next start: an app-server session that lists the threads and opens each one it lists, as a
        # user's next session would. Opening only what the index lists can heal no index damage (a thread missing
        # from the list is not opened), and no reader writes a projection (Docs/CODEX-FORMAT.md section 10); but
        # 0.163.0 makes thread_history_1.sqlite only at the first read of a thread's turns, so after f2 a start
        # that merely lists leaves no history database for the second repair to write into.
        t = time.time()
        with app_server(args.codex, home) as s:
            record["nextStart"] = listing(s)
            if args.next_start == "open":
                for key in ("live", "archived"):
                    for tid in record["nextStart"][key] if isinstance(record["nextStart"][key], dict) else []:
                        s.call("thread/read", {"threadId": tid, "includeTurns": True})
        record["timings"]["nextStart"] = round(time.time() - t, 2)
        if name == "f2" and has_history and not os.path.exists(os.path.join(home, "thread_history_1.sqlite")):
            fail(f"no thread_history_1.sqlite after codex's start ({args.next_start}): nothing for a second repair "
                 "to write the projections into")
        if not args.skip_repair:
            t = time.time()
            second = repair(args.fsck, home, extra, runs)
            if second["rc"] != 0:
                fail(f"second repair exited {second['rc']}: {why(second)}")
            if name == "f2":
                # codex's start rebuilt the index and an empty history database: this run writes the projections
                if not any(k.startswith("thread_history_1.sqlite") for k in second["changed"]):
                    fail("second repair after codex's start wrote no projection (f2: both databases were deleted)")
                third = repair(args.fsck, home, extra, runs)
                if third["rc"] != 0:
                    fail(f"third repair exited {third['rc']}: {why(third)}")
                if third["changed"]:
                    fail(f"third repair wrote {third['changed']}")
            elif second["changed"]:
                fail(f"second repair (after codex's start) wrote {second['changed']}")
            record["timings"]["repair2"] = round(time.time() - t, 2)
        judge(args.codex, home, base["work"], ids, expected, gone, reference, out, record, fail, record["timings"])
    except Exception as e:  # one broken damage must not hide the others
        fail(f"harness error: {e!r}")
        record["trace"] = traceback.format_exc()[-3000:]
    record["timings"]["total"] = round(time.time() - start, 2)
    record["verdict"] = "fail" if record["failures"] else "pass"
    return record


def reference_views(codex_bin, base, donor, out):
    """What codex shows of the undamaged threads (a copy of the made home, so the made one stays as it was), and of
    the donor's thread one (b's restored thread): {name: conversation}."""
    copy = damaged_homes.copy_home(base, os.path.join(out, "reference"))
    ref = {}
    with app_server(codex_bin, copy["home"]) as s:
        for n in ALL_THREADS:
            ref[n] = read_thread(s, damage.by_name(base, n)["id"])["read"]
    if donor:
        with app_server(codex_bin, donor["home"]) as s:
            ref["restored"] = read_thread(s, damage.by_name(donor, "one")["id"])["read"]
    return ref


def check_made(made, archive=True):
    """What make_threads.py promises of a made home, as codex runs and codex's reads show it."""
    problems = []
    for run in made["runs"]:
        if run["rc"] != 0:
            problems.append(f"{' '.join(run['argv'][:2])} exited {run['rc']}")
    for t in made["threads"]:
        if archive and t["name"] == "archived" and not t["archived"]:
            problems.append("thread archived was not archived")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fsck", required=True, help="the transcript-fsck binary")
    parser.add_argument("--codex", required=True, help="the codex binary")
    parser.add_argument("--out", required=True, help="a directory for the homes and result.json")
    parser.add_argument("--only", default=",".join(DAMAGES), help="damages, comma-separated: " + ",".join(DAMAGES))
    parser.add_argument("--skip-repair", action="store_true", help="no repair: the judge alone")
    parser.add_argument("--jobs", type=int, default=4, help="damages run at once (default 4)")
    parser.add_argument("--next-start", choices=["open", "list"], default="open",
                        help="codex's next start lists the threads and opens (reads the turns of) each one listed "
                             "(default), or only lists them")
    args = parser.parse_args()
    only = [d for d in args.only.split(",") if d]
    unknown = [d for d in only if d not in DAMAGES]
    if unknown:
        parser.error(f"unknown damages {unknown} (known: {','.join(DAMAGES)})")
    isolate_network()
    args.out, args.fsck, args.codex = (os.path.abspath(p) for p in (args.out, args.fsck, args.codex))
    os.makedirs(args.out, exist_ok=True)
    for leftover in ("base", "donor", "reference"):
        shutil.rmtree(os.path.join(args.out, leftover), ignore_errors=True)
    started = time.time()
    timings = {}
    with ThreadPoolExecutor(2) as pool:
        base_job = pool.submit(make_threads.make, args.codex, os.path.join(args.out, "base"))
        donor_job = (pool.submit(make_threads.make, args.codex, os.path.join(args.out, "donor"), archive=False,
                                 tag="from another home: ") if "b" in only else None)
        base, donor = base_job.result(), donor_job.result() if donor_job else None
    timings["makeHomes"] = round(time.time() - started, 2)
    t = time.time()
    reference = reference_views(args.codex, base, donor, args.out)
    timings["reference"] = round(time.time() - t, 2)
    setup = check_made(base) + (check_made(donor, archive=False) if donor else [])
    for n, conv in reference.items():
        made = donor if n == "restored" else base
        prompts = damage.by_name(made, "one" if n == "restored" else n)["prompts"]
        if isinstance(conv, dict) or [t["user"] for t in conv] != [[p] for p in prompts] \
                or not all(t["agent"] for t in conv):
            setup.append(f"the undamaged thread {n} does not read back as made: {json.dumps(conv)[:300]}")
    result = {"codexVersion": base["version"], "fsck": args.fsck, "skipRepair": args.skip_repair,
              "nextStart": args.next_start,
              "threads": {t["name"]: t["id"] for t in base["threads"]}, "reference": reference, "setup": setup,
              "timings": timings}
    if setup:
        result["failures"] = [f"setup: {p}" for p in setup]
        print(json.dumps({k: result[k] for k in ("codexVersion", "failures")}, indent=1))
        with open(os.path.join(args.out, "result.json"), "w") as f:
            json.dump(result, f, indent=1)
        sys.exit(2)
    ids = {t["name"]: t["id"] for t in base["threads"]}
    has_history = os.path.exists(os.path.join(base["home"], "thread_history_1.sqlite"))
    t = time.time()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        jobs = {name: pool.submit(run_damage, name, args, base, donor, reference, ids, has_history) for name in only}
        result["damages"] = {name: job.result() for name, job in jobs.items()}
    timings["damages"] = round(time.time() - t, 2)
    timings["total"] = round(time.time() - started, 2)
    result["failures"] = [f"{name}: {f}" for name, r in result["damages"].items() for f in r["failures"]]
    with open(os.path.join(args.out, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    summary = {"codexVersion": result["codexVersion"], "skipRepair": args.skip_repair,
               "nextStart": args.next_start, "networkNamespace": isolated(),
               "verdicts": {n: r["verdict"] for n, r in result["damages"].items()},
               "failures": result["failures"], "timings": timings,
               "damageSeconds": {n: r["timings"].get("total") for n, r in result["damages"].items()},
               "result": os.path.join(args.out, "result.json")}
    print(json.dumps(summary, indent=1))
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
