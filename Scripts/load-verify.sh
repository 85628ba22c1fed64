#!/usr/bin/env bash
# Load test of the QR check: how many `GET /v/<jws>` (signature + live status from the register,
# JSON answer) the service answers per second, against `GET /healthz` (one `SELECT 1`) on the same
# server in the same run. The goal: verification at no less than half the rate of /healthz.
#
#   Scripts/load-verify.sh [SHENGUAN_BINARY]
#
# A check of one QR again and again measures caches, not the check: `CertificateVerifier` keeps
# the tokens it verified, `RegisterCache` the decoded register entries (50,000 each), the route the
# JSON answers (20,000), each emptied whole when full. So each round measures, on the same server:
#   healthz  `GET /healthz`, the baseline;
#   warm     `GET /v/<jws>` of ONE certificate, again and again: after the first request every
#            cache answers (a road check scanning the same truck all day);
#   cold     `GET /v/<jws>` rotating over LOAD_VERIFY_CERTIFICATES (default 60,000) distinct
#            certificates, more than any of the caches holds: every request does the Ed25519 check,
#            reads and decodes the register row and encodes the answer. The walk goes on from
#            where the previous round stopped; a certificate comes round again only after all the
#            others, by which time the caches have been emptied.
# and prints requests/s, p50, p99, failed answers, the server's CPU time per request (from /proc,
# so it shows what one request costs even when wrk and the server share the cores) and the ratios
# warm/healthz, cold/healthz, cold/warm (requests/s).
#
# The database for warm and cold is built once by the Benchmarks package's `ScanLoadSeed` (the
# database builder of Scripts/load-scans.sh, Benchmarks/Tools/ScanLoadSeed) with no scans: vehicle
# certificates of 建筑垃圾处置核准 permits issued through the real path (disposal applications of
# ≈158 vehicles submitted, accepted, approved and confirmed by 汉川), about a minute for 60,000 on
# a 2-core machine. It is kept in Benchmarks/.build/load-verify/<certificates>/ (ignored by git) and
# rebuilt when missing, when older than LOAD_VERIFY_MAX_AGE_DAYS, or with LOAD_VERIFY_RESEED=1;
# every run serves a copy of it. The warm certificate is the first of the list (one of the same
# vehicle certificates). The server is `shenguan serve --demo` on a free loopback port over the copy
# (from the repository root: it reads Modules/, Templates/, SampleProjects/ and openapi.yaml from
# there). Before the rounds a few certificates of the list, the warm one among them, are checked to
# verify as valid; during them the wrk script (Lua) counts every answer that is not a 200 with
# "valid":true. Only 127.0.0.1 is ever contacted. The server is stopped on exit.
#
# LOAD_VERIFY_MODE=warm runs the earlier, quick form instead: no seeded database, the demo data's
# first issued certificate (a 综合许可证) on a throwaway demo database, healthz and warm only.
#
# Environment:
#   LOAD_VERIFY_MODE          both (default: healthz, warm, cold on the seeded database) or warm (see above)
#   LOAD_VERIFY_CERTIFICATES  distinct certificates of the cold walk and of the seeded database
#                             (default 60000; must exceed 50000, the caches' size)
#   LOAD_VERIFY_MAX_AGE_DAYS  rebuild a seeded database older than this (default 30; its certificates
#                             were issued 20 days before it was built and are valid for 90)
#   LOAD_VERIFY_RESEED=1      rebuild it now
#   LOAD_DURATION             seconds per wrk run (default 10, at most 10)
#   LOAD_CONNECTIONS          wrk connections (default 64)
#   LOAD_THREADS              wrk threads (default 2)
#   LOAD_ROUNDS               rounds (default 1, at most 5); each prints its own ratios
#
# Binary when none is given: in the default mode the Benchmarks package's release build (made here,
# with ScanLoadSeed: swift build -c release --package-path Benchmarks --product shenguan), as
# Scripts/load-scans.sh does; with LOAD_VERIFY_MODE=warm a release build on its own scratch path
# (swift build -c release --product shenguan --scratch-path .build-release). A run of the default
# mode takes about 1.5 minutes once built and seeded (three 10 s wrk runs per round plus start-up).
# The parts shared with the other load scripts (wrk, the build, the server, the wrk runner) are in
# Scripts/lib/load.sh.
set -euo pipefail
LOAD_NAME=load-verify
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root
load_settings
load_tools
load_workdir

mode=${LOAD_VERIFY_MODE:-both}
certificates=${LOAD_VERIFY_CERTIFICATES:-60000}
max_age=${LOAD_VERIFY_MAX_AGE_DAYS:-30}
case $mode in both|warm) ;; *) echo "load-verify: LOAD_VERIFY_MODE must be both or warm" >&2; exit 2 ;; esac
for value in "$certificates" "$max_age"; do
  case $value in ''|*[!0-9]*) echo "load-verify: LOAD_VERIFY_CERTIFICATES and LOAD_VERIFY_MAX_AGE_DAYS must be whole numbers" >&2; exit 2 ;; esac
done
if [ "$mode" = both ] && [ "$certificates" -le 50000 ]; then
  echo "load-verify: LOAD_VERIFY_CERTIFICATES must exceed 50000 (the caches hold 50,000 entries), or the cold walk is not cold" >&2
  exit 2
fi

# p50 of a wrk run, in ms (wrk's --latency table).
p50_of() {
  python3 - "$workdir/wrk-$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
print(f"{float(p50.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[p50.group(2)]:.2f}" if p50 else "?")
PY
}

ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1):.2f}")' "$1" "$2"; }

if [ "$mode" = warm ]; then
  # ---- the quick form: demo data, one certificate -------------------------------------------------
  load_binary "$@"
  load_start_server
  # Logs in as the demo issuer, takes the first issued application's first certificate, checks
  # that its QR verifies as valid through the same request wrk will send, and prints /v/<jws>.
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
  echo "load-verify: mode warm (demo data, one certificate): wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid"
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' round route requests/s "p50 (ms)" "p99 (ms)" non-2xx "server CPU/request (μs)"
  status=0
  ratios=()
  for round in $(seq "$rounds"); do
    health=$(load_run "healthz-$round" "$base/healthz") || exit 1
    verify=$(load_run "warm-$round" "$base$verify_path" -H "Accept: application/json") || exit 1
    read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
    read -r verify_rps verify_p99 verify_bad _ verify_cpu <<<"$verify"
    printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" healthz "$health_rps" "$(p50_of "healthz-$round")" "$health_p99" "$health_bad" "$health_cpu"
    printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" warm "$verify_rps" "$(p50_of "warm-$round")" "$verify_p99" "$verify_bad" "$verify_cpu"
    load_report_socket_errors "healthz-$round"
    load_report_socket_errors "warm-$round"
    if [ "$health_bad" != 0 ] || [ "$verify_bad" != 0 ]; then
      echo "load-verify: round $round had non-2xx answers (healthz $health_bad, verify $verify_bad)" >&2
      status=1
    fi
    ratios+=("$(ratio "$verify_rps" "$health_rps")")
    echo "load-verify: round $round: warm verify/healthz = ${ratios[-1]} (goal ≥ 0.5; one certificate again and again: the caches' figure)"
  done
  load_server_alive
  echo "load-verify: warm verify/healthz per round: ${ratios[*]} (goal ≥ 0.5)"
  exit $status
fi

# ---- the Benchmarks package's builds: shenguan (unless given) and the seeded database --------------
if [ $# -ge 1 ]; then
  load_binary "$1"
else
  load_benchmarks_build shenguan
  load_binary "$root/Benchmarks/.build/release/shenguan"
fi
seed_dir="$root/Benchmarks/.build/load-verify/$certificates"
load_seeded_database "$seed_dir" "$certificates" 0 "$certificates" "$max_age" "${LOAD_VERIFY_RESEED:-0}"
load_start_server

# ---- the paths: every certificate's /v/<jws>; a few checked ---------------------------------------------
# codes.tsv: "<inspector>\t<checkpoint>\thttps://sg.example.cn/v/<jws>", one distinct certificate a line.
python3 - "$base" "$seed_dir/codes.tsv" "$workdir/cold-paths.txt" "$workdir/warm-path.txt" <<'PY'
import json, sys, urllib.parse, urllib.request, urllib.error
base, codes_file, cold_file, warm_file = sys.argv[1:5]
paths = []
for line in open(codes_file):
    if line.strip():
        path = urllib.parse.urlsplit(line.rstrip("\n").split("\t")[2]).path
        if not path.startswith("/v/"):
            sys.exit(f"load-verify: unexpected QR text in {codes_file}: {line[:120]}")
        paths.append(path)
if len(set(paths)) != len(paths):
    sys.exit(f"load-verify: {codes_file} repeats certificates")
for index in [0, 1, len(paths) // 2, len(paths) - 1]:
    request = urllib.request.Request(base + paths[index], headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"load-verify: GET {paths[index][:40]}…: HTTP {error.code} {error.read().decode(errors='replace')[:300]}")
    answer = json.loads(body)
    # The wrk script looks for exactly these bytes.
    if answer.get("valid") is not True or b'"valid":true' not in body:
        sys.exit(f"load-verify: certificate {index + 1} of the list does not verify as valid: {body[:300]!r}")
with open(cold_file, "w") as file:
    file.write("\n".join(paths) + "\n")
with open(warm_file, "w") as file:
    file.write(paths[0] + "\n")
sys.stderr.write(f"load-verify: {len(paths)} distinct certificates (paths of {min(map(len, paths))}–{max(map(len, paths))} characters);"
                 f" 4 of them, the warm one first, verify as valid\n")
PY

# The wrk script over a list of paths: thread i sends start+i, start+i+T, start+i+2T, … (wrapping),
# so the threads together walk the list in order; every answer that is not a 200 with "valid":true
# is counted. It prints the count and where the walk stopped (the next round starts there).
write_script() { # write_script FILE PATHS START
  cat >"$1" <<EOF
local requests = {}
for path in io.lines("$2") do
  if path ~= "" then
    requests[#requests + 1] = wrk.format("GET", path, { ["Accept"] = "application/json" })
  end
end

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  invalid = 0
  position = $3 + id
end

function request()
  local next = requests[position % #requests + 1]
  position = position + $threads
  return next
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"valid":true', 1, true) then
    invalid = invalid + 1
  end
end

function done(summary, latency, requests)
  local total, last = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("invalid")
    last = math.max(last, thread:get("position"))
  end
  io.write(string.format("Answers not valid: %d\n", total))
  io.write(string.format("Next position: %d\n", last))
end
EOF
}

invalid_of() { sed -n 's/^Answers not valid: *\([0-9]*\)$/\1/p' "$workdir/wrk-$1.txt"; }

# ---- wrk ----------------------------------------------------------------------------------------
echo "load-verify: wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid;" \
     "cold walks $certificates distinct certificates"
# failed: non-2xx for healthz (wrk's count); not a 200 with "valid":true for warm and cold (the Lua script's count)
printf '%-7s %-8s %12s %10s %10s %8s %22s\n' round route requests/s "p50 (ms)" "p99 (ms)" failed "server CPU/request (μs)"
status=0
start=0
summary=()
for round in $(seq "$rounds"); do
  write_script "$workdir/warm.lua" "$workdir/warm-path.txt" 0
  write_script "$workdir/cold-$round.lua" "$workdir/cold-paths.txt" "$start"
  health=$(load_run "healthz-$round" "$base/healthz") || exit 1
  warm=$(load_run "warm-$round" "$base/v/" -s "$workdir/warm.lua") || exit 1
  cold=$(load_run "cold-$round" "$base/v/" -s "$workdir/cold-$round.lua") || exit 1
  read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
  read -r warm_rps warm_p99 _ _ warm_cpu <<<"$warm"
  read -r cold_rps cold_p99 _ _ cold_cpu <<<"$cold"
  warm_bad=$(invalid_of "warm-$round")
  cold_bad=$(invalid_of "cold-$round")
  [ -n "$warm_bad" ] && [ -n "$cold_bad" ] || { echo "load-verify: the wrk script reported no count of answers" >&2; exit 1; }
  cold_requests=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$workdir/wrk-cold-$round.txt")
  next=$(sed -n 's/^Next position: *\([0-9]*\)$/\1/p' "$workdir/wrk-cold-$round.txt")
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" healthz "$health_rps" "$(p50_of "healthz-$round")" "$health_p99" "$health_bad" "$health_cpu"
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" warm "$warm_rps" "$(p50_of "warm-$round")" "$warm_p99" "$warm_bad" "$warm_cpu"
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" cold "$cold_rps" "$(p50_of "cold-$round")" "$cold_p99" "$cold_bad" "$cold_cpu"
  for name in healthz warm cold; do load_report_socket_errors "$name-$round"; done
  if [ "$health_bad" != 0 ] || [ "$warm_bad" != 0 ] || [ "$cold_bad" != 0 ]; then
    echo "load-verify: round $round had failed answers (healthz $health_bad, warm $warm_bad, cold $cold_bad): its figures do not count" >&2
    status=1
  fi
  warm_ratio=$(ratio "$warm_rps" "$health_rps")
  cold_ratio=$(ratio "$cold_rps" "$health_rps")
  cold_warm=$(ratio "$cold_rps" "$warm_rps")
  summary+=("$round: warm/healthz $warm_ratio, cold/healthz $cold_ratio, cold/warm $cold_warm")
  echo "load-verify: round $round: verify/healthz requests/s = $warm_ratio warm, $cold_ratio cold (goal ≥ 0.5); cold/warm = $cold_warm;" \
       "server CPU per request: healthz $health_cpu μs, warm $warm_cpu μs, cold $cold_cpu μs;" \
       "cold walked $cold_requests requests, positions $start–$((next - 1)) of the list"
  start=$next
done
load_server_alive
echo "load-verify: per round (requests/s ratios; goal for verify/healthz ≥ 0.5):"
printf '  round %s\n' "${summary[@]}"
exit $status
