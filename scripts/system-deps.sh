#!/usr/bin/env bash
# Install the Debian packages that parts of the test suite need, when missing:
#   postgresql         the second database backend (tests run on SQLite and PostgreSQL)
#   chromium           the real browser for the dashboard tests (driven by Playwright)
#   libpango*          WeasyPrint's text layout, for PDF reports
#   fonts-dejavu-core  a font for reports and screenshots
#   espeak-ng          speaks the scripted 1:1s the audio tests transcribe
# Only as root (CI and the project's machines); elsewhere it says what to install.
set -euo pipefail
need=()
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
