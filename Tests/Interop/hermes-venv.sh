#!/usr/bin/env bash
# Prints the python of a venv holding the released hermes-agent VERSION and its pinned runtime
# dependencies, installing it once (cached-venv.sh).
set -euo pipefail
version=${1:?usage: hermes-venv.sh VERSION}
# Every release on the package index from 0.13.0 (the first with this store) to 0.19.0, patch releases too.
releases="0.13.0 0.14.0 0.15.0 0.15.1 0.15.2 0.16.0 0.17.0 0.18.0 0.18.1 0.18.2 0.19.0"
case " $releases " in *" $version "*) ;; *) echo "hermes-venv.sh: no released hermes-agent $version (one of: $releases)" >&2; exit 2 ;; esac
exec "$(dirname "$0")/cached-venv.sh" "hermes-agent-$version" "hermes-agent==$version"
