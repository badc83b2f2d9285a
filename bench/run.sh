#!/usr/bin/env bash
# pagefeed's benchmarks against the parser's limit and against peers, in one run.
# Usage: bench/run.sh [--only extract,peers,pipeline,startup] [--limit N] [--json FILE]
# See bench/bench.py --help. Needs cargo, python3, node/npm (for the Readability peer).
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
