#!/usr/bin/env bash
# Prints the python of the venv NAME holding the pinned REQUIREMENTS, installing it once. Venvs live outside the clone,
# so that CI's fresh clones and every test run reuse them (and nothing goes into the system's Python):
# TRANSCRIPT_FSCK_CACHE, else ~/.cache/transcript-fsck.
#   Tests/Interop/cached-venv.sh NAME REQUIREMENT...
set -euo pipefail
name=${1:?usage: cached-venv.sh NAME REQUIREMENT...}
shift
cache=${TRANSCRIPT_FSCK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/transcript-fsck}
venv="$cache/$name"
if [ ! -f "$venv/.complete" ]; then
    mkdir -p "$cache"
    # One installer at a time: parallel tests ask for the same venv.
    exec 9>"$cache/.install.lock"
    flock 9
    if [ ! -f "$venv/.complete" ]; then
        echo "installing $* into $venv (once; needs the package index)" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >&2
        touch "$venv/.complete"
    fi
fi
echo "$venv/bin/python"
