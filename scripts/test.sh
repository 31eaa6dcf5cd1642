#!/usr/bin/env bash
# The whole check, as `make test` runs it (and CI through .ci/run):
#   1. Debian packages the suite needs (PostgreSQL, Chromium, Pango, espeak-ng…) when missing
#      and we are root (scripts/system-deps.sh);
#   2. the test suite once, with storage and web tests parametrized over SQLite AND a real
#      PostgreSQL (a throwaway cluster on loopback from scripts/postgres.sh);
#   3. ruff and mypy;
#   4. the validation gate on real annotated meetings when ../shared/datasets exists:
#      `coachloop validate --check docs/validation.json` fails on a regression.
# Extra pytest arguments are passed through: `bash scripts/test.sh -k readers`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=$VENV/bin/python
export PYTHONDONTWRITEBYTECODE=1

bash scripts/system-deps.sh

run_pytest() {
    local status=0
    "$PY" -m pytest -q -p no:cacheprovider "$@" || status=$?
    if [ "$status" -eq 5 ]; then
        echo "pytest collected no tests" >&2
    fi
    return "$status"
}

echo "== pytest (SQLite and PostgreSQL)"
if [ "${CI:-}" = "true" ] || [ -n "${COACHLOOP_TEST_POSTGRES:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export -f run_pytest
    export PY
    bash scripts/postgres.sh bash -c 'run_pytest "$@"' run_pytest "$@"
else
    echo "(PostgreSQL not installed: its test variants are skipped; CI runs them)" >&2
    run_pytest "$@"
fi

echo "== ruff"
$VENV/bin/ruff check coachloop tests bench scripts
echo "== mypy"
$VENV/bin/mypy
echo "== dependency audit (pip-audit; says NOT AUDITED when the service is unreachable)"
bash scripts/audit.sh

DATASETS=../shared/datasets
if [ -d "$DATASETS" ] && [ -f docs/validation.json ]; then
    echo "== validation gate (test splits of $DATASETS)"
    $VENV/bin/coachloop validate --datasets "$DATASETS" --check docs/validation.json
fi
echo "== all checks passed"
