#!/usr/bin/env bash
# Load test of the QR check: how many `GET /v/<jws>` (signature + live status from the register,
# JSON answer) the service answers per second, against `GET /healthz` (one `SELECT 1`) on the same
# server in the same run. The goal: verification at no less than half the rate of /healthz.
#
#   Scripts/load-verify.sh [SHENGUAN_BINARY]     (default: a release build, made here when missing)
#
# It starts `shenguan serve --demo` on a free loopback port with a throwaway database (from the
# repository root: the server reads Modules/, Templates/, SampleProjects/ and openapi.yaml from
# there), waits for /healthz, logs in as the demo `issuer`, takes the QR of an issued certificate,
# checks that it verifies, then runs wrk against both routes and prints requests/s, p99 latency, the
# server's CPU time per request (from /proc, so it shows what one request costs even when wrk and
# the server share the cores) and the ratio verify/healthz. Only 127.0.0.1 is ever contacted. The
# server is stopped on exit.
#
# Environment:
#   LOAD_DURATION      seconds per wrk run (default 10, at most 10)
#   LOAD_CONNECTIONS   wrk connections (default 64)
#   LOAD_THREADS       wrk threads (default 2)
#   LOAD_ROUNDS        healthz-then-verify rounds (default 1); each round prints its own ratio
#
# Release build used when no binary is given (its own scratch path, so it never waits on the lock
# of the debug build in .build):
#   swift build -c release --product shenguan --scratch-path .build-release
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

duration=${LOAD_DURATION:-10}
connections=${LOAD_CONNECTIONS:-64}
threads=${LOAD_THREADS:-2}
rounds=${LOAD_ROUNDS:-1}
case $duration in ''|*[!0-9]*) echo "load-verify: LOAD_DURATION must be whole seconds" >&2; exit 2 ;; esac
[ "$duration" -ge 1 ] && [ "$duration" -le 10 ] || { echo "load-verify: LOAD_DURATION must be 1–10 s" >&2; exit 2; }
case $rounds in ''|*[!0-9]*|0) echo "load-verify: LOAD_ROUNDS must be a positive whole number" >&2; exit 2 ;; esac
[ "$rounds" -le 5 ] || { echo "load-verify: LOAD_ROUNDS is at most 5" >&2; exit 2; }

# ---- wrk, only if missing -----------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "load-verify: installing wrk"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
command -v python3 >/dev/null 2>&1 || { echo "load-verify: python3 is needed (JSON and the HTTP set-up calls)" >&2; exit 2; }

workdir=$(mktemp -d "${TMPDIR:-/tmp}/shenguan-load.XXXXXX")
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

# ---- the binary: given, or a release build ------------------------------------------------------
if [ $# -ge 1 ]; then
  binary=$1
  case $binary in /*) ;; *) binary="$root/$binary" ;; esac
else
  echo "load-verify: building shenguan (swift build -c release --product shenguan --scratch-path .build-release)"
  if ! swift build -c release --product shenguan --scratch-path "$root/.build-release" >"$workdir/build.log" 2>&1; then
    echo "load-verify: the release build failed:" >&2
    grep -E "error:" "$workdir/build.log" >&2 || tail -30 "$workdir/build.log" >&2
    exit 1
  fi
  binary="$root/.build-release/release/shenguan"
fi
[ -x "$binary" ] || { echo "load-verify: no executable at $binary" >&2; exit 2; }

# ---- the server ---------------------------------------------------------------------------------

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"

"$binary" serve --demo --db "$workdir/db.sqlite" --port "$port" --host 127.0.0.1 --public-url "$base" >"$workdir/server.log" 2>&1 &
server_pid=$!

echo "load-verify: starting $binary on $base"
deadline=$((SECONDS + 90))
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/healthz" >/dev/null 2>&1; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "load-verify: the server exited; its log:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "load-verify: /healthz did not answer within 90 s; server log:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  sleep 0.5
done

# ---- an issued certificate's QR -----------------------------------------------------------------
# Logs in as the demo issuer, takes the first issued application's first certificate, checks that
# its QR verifies as valid through the same request wrk will send, and prints the path /v/<jws>.
verify_path=$(python3 - "$base" <<'PY'
import json, sys, urllib.parse, urllib.request, urllib.error
base = sys.argv[1]

def call(method, path, body=None, token=None, accept="application/json"):
    headers = {"Accept": accept}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        sys.exit(f"load-verify: {method} {path}: HTTP {error.code} {error.read().decode(errors='replace')[:300]}")

_, session = call("POST", "/api/v1/auth/login", json.dumps({"username": "issuer", "password": "Demo-2026!"}).encode())
token = session["token"]
_, issued = call("GET", "/api/v1/applications?status=issued", token=token)
qr = None
for application in issued:
    _, full = call("GET", f"/api/v1/applications/{urllib.parse.quote(application['id'])}", token=token)
    certificates = full.get("certificates") or []
    if certificates:
        qr = certificates[0]["qr"]
        break
if qr is None:
    sys.exit("load-verify: no issued application with a certificate in the demo data")
path = urllib.parse.urlsplit(qr).path
if not path.startswith("/v/"):
    sys.exit(f"load-verify: unexpected QR text {qr}")
status, verification = call("GET", path)
if status != 200 or verification.get("valid") is not True:
    sys.exit(f"load-verify: the certificate's QR does not verify as valid: {json.dumps(verification, ensure_ascii=False)[:300]}")
number = (verification.get("certificate") or {}).get("number", "?")
sys.stderr.write(f"load-verify: certificate {number}, QR path {len(path)} characters, verifies as valid\n")
print(path)
PY
)

# ---- wrk ----------------------------------------------------------------------------------------
clock_ticks=$(getconf CLK_TCK)
# The server's CPU time so far (user + system, fields 14 and 15 of /proc/PID/stat), in clock ticks;
# read after the ")" that ends the command name.
server_ticks() { sed 's/.*) //' "/proc/$server_pid/stat" | awk '{ print $12 + $13 }'; }

# run NAME URL [WRK OPTIONS]: one wrk run; prints
# "requests/s p99-ms non-2xx-count socket-errors(0|1) server-CPU-μs-per-request".
run() {
  local name=$1 url=$2 output before after
  shift 2
  before=$(server_ticks)
  output=$(timeout $((duration + 20)) wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$url")
  after=$(server_ticks)
  printf '%s\n' "$output" >"$workdir/wrk-$name.txt"
  python3 - "$workdir/wrk-$name.txt" "$((after - before))" "$clock_ticks" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ticks, per_second = int(sys.argv[2]), int(sys.argv[3])
rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
total = re.search(r"^\s*(\d+) requests in", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
if not rps or not p99 or not total:
    sys.exit("load-verify: cannot read wrk's output:\n" + text)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
cpu = ticks / per_second * 1e6 / max(int(total.group(1)), 1)
print(f"{float(rps.group(1)):.0f} {float(p99.group(1)) * scale:.2f} {non2xx.group(1) if non2xx else 0} {1 if errors else 0} {cpu:.0f}")
PY
}

echo "load-verify: wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid"
printf '%-7s %-8s %12s %10s %8s %22s\n' round route requests/s "p99 (ms)" non-2xx "server CPU/request (μs)"
status=0
ratios=()
for round in $(seq "$rounds"); do
  health=$(run "healthz-$round" "$base/healthz") || exit 1
  verify=$(run "verify-$round" "$base$verify_path" -H "Accept: application/json") || exit 1
  read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
  read -r verify_rps verify_p99 verify_bad _ verify_cpu <<<"$verify"
  printf '%-7s %-8s %12s %10s %8s %22s\n' "$round" healthz "$health_rps" "$health_p99" "$health_bad" "$health_cpu"
  printf '%-7s %-8s %12s %10s %8s %22s\n' "$round" verify "$verify_rps" "$verify_p99" "$verify_bad" "$verify_cpu"
  for name in healthz verify; do
    if grep -q "Socket errors" "$workdir/wrk-$name-$round.txt"; then
      echo "load-verify: $name: $(grep 'Socket errors' "$workdir/wrk-$name-$round.txt" | sed 's/^ *//')" >&2
    fi
  done
  if [ "$health_bad" != 0 ] || [ "$verify_bad" != 0 ]; then
    echo "load-verify: round $round had non-2xx answers (healthz $health_bad, verify $verify_bad)" >&2
    status=1
  fi
  ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1):.2f}")' "$verify_rps" "$health_rps")
  ratios+=("$ratio")
  echo "load-verify: round $round: verify/healthz = $ratio (goal ≥ 0.5)"
done
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "load-verify: the server died during the run; its log:" >&2
  tail -50 "$workdir/server.log" >&2
  exit 1
fi
echo "load-verify: ratio verify/healthz per round: ${ratios[*]} (goal ≥ 0.5)"
exit $status
