#!/usr/bin/env bash
# Prints the python of a venv holding the released hermes-agent VERSION and its pinned runtime
# dependencies, installing it once. The venv lives outside the clone so that CI's fresh clones
# and every test run reuse it: TRANSCRIPT_FSCK_CACHE, else ~/.cache/transcript-fsck.
set -euo pipefail
version=${1:?usage: hermes-venv.sh VERSION}
# Every release on the package index from 0.13.0 (the first with this store) to 0.19.0, patch releases too.
releases="0.13.0 0.14.0 0.15.0 0.15.1 0.15.2 0.16.0 0.17.0 0.18.0 0.18.1 0.18.2 0.19.0"
case " $releases " in *" $version "*) ;; *) echo "hermes-venv.sh: no released hermes-agent $version (one of: $releases)" >&2; exit 2 ;; esac
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
