#!/usr/bin/env bash
# Prints the python of a venv holding the released hermes-agent VERSION and its pinned runtime
# dependencies, installing it once. The venv lives outside the clone so that CI's fresh clones
# and every test run reuse it: TRANSCRIPT_FSCK_CACHE, else ~/.cache/transcript-fsck.
set -euo pipefail
version=${1:?usage: hermes-venv.sh VERSION}
case "$version" in 0.1[3-9].0) ;; *) echo "hermes-venv.sh: no pinned hermes-agent $version (0.13.0 to 0.19.0)" >&2; exit 2 ;; esac
cache=${TRANSCRIPT_FSCK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/transcript-fsck}
venv="$cache/hermes-agent-$version"
if [ ! -f "$venv/.complete" ]; then
    mkdir -p "$cache"
    # One installer at a time: parallel tests ask for the same venv.
    exec 9>"$cache/.install.lock"
    flock 9
    if [ ! -f "$venv/.complete" ]; then
        echo "installing hermes-agent==$version into $venv (once)" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "hermes-agent==$version" >&2
        touch "$venv/.complete"
    fi
fi
echo "$venv/bin/python"
