#!/usr/bin/env bash
# Prints the python of the venv holding what the tests check reports with: Prometheus' own text-format parser.
set -euo pipefail
exec "$(dirname "$0")/cached-venv.sh" test-tools-1 "prometheus-client==0.26.0"
