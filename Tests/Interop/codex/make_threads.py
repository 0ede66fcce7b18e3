#!/usr/bin/env python3
"""Makes a CODEX_HOME with several threads, by running the real codex binary against mock_model.py.

Usage: make_threads.py CODEX_BIN OUT_DIR [--no-archive]
Makes, under OUT_DIR (which must not exist yet):
  home/                 the CODEX_HOME
  work/                 the cwd of every thread
  mock-requests.jsonl   every request the mock model received (mock_model.py's log)
  threads.json          what was made: {"version", "threads": [{"id", "name", "prompts", "archived", "how"}],
                        "runs": [{"argv", "rc", "stderrTail"}], "checks": {...}}
Threads:
  one      `codex exec "..."`                                      1 turn
  two      `codex exec "..."` then `codex exec resume ID "..."`    2 turns
  archived `codex exec "..."` then archived: `codex archive ID` where the CLI has it (0.163.0),
           else app-server thread/archive (0.133.0 has no archive subcommand)
checks.resumeSentHistory: whether the resumed turn's request carried the first turn's user and assistant text.
"""
import json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mock_model import MockModel, isolate_network  # noqa: E402
from app_server import AppServer  # noqa: E402


def codex_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CODEX_"))}
    env.update(CODEX_HOME=home, MOCK_KEY="dummy", NO_COLOR="1", RUST_LOG=env.get("RUST_LOG", "warn"))
    return env


def version_of(codex_bin):
    out = subprocess.run([codex_bin, "--version"], capture_output=True, text=True).stdout
    return out.strip().split()[-1]


def has_subcommand(codex_bin, name):
    out = subprocess.run([codex_bin, "--help"], capture_output=True, text=True).stdout
    return re.search(rf"^\s+{re.escape(name)}\s", out, re.M) is not None


class Maker:
    def __init__(self, codex_bin, out_dir):
        self.bin, self.out = codex_bin, os.path.abspath(out_dir)
        self.home, self.work = os.path.join(self.out, "home"), os.path.join(self.out, "work")
        os.makedirs(self.home)
        os.makedirs(self.work)
        self.mock = MockModel(os.path.join(self.out, "mock-requests.jsonl")).__enter__()
        self.runs = []

    def close(self):
        self.mock.__exit__(None, None, None)

    def run(self, args, timeout=180):
        argv = [self.bin, *args]
        r = subprocess.run(argv, env=codex_env(self.home), capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL, cwd=self.work)
        self.runs.append({"argv": [os.path.basename(argv[0])] + argv[1:], "rc": r.returncode,
                          "stdoutTail": r.stdout[-2000:], "stderrTail": r.stderr[-2000:]})
        return r

    def exec_args(self):
        return [*self.mock.codex_args(), "--skip-git-repo-check", "-C", self.work, "--json"]

    @staticmethod
    def thread_id_from(stdout):
        for line in stdout.splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("type") == "thread.started":
                return ev.get("thread_id")
        return None

    def exec_new(self, prompt):
        r = self.run(["exec", *self.exec_args(), prompt])
        tid = self.thread_id_from(r.stdout)
        if r.returncode != 0 or not tid:
            raise SystemExit(f"codex exec failed (rc {r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
        return tid

    def exec_resume(self, tid, prompt):
        # exec's own options (-C, --json, -c ...) go before `resume`: `resume` itself refuses -C
        r = self.run(["exec", *self.exec_args(), "resume", tid, prompt])
        if r.returncode != 0:
            raise SystemExit(f"codex exec resume failed (rc {r.returncode}):\n{r.stderr[-3000:]}")
        return self.thread_id_from(r.stdout)

    def archive(self, tid):
        if has_subcommand(self.bin, "archive"):
            r = self.run(["archive", *self.mock.codex_args(), tid])
            return f"codex archive (rc {r.returncode})", r.returncode == 0
        with AppServer(self.bin, self.home, extra_args=self.mock.codex_args(), env=codex_env(self.home)) as s:
            res = s.call("thread/archive", {"threadId": tid})
        return f"app-server thread/archive -> {json.dumps(res)[:200]}", "error" not in res


def resume_sent_history(requests, first_prompt, first_reply_prefix, second_prompt):
    """Whether the request that carried second_prompt also carried the first turn's user and assistant text."""
    for req in requests:
        body = req.get("body")
        if not isinstance(body, dict) or req.get("path", "").split("?")[0].endswith("/responses") is False:
            continue
        text = json.dumps(body.get("input", []))
        if second_prompt in text:
            return {"firstPrompt": first_prompt in text, "firstReply": first_reply_prefix in text,
                    "inputItems": len(body.get("input", []))}
    return None


def make(codex_bin, out_dir, archive=True, tag=""):
    """tag: put before every prompt, so that another home's threads can be told from these by their text."""
    m = Maker(codex_bin, out_dir)
    threads = []
    try:
        p1 = tag + "thread one: say hello"
        t1 = m.exec_new(p1)
        threads.append({"name": "one", "id": t1, "prompts": [p1], "archived": False, "how": "exec"})

        p2a, p2b = tag + "thread two, turn one: remember the word PLUM", tag + "thread two, turn two: which word?"
        t2 = m.exec_new(p2a)
        t2b = m.exec_resume(t2, p2b)
        threads.append({"name": "two", "id": t2, "prompts": [p2a, p2b], "archived": False,
                        "how": "exec + exec resume", "resumeThreadStarted": t2b})

        if archive:
            p3 = tag + "thread three: to be archived"
            t3 = m.exec_new(p3)
            how, ok = m.archive(t3)
            threads.append({"name": "archived", "id": t3, "prompts": [p3], "archived": ok, "how": "exec + " + how})
    finally:
        m.close()
    reqs = m.mock.requests()
    # the mock numbers its replies from 1 in the order it answered; thread two's first reply is "mock reply 2"
    checks = {"resumeSentHistory": resume_sent_history(reqs, p2a, "mock reply 2: " + p2a[:20], p2b),
              "mockRequests": len(reqs)}
    manifest = {"version": version_of(codex_bin), "home": m.home, "work": m.work, "threads": threads,
                "runs": m.runs, "checks": checks}
    with open(os.path.join(m.out, "threads.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    isolate_network()
    manifest = make(sys.argv[1], sys.argv[2], archive="--no-archive" not in sys.argv)
    print(json.dumps({k: manifest[k] for k in ("version", "home", "threads", "checks")}, indent=1))


if __name__ == "__main__":
    main()
