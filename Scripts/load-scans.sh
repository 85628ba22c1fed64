#!/usr/bin/env bash
# Load test of inspectors' scans (扫码检查) of waste-disposal vehicle certificates: `POST /api/v1/scans`
# (the QR verified, the scan recorded with its audit record and `ScanRecorded` in one transaction,
# the vehicle's trip kept, the answer with what the inspector may see) at 64 concurrent
# connections, against a database holding 100,000 vehicle certificates and 1,000,000 recorded scans,
# rotating over 12,000 distinct QR codes; and `GET /healthz` (one `SELECT 1`) of the same server in
# the same run. The aim: scan p99 ≤ 20 ms.
#
#   Scripts/load-scans.sh [SHENGUAN_BINARY]   (default: Benchmarks/.build/release/shenguan, built here)
#
# The database is built once by the Benchmarks package's `ScanLoadSeed` (Benchmarks/Tools/ScanLoadSeed,
# see Benchmarks/README.md): the certificates through the real issuing path (disposal applications
# of ≈158 vehicles submitted, accepted, approved and confirmed by 汉川, which seals and issues them),
# the scans through the same store code as a live scan but 5,000 to a transaction and without the
# signature check. It takes about 20 minutes on a 2-core machine and is kept in
# Benchmarks/.build/load-scans/<sizes>/ (ignored by git); every run serves a copy of it, so runs do not
# change it. It is rebuilt when missing, when its sizes differ from the ones asked for, when older
# than LOAD_SCANS_MAX_AGE_DAYS, or with LOAD_SCANS_RESEED=1.
#
# Then, like Scripts/load-verify.sh (same Scripts/lib/load.sh): `shenguan serve --demo` on a free
# loopback port over the copy (--demo adds the demo accounts, among them the inspectors), a log-in
# of the four demo inspectors of the route (inspector-cg-qk 硚口 origin, inspector-cg-dxh and
# inspector-jj-dxh 东西湖 transit, inspector-cg-hc 汉川 disposal), one checked scan each (201, valid,
# the site's details shown), a warm-up, then per round wrk against /healthz and against /api/v1/scans.
# Each scan request is the next line of the codes file (per wrk thread, from its own starting point):
# that line's inspector's token, its checkpoint and its QR. Every answer other than 201 is counted
# (the Lua script) and fails the run. Only 127.0.0.1 is contacted; the server is stopped on exit.
#
# Environment:
#   LOAD_DURATION, LOAD_CONNECTIONS (64), LOAD_THREADS (2), LOAD_ROUNDS   as in Scripts/lib/load.sh
#   LOAD_WARMUP                   seconds of scans sent and not counted before the first round (default 5)
#   LOAD_SCANS_CERTIFICATES       vehicle certificates in the database (default 100000)
#   LOAD_SCANS_SCANS              recorded scans in the database (default 1000000)
#   LOAD_SCANS_CODES              distinct QR codes the load rotates over (default 12000)
#   LOAD_SCANS_MAX_AGE_DAYS       rebuild a database older than this (default 30; its certificates
#                                 were issued 20 days before it was built and are valid for 90)
#   LOAD_SCANS_RESEED=1           rebuild it now
#   LOAD_PERF=FILE                `perf record -F 499 -g` of the server during the first round's scans,
#                                 written to FILE (read it with `perf report -i FILE`)
set -euo pipefail
LOAD_NAME=load-scans
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root
load_settings
load_tools
load_workdir

warmup=${LOAD_WARMUP:-5}
certificates=${LOAD_SCANS_CERTIFICATES:-100000}
recorded=${LOAD_SCANS_SCANS:-1000000}
codes=${LOAD_SCANS_CODES:-12000}
max_age=${LOAD_SCANS_MAX_AGE_DAYS:-30}
for value in "$warmup" "$certificates" "$recorded" "$codes" "$max_age"; do
  case $value in ''|*[!0-9]*) echo "load-scans: LOAD_WARMUP and LOAD_SCANS_* must be whole numbers" >&2; exit 2 ;; esac
done
[ "$codes" -le "$certificates" ] || { echo "load-scans: LOAD_SCANS_CODES must not exceed LOAD_SCANS_CERTIFICATES" >&2; exit 2; }

# ---- the Benchmarks package's builds: shenguan (unless given) and the seeded database --------------
if [ $# -ge 1 ]; then
  load_binary "$1"
else
  load_benchmarks_build shenguan
  load_binary "$root/Benchmarks/.build/release/shenguan"
fi
# One folder per size, so that a smaller try does not replace the default database.
seed_dir="$root/Benchmarks/.build/load-scans/$certificates-$recorded-$codes"
load_seeded_database "$seed_dir" "$certificates" "$recorded" "$codes" "$max_age" "${LOAD_SCANS_RESEED:-0}"
load_start_server

# ---- the inspectors' tokens, one checked scan each ---------------------------------------------------
python3 - "$base" "$seed_dir/codes.tsv" "$workdir/tokens.tsv" <<'PY'
import json, sys, urllib.request, urllib.error
base, codes_file, tokens_file = sys.argv[1:4]

def call(method, path, body=None, token=None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        sys.exit(f"load-scans: {method} {path}: HTTP {error.code} {error.read().decode(errors='replace')[:300]}")

lines = [line.rstrip("\n").split("\t") for line in open(codes_file) if line.strip()]
tokens, checked = {}, set()
for username, checkpoint, qr in lines:
    if username not in tokens:
        _, session = call("POST", "/api/v1/auth/login", {"username": username, "password": "Demo-2026!"})
        tokens[username] = session["token"]
    if username in checked:
        continue
    status, answer = call("POST", "/api/v1/scans", {"qr": qr, "checkpoint": checkpoint}, token=tokens[username])
    verification = answer.get("verification") or {}
    if status != 201 or verification.get("valid") is not True or verification.get("site") is None:
        sys.exit(f"load-scans: {username}'s scan at {checkpoint} was answered {status}: {json.dumps(answer, ensure_ascii=False)[:300]}")
    checked.add(username)
with open(tokens_file, "w") as file:
    for username, token in tokens.items():
        file.write(f"{username}\t{token}\n")
sys.stderr.write(f"load-scans: {len(lines)} distinct QR codes; one scan each by {', '.join(sorted(tokens))}: 201, valid, site shown\n")
PY

# The wrk script: each request the next line of the codes file, with that inspector's token; count
# every answer that is not 201.
cat >"$workdir/scans.lua" <<EOF
local tokens = {}
for line in io.lines("$workdir/tokens.tsv") do
  local username, token = line:match("^([^\t]+)\t(.+)$")
  tokens[username] = token
end
local requests = {}
for line in io.lines("$seed_dir/codes.tsv") do
  local username, checkpoint, qr = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
  if username then
    requests[#requests + 1] = wrk.format("POST", "/api/v1/scans", {
      ["Content-Type"] = "application/json", ["Accept"] = "application/json", ["Authorization"] = "Bearer " .. tokens[username],
    }, '{"qr":"' .. qr .. '","checkpoint":"' .. checkpoint .. '"}')
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
  not201 = 0
  -- Each thread starts at its own share of the codes, then walks through all of them.
  position = math.floor(id * #requests / $threads)
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 201 then
    not201 = not201 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not201")
  end
  io.write(string.format("Answers other than 201: %d\n", total))
  io.write(string.format("p50 (us): %d\n", latency:percentile(50)))
end
EOF

# p50 of a wrk run, in ms (from the Lua summary; healthz runs have none, so from --latency's table).
p50_of() {
  python3 - "$workdir/wrk-$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
match = re.search(r"^p50 \(us\): (\d+)$", text, re.M)
if match:
    print(f"{int(match.group(1)) / 1000:.2f}")
else:
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    print(f"{float(p50.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[p50.group(2)]:.2f}" if p50 else "?")
PY
}

# ---- wrk ----------------------------------------------------------------------------------------
if [ "$warmup" -gt 0 ]; then
  echo "load-scans: warm-up, ${warmup}s of scans (not counted)"
  timeout $((warmup + 20)) wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$workdir/scans.lua" "$base/api/v1/scans" >"$workdir/wrk-warmup.txt"
fi
echo "load-scans: wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid"
# failed: answers other than 2xx for healthz (wrk's count), other than 201 for scans (the Lua script's count)
printf '%-7s %-8s %12s %10s %10s %8s %22s\n' round route requests/s "p50 (ms)" "p99 (ms)" failed "server CPU/request (μs)"
status=0
ratios=()
p99s=()
for round in $(seq "$rounds"); do
  health=$(load_run "healthz-$round" "$base/healthz") || exit 1
  perf_pid=""
  if [ -n "${LOAD_PERF:-}" ] && [ "$round" = 1 ]; then
    perf record -F 499 -g -p "$server_pid" -o "$LOAD_PERF" -- sleep "$duration" >"$workdir/perf.log" 2>&1 &
    perf_pid=$!
  fi
  scans=$(load_run "scans-$round" "$base/api/v1/scans" -s "$workdir/scans.lua") || exit 1
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || { echo "load-scans: perf record failed:" >&2; cat "$workdir/perf.log" >&2; }
  fi
  read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
  read -r scans_rps scans_p99 scans_bad _ scans_cpu <<<"$scans"
  not201=$(sed -n 's/^Answers other than 201: *\([0-9]*\)$/\1/p' "$workdir/wrk-scans-$round.txt")
  [ -n "$not201" ] || { echo "load-scans: the wrk script reported no count of answers" >&2; exit 1; }
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" healthz "$health_rps" "$(p50_of "healthz-$round")" "$health_p99" "$health_bad" "$health_cpu"
  printf '%-7s %-8s %12s %10s %10s %8s %22s\n' "$round" scans "$scans_rps" "$(p50_of "scans-$round")" "$scans_p99" "$not201" "$scans_cpu"
  load_report_socket_errors "healthz-$round"
  load_report_socket_errors "scans-$round"
  if [ "$health_bad" != 0 ] || [ "$scans_bad" != 0 ] || [ "$not201" != 0 ]; then
    echo "load-scans: round $round had failed answers (healthz non-2xx $health_bad, scans non-2xx $scans_bad, scans not 201 $not201):" \
         "its figures do not count" >&2
    status=1
  fi
  ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1):.3f}")' "$scans_rps" "$health_rps")
  ratios+=("$ratio")
  p99s+=("$scans_p99")
  echo "load-scans: round $round: scans p99 $scans_p99 ms (aim ≤ 20), $scans_rps scans/s, server CPU $scans_cpu μs per scan" \
       "(healthz $health_cpu μs); scans/healthz requests/s = $ratio"
done
load_server_alive
echo "load-scans: scan p99 per round (ms): ${p99s[*]} (aim ≤ 20); scans/s over healthz requests/s: ${ratios[*]}"
exit $status
