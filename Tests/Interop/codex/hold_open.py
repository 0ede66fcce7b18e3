#!/usr/bin/env python3
"""Holds a codex home open as a running codex does: starts `codex app-server` on it, lists its threads (which opens
the databases), writes READY_FILE, and keeps it running until its own standard input closes.

Usage: hold_open.py CODEX_BIN CODEX_HOME READY_FILE"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from app_server import AppServer, quiet_args  # noqa: E402
from make_threads import codex_env  # noqa: E402
from mock_model import isolate_network  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    isolate_network()
    codex_bin, home, ready = sys.argv[1:]
    with AppServer(codex_bin, home, extra_args=quiet_args(), env=codex_env(home)) as server:
        server.list_threads(True)
        with open(ready, "w") as flag:
            flag.write(str(server.proc.pid))
        sys.stdin.read()


if __name__ == "__main__":
    main()
