#!/usr/bin/env python3
"""The Codex format questions that take both pinned versions, or a flag: legacy threads under the newer codex,
`migrate-rollouts`, a downgrade, and compressed rollouts.

Usage: cross_version.py NEW_BIN OLD_BIN OUT_DIR    (NEW = 0.163.0, OLD = 0.133.0)
Steps, each on its own fresh home under OUT_DIR (so the rows' absolute paths are right):
  legacy      OLD makes the threads; NEW lists/reads them (historyMode), NEW `exec resume`s thread two, then
              the row, the rollout's new lines and thread_history_1.sqlite are looked at
  migrate     OLD makes the threads; NEW `migrate-rollouts --json` (report), then `--apply --json`; the
              rollouts before/after (lines, bytes, added keys), rows and projection, and NEW's views
  downgrade   the migrated home opened again by OLD: list, read, turns
  old-cli     OLD `migrate-rollouts --apply` and `archive ID`: what the older CLI says of them
  compressed  NEW makes one thread with --enable local_thread_store_compression (a feature "under
              development" in 0.163.0): which files appear, and whether NEW reads them back
Prints JSON.
"""
import glob, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import MockModel, isolate_network  # noqa: E402
from app_server import AppServer, quiet_args  # noqa: E402
import describe_home  # noqa: E402
import make_threads  # noqa: E402
from damage import thread_view, ids_of, by_name  # noqa: E402


def run(bin_, home, args, timeout=180):
    r = subprocess.run([bin_, *args], env=make_threads.codex_env(home), capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return {"argv": [os.path.basename(bin_)] + args[:3], "rc": r.returncode, "stdout": r.stdout[-3000:],
            "stderr": "\n".join(l for l in r.stderr.splitlines() if "PATH" not in l)[-1500:]}


def views(bin_, home, ids):
    with AppServer(bin_, home, extra_args=quiet_args(), env=make_threads.codex_env(home)) as s:
        out = {"listDbOnly": ids_of(s.list_threads(True)), "listScan": ids_of(s.list_threads(False)),
               "listScanArchived": ids_of(s.list_threads(False, archived=True))}
        out["threads"] = {}
        for tid in ids:
            v = thread_view(s, tid)
            r = s.call("thread/read", {"threadId": tid, "includeTurns": False})
            v["historyMode"] = r.get("thread", {}).get("historyMode") if "thread" in r else None
            out["threads"][tid] = v
    return out


def rows(home):
    d = describe_home.describe(home)
    return {"threads": [{k: t.get(k) for k in ("id", "history_mode", "cli_version", "archived", "rollout_path")}
                        for t in d.get("threads", [])] if isinstance(d.get("threads"), list) else d.get("threads"),
            "projection": d.get("projection"), "turns": [
                {k: t[k] for k in ("thread_id", "turn_id", "rollout_ordinal", "rollout_byte_offset",
                                   "rollout_end_ordinal", "rollout_end_byte_offset")}
                for t in d.get("turns", [])] if isinstance(d.get("turns"), list) else d.get("turns"),
            "rollouts": {k: {"bytes": v["bytes"], "lines": v["lines"],
                             "ordinals": sum(1 for x in v["lineShapes"] if x["ordinal"] is not None)}
                         for k, v in d["rollouts"].items()},
            "files": [f for f, _ in d["files"] if f.endswith((".sqlite", ".zst", ".jsonl", ".lock"))]}


def legacy(new, old, out):
    m = make_threads.make(old, os.path.join(out, "legacy"))
    home, ids = m["home"], [t["id"] for t in m["threads"]]
    res = {"rowsMadeByOld": rows(home), "newViews": views(new, home, ids)}
    res["rowsAfterNewViews"] = rows(home)
    two = by_name(m, "two")["id"]
    with MockModel(os.path.join(out, "legacy-resume-mock.jsonl")) as mock:
        res["newResume"] = run(new, home, ["exec", *mock.codex_args(), "--skip-git-repo-check", "-C", m["work"],
                                           "--json", "resume", two, "turn three, by the newer codex"])
    res["rowsAfterNewResume"] = rows(home)
    path = glob.glob(os.path.join(home, "sessions", "*", "*", "*", f"*{two}*"))[0]
    with open(path) as f:
        lines = [json.loads(l) for l in f]
    res["twoRolloutTail"] = [{"type": l["type"], "ordinal": l.get("ordinal"),
                              "payloadType": (l.get("payload") or {}).get("type")} for l in lines[-14:]]
    res["newViewsAfterResume"] = views(new, home, ids)
    return res


def migrate(new, old, out):
    m = make_threads.make(old, os.path.join(out, "migrate"))
    home, ids = m["home"], [t["id"] for t in m["threads"]]
    res = {"before": rows(home)}
    res["report"] = run(new, home, ["migrate-rollouts", *quiet_args(), "--json"])
    res["afterReport"] = rows(home)
    res["apply"] = run(new, home, ["migrate-rollouts", *quiet_args(), "--apply", "--json"])
    res["afterApply"] = rows(home)
    res["again"] = run(new, home, ["migrate-rollouts", *quiet_args(), "--json"])
    res["newViews"] = views(new, home, ids)
    res["home"], res["ids"] = home, ids
    return res


def downgrade(old, home, ids):
    return {"oldViews": views(old, home, ids), "rows": rows(home)}


def old_cli(old, out):
    m = make_threads.make(old, os.path.join(out, "oldcli"), archive=False)
    home = m["home"]
    return {"migrateRollouts": run(old, home, ["migrate-rollouts", "--apply"]),
            "archive": run(old, home, ["archive", m["threads"][0]["id"]])}


def compressed(new, out):
    root = os.path.join(out, "compressed")
    os.makedirs(os.path.join(root, "home"))
    os.makedirs(os.path.join(root, "work"))
    home = os.path.join(root, "home")
    res = {}
    with MockModel(os.path.join(root, "mock.jsonl")) as mock:
        r = run(new, home, ["exec", "--enable", "local_thread_store_compression", *mock.codex_args(),
                            "--skip-git-repo-check", "-C", os.path.join(root, "work"), "--json", "a compressed thread"])
        res["exec"] = {k: r[k] for k in ("rc", "stderr")}
        tid = make_threads.Maker.thread_id_from(r["stdout"])
        res["threadId"] = tid
        if tid:
            r2 = run(new, home, ["exec", "--enable", "local_thread_store_compression", *mock.codex_args(),
                                 "--skip-git-repo-check", "-C", os.path.join(root, "work"), "--json", "resume", tid,
                                 "second turn, compressed"])
            res["resume"] = {k: r2[k] for k in ("rc", "stderr")}
    res["files"] = sorted(os.path.relpath(p, home) for p in glob.glob(os.path.join(home, "*sessions", "**", "*"),
                                                                     recursive=True) if os.path.isfile(p))
    res["rows"] = rows(home)
    if res.get("threadId"):
        res["viewsWithoutFlag"] = views(new, home, [res["threadId"]])
    return res


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    isolate_network()
    new, old, out = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    report = {}
    steps = sys.argv[4].split(",") if len(sys.argv) > 4 else ["legacy", "migrate", "downgrade", "old-cli", "compressed"]
    for step in steps:
        try:
            if step == "legacy":
                report["legacy"] = legacy(new, old, out)
            elif step == "migrate":
                report["migrate"] = migrate(new, old, out)
            elif step == "downgrade" and "migrate" in report:
                report["downgrade"] = downgrade(old, report["migrate"]["home"], report["migrate"]["ids"])
            elif step == "old-cli":
                report["oldCli"] = old_cli(old, out)
            elif step == "compressed":
                report["compressed"] = compressed(new, out)
        except Exception as e:
            import traceback
            report[step] = {"failed": repr(e), "trace": traceback.format_exc()[-1500:]}
        with open(os.path.join(out, "cross_version.json"), "w") as f:
            json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
