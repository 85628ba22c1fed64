#!/usr/bin/env bash
# Issue 13's acceptance in a real browser: Debian's headless Chromium driven by Selenium (PyPI)
# through Tests/Browser/test_journeys.py, against `shenguan serve --demo` on a free local port
# with a throwaway database. The clerk, two reviewers and the issuer act in the console; an
# inspector opens the certificate's QR page in a 375-pixel-wide window and records an inspection;
# the firm sees it on its timeline; a form posted without its CSRF token is refused (403). Each
# main page is saved at desktop and phone widths under Tests/Browser/screenshots/ (failures, with
# the page's HTML, under its failures/), and no page may be wider than a 375-pixel window.
#
#   Scripts/browser-tests.sh [SHENGUAN_BINARY]     (default: a debug build, swift build --product shenguan)
#
# Safe to run again: it installs chromium, chromium-driver, the CJK font and Selenium only when
# missing, and stops the server and removes its database on any exit.
set -euo pipefail
LOAD_NAME=browser-tests
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root; the server's lifecycle
selenium_version=4.51.0  # 4.52.0 needs a newer certifi than the package mirror has

# ---- what the browser needs, only if missing ----------------------------------------------------
install_missing_packages "$LOAD_NAME" chromium chromium-driver fonts-wqy-zenhei
command -v python3 >/dev/null 2>&1 || { echo "browser-tests: python3 is needed" >&2; exit 2; }
if ! python3 -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
  echo "browser-tests: installing selenium $selenium_version"
  python3 -m pip install --quiet --disable-pip-version-check "selenium==$selenium_version"
fi

# ---- the binary: given, or the debug build ------------------------------------------------------
if [ $# -ge 1 ]; then
  binary=$1
  case $binary in /*) ;; *) binary="$root/$binary" ;; esac
else
  echo "browser-tests: building shenguan (swift build --product shenguan)"
  swift build --product shenguan
  binary="$root/.build/debug/shenguan"
fi
[ -x "$binary" ] || { echo "browser-tests: no executable at $binary" >&2; exit 2; }

# ---- the server (--demo, a throwaway database), stopped and removed on any exit ------------------
started=$SECONDS
load_workdir
load_start_server
echo "browser-tests: server ready after $((SECONDS - started)) s"

# ---- the tests ----------------------------------------------------------------------------------
screenshots="$root/Tests/Browser/screenshots"
rm -rf "$screenshots"
mkdir -p "$screenshots"
status=0
SHENGUAN_BASE_URL="$base" SHENGUAN_SCREENSHOTS="$screenshots" python3 "$root/Tests/Browser/test_journeys.py" || status=$?
load_server_alive
if [ $status -ne 0 ]; then
  echo "browser-tests: the server's log, last lines:" >&2
  tail -20 "$workdir/server.log" >&2
fi
echo "browser-tests: screenshots in Tests/Browser/screenshots/ ($((SECONDS - started)) s in all)"
exit $status
