#!/usr/bin/env python3
"""A stand-in model for `codex exec` offline: the part of the OpenAI Responses API that one text turn needs.

POST /v1/responses answers an SSE stream:
  response.created -> response.output_item.added (assistant message) -> response.output_text.delta
  -> response.output_item.done (the whole message) -> response.completed (with usage)
Any other request gets a small JSON answer (GET /v1/models: an empty list; else 404) and is logged too.

Every request is appended to a JSONL log, one object per request:
  {"n": 1, "method": "POST", "path": "/v1/responses", "headers": {...}, "body": <JSON or text>}
so a test can check, for instance, that a resumed turn sent the whole earlier conversation in "input".

MOCK_DELAY_SECONDS (or MockModel(delay=...)) holds each /responses answer that long before sending it.

The reply's text is "mock reply N: <last user text>" (N counts POST /v1/responses from 1), so a turn's
answer can be told from another's on disk.

Usage as a program: mock_model.py LOG.jsonl  -> binds 127.0.0.1 on a free port, prints "PORT" on one line,
serves until killed (SIGTERM) or stdin closes if --until-stdin-eof.
Usage as a module: with MockModel(log_path) as m: m.port, m.base_url, m.requests()
"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _last_user_text(body):
    for item in reversed(body.get("input") or []):
        if isinstance(item, dict) and item.get("type") == "message" and item.get("role") == "user":
            for part in reversed(item.get("content") or []):
                if isinstance(part, dict) and part.get("type") == "input_text":
                    text = part.get("text", "")
                    # Codex puts its environment context and instructions in user messages too;
                    # the prompt is the last input_text that is not a <tag> block.
                    if not text.lstrip().startswith("<"):
                        return text
    return ""


def _sse(event):
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the JSONL log is the record
        pass

    def _record(self, body_bytes):
        server = self.server
        with server.lock:
            server.count += 1
            n = server.count
            try:
                body = json.loads(body_bytes) if body_bytes else None
            except ValueError:
                body = body_bytes.decode("utf-8", "replace")
            entry = {"n": n, "time": time.time(), "method": self.command, "path": self.path,
                     "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"},
                     "authorization_present": "authorization" in {k.lower() for k in self.headers.keys()},
                     "body": body}
            with open(server.log_path, "a") as f:
                f.write(json.dumps(entry) + "\n")
            return n, body

    def _read_body(self):
        length = int(self.headers.get("content-length") or 0)
        data = self.rfile.read(length) if length else b""
        enc = (self.headers.get("content-encoding") or "").lower()
        if enc == "zstd":
            import subprocess
            data = subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
        elif enc == "gzip":
            import gzip
            data = gzip.decompress(data)
        return data

    def _json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._record(b"")
        if self.path.split("?")[0].rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [], "models": []})
        else:
            self._json(404, {"error": {"message": "not in the mock", "type": "not_found"}})

    def do_POST(self):
        n, body = self._record(self._read_body())
        if not self.path.split("?")[0].endswith("/responses"):
            self._json(404, {"error": {"message": "not in the mock", "type": "not_found"}})
            return
        self.server.responses += 1
        k = self.server.responses
        prompt = _last_user_text(body if isinstance(body, dict) else {})
        text = f"mock reply {k}: {prompt[:80]}"
        resp_id, msg_id = f"resp_mock_{k}", f"msg_mock_{k}"
        message = {"type": "message", "role": "assistant", "id": msg_id, "status": "completed",
                   "content": [{"type": "output_text", "text": text, "annotations": []}]}
        added = dict(message, status="in_progress", content=[])
        n_in = len(json.dumps(body.get("input", []))) // 4 if isinstance(body, dict) else 0
        usage = {"input_tokens": n_in, "input_tokens_details": {"cached_tokens": 0},
                 "output_tokens": len(text) // 4 + 1, "output_tokens_details": {"reasoning_tokens": 0},
                 "total_tokens": n_in + len(text) // 4 + 1}
        events = [
            {"type": "response.created", "response": {"id": resp_id, "status": "in_progress"}},
            {"type": "response.output_item.added", "output_index": 0, "item": added},
            {"type": "response.output_text.delta", "output_index": 0, "content_index": 0,
             "item_id": msg_id, "delta": text},
            {"type": "response.output_item.done", "output_index": 0, "item": message},
            {"type": "response.completed", "response": {"id": resp_id, "status": "completed",
                                                        "output": [message], "usage": usage}},
        ]
        if self.server.delay:
            # hold the turn open (a test looks at CODEX_HOME while codex is mid-turn)
            time.sleep(self.server.delay)
        payload = b"".join(_sse(e) for e in events)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


class MockModel:
    def __init__(self, log_path, delay=0.0):
        self.log_path = os.path.abspath(log_path)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.log_path = self.log_path
        self.server.lock = threading.Lock()
        self.server.count = 0
        self.server.responses = 0
        self.server.delay = float(delay or os.environ.get("MOCK_DELAY_SECONDS") or 0)
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def requests(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def codex_args(self):
        """The -c overrides that point codex at this mock (see the brief in Docs/CODEX-FORMAT.md)."""
        return codex_config_args(self.base_url)


def codex_config_args(base_url):
    """Points codex at the mock, and turns off what would reach past loopback: the plugin marketplace
    sync (both pinned versions run `git ls-remote https://github.com/openai/plugins...` at start-up with
    plugins on), apps, the update check, and the OTLP metrics export (both versions resolve ab.chatgpt.com,
    https://ab.chatgpt.com/otlp/v1/metrics, at every CLI start unless analytics.enabled=false; under
    `unshare -n` that lookup failed only after glibc's 2 x 2.5 s retries, which made every `exec`, `doctor`
    and `migrate-rollouts` take 5 s)."""
    return ["-c", f"model_providers.mock.base_url={base_url}",
            "-c", "model_providers.mock.wire_api=responses",
            "-c", "model_providers.mock.env_key=MOCK_KEY",
            "-c", "model_providers.mock.name=mock",
            "-c", "model_provider=mock",
            "-c", "model=mock-model",
            "-c", "features.plugins=false",
            "-c", "features.remote_plugin=false",
            "-c", "features.apps=false",
            "-c", "check_for_update_on_startup=false",
            "-c", "analytics.enabled=false"]


ISOLATED_ENV = "TRANSCRIPT_FSCK_CODEX_NETNS"


def isolate_network():
    """Re-runs this program in a network namespace of its own with only loopback up, so neither codex nor the mock
    can reach past 127.0.0.1 whatever codex tries: `unshare -n` as root, else `unshare -r -n` (a user namespace,
    where the kernel lets users make them). A no-op when already isolated, or when unshare is missing or not
    allowed (then the -c overrides above are the only guard, and isolated() says so)."""
    import shutil
    if os.environ.get(ISOLATED_ENV) or os.environ.get("TRANSCRIPT_FSCK_CODEX_NO_NETNS"):
        return
    if not shutil.which("unshare") or not shutil.which("ip"):
        return
    import subprocess
    flags = ["-n"] if os.geteuid() == 0 else ["-r", "-n"]
    probe = subprocess.run(["unshare", *flags, "ip", "link", "set", "lo", "up"], capture_output=True)
    if probe.returncode != 0:
        return
    os.environ[ISOLATED_ENV] = "1"
    os.execvp("unshare", ["unshare", *flags, "sh", "-c", 'ip link set lo up && exec "$@"', "sh",
                          sys.executable, *sys.argv])


def isolated():
    """Whether this program runs in the loopback-only network namespace isolate_network() makes."""
    return bool(os.environ.get(ISOLATED_ENV))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with MockModel(sys.argv[1]) as m:
        print(m.port, flush=True)
        if "--until-stdin-eof" in sys.argv:
            sys.stdin.read()
        else:
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
