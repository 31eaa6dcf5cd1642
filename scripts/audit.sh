#!/usr/bin/env bash
# Dependency audit: every locked requirement (uv.lock, without coachloop itself) checked
# against a vulnerability database with pip-audit.
#
#   bash scripts/audit.sh                 # PyPI's vulnerability data (the default)
#   AUDIT_SERVICE=osv bash scripts/audit.sh
#
# Exit 1 when a known vulnerability is found in a package that could be audited.
# Always prints how many packages were audited and how many were skipped. When none
# could be audited (the vulnerability service is unreachable, or answers 404 for every
# package, as in a sandbox without PyPI's JSON API) it says so and exits 0: the log says
# "NOT AUDITED", never "no vulnerabilities".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
UV=${UV:-.tools/bin/uv}
[ -x "$UV" ] || UV=uv
PIP_AUDIT=${PIP_AUDIT:-.venv/bin/pip-audit}
SERVICE=${AUDIT_SERVICE:-pypi}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$UV" export --frozen --format requirements-txt --no-hashes --no-emit-project >"$TMP/requirements.txt"
status=0
timeout "${AUDIT_TIMEOUT:-600}" "$PIP_AUDIT" -r "$TMP/requirements.txt" --disable-pip --no-deps \
    --vulnerability-service "$SERVICE" --progress-spinner off -f json -o "$TMP/audit.json" \
    2>"$TMP/stderr" || status=$?

"$PY" - "$TMP/requirements.txt" "$TMP/audit.json" "$TMP/stderr" "$status" "$SERVICE" <<'EOF'
import json
import re
import sys
from pathlib import Path

req, out, err, status, service = sys.argv[1:]
pinned = {
    m.group(1).lower()
    for line in Path(req).read_text().splitlines()
    if (m := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line))
}
try:
    deps = json.loads(Path(out).read_text())["dependencies"]
except (OSError, ValueError, KeyError):
    tail = Path(err).read_text(errors="replace").strip().splitlines()[-3:]
    print(f"dependency audit: NOT AUDITED - pip-audit exited {status} without a report "
          f"(vulnerability service '{service}' unreachable?)")
    for line in tail:
        print(f"  {line}")
    print(f"  0 of {len(pinned)} locked packages audited")
    sys.exit(0)

skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
vulnerable = [d for d in audited if d.get("vulns")]
print(f"dependency audit ({service}): {len(audited)} of {len(deps)} locked packages audited, "
      f"{len(skipped)} skipped")
if skipped:
    reasons: dict[str, int] = {}
    for d in skipped:
        reason = re.sub(r": [^:]*$", "", d["skip_reason"])  # drop the package name
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"  skipped {n}: {reason}")
for d in vulnerable:
    for v in d["vulns"]:
        fix = ", ".join(v.get("fix_versions") or []) or "no fixed version"
        print(f"  VULNERABLE {d['name']} {d.get('version', '?')}: {v.get('id')} (fixed in: {fix})")
if vulnerable:
    print(f"dependency audit: FAILED - {len(vulnerable)} vulnerable package(s)")
    sys.exit(1)
if not audited:
    print("dependency audit: NOT AUDITED - no package could be checked (vulnerability "
          "service unreachable or without data here); this is not a clean audit")
elif skipped:
    print(f"dependency audit: no known vulnerabilities in the {len(audited)} audited "
          f"packages; {len(skipped)} were NOT audited")
else:
    print("dependency audit: no known vulnerabilities in any locked package")
EOF
