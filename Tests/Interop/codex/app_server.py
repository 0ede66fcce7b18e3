#!/usr/bin/env python3
"""A small client for `codex app-server` (JSON-RPC 2.0, one JSON object per line over stdio).

Usage: app_server.py CODEX_BIN CODEX_HOME [--no-turns] [--archived]
Prints one JSON object: what codex itself says about every thread in CODEX_HOME:
  {"version": ..., "list": {"stateDbOnly": [...], "scan": [...], "archivedStateDbOnly": [...], "archivedScan": [...]},
   "threads": {ID: {"read": ..., "readTurns": ..., "turns": [...] or {"error": ...}}}}

The order matters and is kept: thread/list with useStateDbOnly=true first (the index as it is on disk), then
useStateDbOnly=false (which scans rollouts and repairs the index), then reads. Pass --only-db-list to stop
after the first list (to see the index untouched by a scan).

As a module: with AppServer(bin, home) as s: s.request("thread/list", {...})
Protocol facts used (from `codex app-server generate-json-schema --experimental`, 0.163.0 and 0.133.0):
  initialize {clientInfo:{name,version}, capabilities:{experimentalApi:true}}, then the `initialized` notification;
  thread/list {useStateDbOnly, archived, sourceKinds, limit, cursor} -> {data:[Thread], nextCursor};
  sourceKinds defaults to interactive sources only, so exec threads need "exec" named; modelProviders
  defaults to the configured provider only ([] means all), so threads made with the mock need [];
  thread/read {threadId, includeTurns}; thread/turns/list {threadId, cursor, limit, sortDirection, itemsView};
  items: thread/items/list (0.163.0) or thread/turns/items/list (0.133.0).
"""
import json, os, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ALL_SOURCE_KINDS = ["cli", "vscode", "exec", "appServer", "subAgent", "subAgentReview", "subAgentCompact",
                    "subAgentThreadSpawn", "subAgentOther", "unknown"]


class RpcError(Exception):
    def __init__(self, error):
        super().__init__(json.dumps(error))
        self.error = error


class AppServer:
    def __init__(self, codex_bin, codex_home, extra_args=(), env=None, timeout=60):
        self.codex_bin, self.codex_home, self.timeout = codex_bin, codex_home, timeout
        self.extra_args = list(extra_args)
        self.env = dict(os.environ if env is None else env, CODEX_HOME=codex_home)
        self.env.setdefault("MOCK_KEY", "dummy")
        self.next_id = 0
        self.responses = {}
        self.notifications = []
        self.stderr_lines = []
        self.cond = threading.Condition()

    def __enter__(self):
        self.proc = subprocess.Popen([self.codex_bin, "app-server", *self.extra_args], env=self.env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.init_result = self.request("initialize", {
            "clientInfo": {"name": "transcript-fsck-interop", "title": None, "version": "0.0.1"},
            "capabilities": {"experimentalApi": True}})
        self.notify("initialized")
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        return self.proc.returncode

    def _read_stdout(self):
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                self.stderr_lines.append("stdout-not-json: " + line)
                continue
            with self.cond:
                if "id" in msg and ("result" in msg or "error" in msg):
                    self.responses[msg["id"]] = msg
                elif "id" in msg and "method" in msg:
                    # a server request (approval etc.): refuse it so nothing waits on us
                    self._send({"jsonrpc": "2.0", "id": msg["id"],
                                "error": {"code": -32601, "message": "not supported by this client"}})
                    self.notifications.append(msg)
                else:
                    self.notifications.append(msg)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.rstrip("\n"))

    def _send(self, msg):
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self._send(msg)

    def request(self, method, params=None):
        self.next_id += 1
        rid = self.next_id
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self._send(msg)
        deadline = time.time() + self.timeout
        with self.cond:
            while rid not in self.responses:
                if self.proc.poll() is not None and rid not in self.responses:
                    raise RpcError({"code": "exited", "message": f"app-server exited {self.proc.returncode}",
                                    "stderr": self.stderr_lines[-20:]})
                left = deadline - time.time()
                if left <= 0:
                    raise RpcError({"code": "timeout", "message": f"{method} took over {self.timeout}s"})
                self.cond.wait(min(left, 0.5))
            msg = self.responses.pop(rid)
        if "error" in msg:
            raise RpcError(msg["error"])
        return msg["result"]

    def call(self, method, params=None):
        """request(), but an error comes back as {"error": ...} instead of raising."""
        try:
            return self.request(method, params)
        except RpcError as e:
            return {"error": e.error}

    # --- views ---
    def paged(self, method, params):
        """Every page of a list method, following nextCursor; the error, if a page fails."""
        out, cursor = [], None
        for _ in range(100):
            res = self.call(method, {**params, "cursor": cursor} if cursor else params)
            if "error" in res:
                return res
            out.extend(res.get("data", []))
            cursor = res.get("nextCursor")
            if not cursor:
                break
        return out

    def list_threads(self, state_db_only, archived=False, limit=100):
        return self.paged("thread/list", {"useStateDbOnly": state_db_only, "archived": archived,
                                          "sourceKinds": ALL_SOURCE_KINDS, "modelProviders": [], "limit": limit})

    def list_turns(self, thread_id, limit=50):
        return self.paged("thread/turns/list", {"threadId": thread_id, "limit": limit, "sortDirection": "asc",
                                                "itemsView": "full"})


def summary_of_thread(t):
    """The fields of a Thread that the interop checks compare (the rest is printed in full by main)."""
    keys = ("id", "path", "status", "createdAt", "updatedAt", "preview", "modelProvider", "source", "name",
            "cwd", "cliVersion", "archived", "historyMode", "turnCount")
    return {k: t.get(k) for k in keys if k in t}


def quiet_args():
    """The mock provider's -c overrides with a loopback port nothing listens on: listing and reading
    threads needs no model, and the overrides also keep the plugin sync and update check off."""
    from mock_model import codex_config_args
    return codex_config_args("http://127.0.0.1:9/v1")


def views(codex_bin, codex_home, only_db_list=False, with_turns=True, extra_args=None):
    result = {"list": {}, "threads": {}}
    with AppServer(codex_bin, codex_home, extra_args=quiet_args() if extra_args is None else extra_args) as s:
        result["serverInfo"] = s.init_result
        result["list"]["stateDbOnly"] = s.list_threads(True)
        result["list"]["archivedStateDbOnly"] = s.list_threads(True, archived=True)
        if not only_db_list:
            result["list"]["scan"] = s.list_threads(False)
            result["list"]["archivedScan"] = s.list_threads(False, archived=True)
            ids = []
            for key in ("stateDbOnly", "archivedStateDbOnly", "scan", "archivedScan"):
                if isinstance(result["list"][key], list):
                    for t in result["list"][key]:
                        if t.get("id") not in ids:
                            ids.append(t.get("id"))
            for tid in ids:
                entry = {"read": s.call("thread/read", {"threadId": tid, "includeTurns": False})}
                if with_turns:
                    entry["readTurns"] = s.call("thread/read", {"threadId": tid, "includeTurns": True})
                    entry["turns"] = s.list_turns(tid)
                result["threads"][tid] = entry
        result["stderrTail"] = s.stderr_lines[-30:]
    return result


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    from mock_model import isolate_network
    isolate_network()
    codex_bin, home = sys.argv[1], sys.argv[2]
    print(json.dumps(views(codex_bin, home, only_db_list="--only-db-list" in sys.argv,
                           with_turns="--no-turns" not in sys.argv), indent=1))


if __name__ == "__main__":
    main()
