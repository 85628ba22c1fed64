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
cd "$(dirname "$0")/.."
root=$(pwd)
selenium_version=4.51.0  # 4.52.0 needs a newer certifi than the package mirror has

# ---- what the browser needs, only if missing ----------------------------------------------------
packages=(chromium chromium-driver fonts-wqy-zenhei)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "browser-tests: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
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

# ---- the server, stopped and removed on any exit ------------------------------------------------
workdir=$(mktemp -d "${TMPDIR:-/tmp}/shenguan-browser.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
"$binary" serve --demo --db "$workdir/db.sqlite" --port "$port" --host 127.0.0.1 --public-url "$base" >"$workdir/server.log" 2>&1 &
server_pid=$!
echo "browser-tests: starting $binary on $base (the demo data loads first)"
deadline=$((SECONDS + 180))
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/healthz" >/dev/null 2>&1; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "browser-tests: the server exited; its log:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "browser-tests: /healthz did not answer within 180 s; server log:" >&2
    tail -50 "$workdir/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "browser-tests: server ready after $((SECONDS - started)) s"

# ---- the tests ----------------------------------------------------------------------------------
screenshots="$root/Tests/Browser/screenshots"
rm -rf "$screenshots"
mkdir -p "$screenshots"
status=0
SHENGUAN_BASE_URL="$base" SHENGUAN_SCREENSHOTS="$screenshots" python3 "$root/Tests/Browser/test_journeys.py" || status=$?
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "browser-tests: the server died during the run; its log:" >&2
  tail -50 "$workdir/server.log" >&2
  status=1
elif [ $status -ne 0 ]; then
  echo "browser-tests: the server's log, last lines:" >&2
  tail -20 "$workdir/server.log" >&2
fi
echo "browser-tests: screenshots in Tests/Browser/screenshots/ ($((SECONDS - started)) s in all)"
exit $status
