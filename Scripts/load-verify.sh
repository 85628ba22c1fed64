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
# The parts shared with Scripts/load-noise.sh (wrk, the build, the server, the wrk runner) are in
# Scripts/lib/load.sh.
set -euo pipefail
LOAD_NAME=load-verify
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root
load_settings
load_tools
load_workdir
load_binary "$@"
load_start_server

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
echo "load-verify: wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid"
printf '%-7s %-8s %12s %10s %8s %22s\n' round route requests/s "p99 (ms)" non-2xx "server CPU/request (μs)"
status=0
ratios=()
for round in $(seq "$rounds"); do
  health=$(load_run "healthz-$round" "$base/healthz") || exit 1
  verify=$(load_run "verify-$round" "$base$verify_path" -H "Accept: application/json") || exit 1
  read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
  read -r verify_rps verify_p99 verify_bad _ verify_cpu <<<"$verify"
  printf '%-7s %-8s %12s %10s %8s %22s\n' "$round" healthz "$health_rps" "$health_p99" "$health_bad" "$health_cpu"
  printf '%-7s %-8s %12s %10s %8s %22s\n' "$round" verify "$verify_rps" "$verify_p99" "$verify_bad" "$verify_cpu"
  load_report_socket_errors "healthz-$round"
  load_report_socket_errors "verify-$round"
  if [ "$health_bad" != 0 ] || [ "$verify_bad" != 0 ]; then
    echo "load-verify: round $round had non-2xx answers (healthz $health_bad, verify $verify_bad)" >&2
    status=1
  fi
  ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1):.2f}")' "$verify_rps" "$health_rps")
  ratios+=("$ratio")
  echo "load-verify: round $round: verify/healthz = $ratio (goal ≥ 0.5)"
done
load_server_alive
echo "load-verify: ratio verify/healthz per round: ${ratios[*]} (goal ≥ 0.5)"
exit $status
