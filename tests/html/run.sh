#!/usr/bin/env bash
# The HTML report in a real browser: Debian's /usr/bin/chromium, driven by playwright-core under
# node's own test runner. Usage: run.sh [HOSTBENCH_BIN [HOSTBENCH_SRC]] (or set them in the
# environment); HOSTBENCH_ARTIFACTS (default /tmp) receives the screenshots.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export HOSTBENCH_BIN=${1:-${HOSTBENCH_BIN:?usage: run.sh HOSTBENCH_BIN [HOSTBENCH_SRC]}}
export HOSTBENCH_SRC=${2:-${HOSTBENCH_SRC:-$(cd "$here/../.." && pwd)}}
export HOSTBENCH_ARTIFACTS=${HOSTBENCH_ARTIFACTS:-/tmp}
for tool in node npm /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (packaging/install-deps.sh --test)" >&2; exit 1; }
done
cd "$here"
# playwright-core pinned in package-lock.json; it downloads no browser of its own. ctest runs the
# two browser tests at once: `npm ci` empties node_modules first, so one run installing while the
# other imports failed on a clean checkout. Installs are serialised with flock, and a marker written
# after a complete install is what counts.
exec 9>"$here/.npm-install.lock"
flock 9
if [ ! -f node_modules/.hostbench-installed ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  touch node_modules/.hostbench-installed
fi
flock -u 9
exec 9>&-
# HOSTBENCH_HTML_TEST picks one test file (ctest's html.fleet_chromium runs fleet_html.test.mjs).
exec node --test "${HOSTBENCH_HTML_TEST:-html_report.test.mjs}"
