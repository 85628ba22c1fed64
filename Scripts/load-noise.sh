#!/usr/bin/env bash
# Load test of noise-monitor ingest: how many readings per second `POST /api/v1/monitoring/noise`
# (a device's bearer token, a batch of 100 readings of a past night, some over the 55 dB(A) night
# limit) stores, against `GET /healthz` (one `SELECT 1`) on the same server in the same run. The
# goal: at least 5,000 readings/s.
#
#   Scripts/load-noise.sh [SHENGUAN_BINARY]      (default: a release build, made here when missing)
#
# It starts `shenguan serve --demo` on a free loopback port with a throwaway database (see
# Scripts/lib/load.sh, shared with load-verify.sh), logs in as the demo `admin`, registers a
# monitoring device on the project of an issued application whose site holds a valid construction
# permit (found through the API), checks that one batch is answered 202, then runs wrk against both
# routes and prints readings/s (100 × batches/s), p99 latency, the server's CPU time per request and
# per reading, and the ratio of batch requests/s to healthz requests/s. Every answer to a batch must
# be 202 (counted by the wrk script); anything else fails the run. Only 127.0.0.1 is contacted; the
# server is stopped on exit.
#
# Every batch is the same 100 readings, 22:00–05:57 of the last night that is over (Asia/Shanghai),
# one every 4.8 minutes, every fifth of them 56–63 dB(A) and the others 45–54 dB(A): the first batch
# raises the site's night alert (a task in the ecology queue), later batches add their readings to it.
#
# Environment: LOAD_DURATION (seconds per wrk run, default 10, at most 10), LOAD_CONNECTIONS (64),
# LOAD_THREADS (2), LOAD_ROUNDS (healthz-then-noise rounds, default 1, at most 5).
set -euo pipefail
LOAD_NAME=load-noise
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root
load_settings
load_tools
load_workdir
load_binary "$@"
load_start_server

readings_per_batch=100

# ---- a device on a permitted site, and its batch ------------------------------------------------
# Prints the device token; writes the batch to $workdir/batch.json.
token=$(python3 - "$base" "$workdir/batch.json" "$readings_per_batch" <<'PY'
import datetime, json, sys, urllib.parse, urllib.request, urllib.error
base, batch_file, count = sys.argv[1], sys.argv[2], int(sys.argv[3])

def call(method, path, body=None, token=None, fail=True):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        if fail:
            sys.exit(f"load-noise: {method} {path}: HTTP {error.code} {text[:300]}")
        return error.code, text

_, session = call("POST", "/api/v1/auth/login", {"username": "admin", "password": "Demo-2026!"})
admin = session["token"]
_, issued = call("GET", "/api/v1/applications?status=issued", token=admin)
token, refusals = None, []
for application in issued:
    _, full = call("GET", f"/api/v1/applications/{urllib.parse.quote(application['id'])}", token=admin)
    project = (full.get("project") or {}).get("id")
    if not project or not full.get("certificates"):
        continue
    # The server only registers a device where the site holds a valid construction (or stage) permit.
    status, device = call("POST", "/api/v1/monitoring/devices", {"projectId": project, "name": "压测场界噪声监测仪"}, token=admin, fail=False)
    if status == 201:
        token = device["token"]
        sys.stderr.write(f"load-noise: device {device['id']} on project {project} ({full['project'].get('name', '?')}), "
                         f"issued application {application['id']}\n")
        break
    refusals.append(f"{project}: HTTP {status} {str(device)[:120]}")
if token is None:
    sys.exit("load-noise: no issued application's project accepts a monitoring device:\n  " + "\n  ".join(refusals))

# The last night that is over, in Asia/Shanghai (22:00 to 06:00 the next morning).
shanghai = datetime.timezone(datetime.timedelta(hours=8))
now = datetime.datetime.now(shanghai)
evening = now.date() - datetime.timedelta(days=1)
if datetime.datetime.combine(evening + datetime.timedelta(days=1), datetime.time(6), shanghai) > now:
    evening -= datetime.timedelta(days=1)
start = datetime.datetime.combine(evening, datetime.time(22), shanghai)
readings = []
for index in range(count):
    at = start + datetime.timedelta(seconds=index * 8 * 3600 // count)
    dba = 56 + index % 8 if index % 5 == 0 else 45 + index % 10
    readings.append({"at": at.isoformat(timespec="seconds"), "dBA": float(dba)})
batch = {"readings": readings}
with open(batch_file, "w") as file:
    json.dump(batch, file, separators=(",", ":"))

status, answer = call("POST", "/api/v1/monitoring/noise", batch, token=token)
if status != 202 or answer.get("accepted") != count:
    sys.exit(f"load-noise: a first batch was answered {status} {answer}")
over = sum(1 for reading in readings if reading["dBA"] > 55)
sys.stderr.write(f"load-noise: the night of {evening}, {count} readings per batch ({over} over 55 dB(A)); "
                 f"first batch 202, {len(answer.get('alerts', []))} alert(s) raised\n")
print(token)
PY
)

# The wrk script: POST the batch with the device's token; count every answer that is not 202.
cat >"$workdir/noise.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local file = assert(io.open("$workdir/batch.json", "r"))
wrk.body = file:read("*a")
file:close()

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not202 = 0
end

function response(status, headers, body)
  if status ~= 202 then
    not202 = not202 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not202")
  end
  io.write(string.format("Answers other than 202: %d\n", total))
end
EOF

# ---- wrk ----------------------------------------------------------------------------------------
echo "load-noise: wrk -t$threads -c$connections -d${duration}s --latency, $rounds round(s), server pid $server_pid"
# failed: answers other than 2xx for healthz (wrk's count), other than 202 for noise (the Lua script's count)
printf '%-7s %-8s %12s %12s %10s %8s %22s\n' round route requests/s readings/s "p99 (ms)" failed "server CPU/request (μs)"
status=0
ratios=()
rates=()
for round in $(seq "$rounds"); do
  health=$(load_run "healthz-$round" "$base/healthz") || exit 1
  noise=$(load_run "noise-$round" "$base/api/v1/monitoring/noise" -s "$workdir/noise.lua") || exit 1
  read -r health_rps health_p99 health_bad _ health_cpu <<<"$health"
  read -r noise_rps noise_p99 noise_bad _ noise_cpu <<<"$noise"
  not202=$(sed -n 's/^Answers other than 202: *\([0-9]*\)$/\1/p' "$workdir/wrk-noise-$round.txt")
  [ -n "$not202" ] || { echo "load-noise: the wrk script reported no count of answers" >&2; exit 1; }
  readings=$((noise_rps * readings_per_batch))
  printf '%-7s %-8s %12s %12s %10s %8s %22s\n' "$round" healthz "$health_rps" - "$health_p99" "$health_bad" "$health_cpu"
  printf '%-7s %-8s %12s %12s %10s %8s %22s\n' "$round" noise "$noise_rps" "$readings" "$noise_p99" "$not202" "$noise_cpu"
  load_report_socket_errors "healthz-$round"
  load_report_socket_errors "noise-$round"
  if [ "$health_bad" != 0 ] || [ "$noise_bad" != 0 ] || [ "$not202" != 0 ]; then
    echo "load-noise: round $round had failed answers (healthz non-2xx $health_bad, noise non-2xx $noise_bad, noise not 202 $not202):" \
         "its figures do not count" >&2
    status=1
  fi
  ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / max(float(sys.argv[2]), 1):.3f}")' "$noise_rps" "$health_rps")
  ratios+=("$ratio")
  rates+=("$readings")
  per_reading=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / int(sys.argv[2]):.1f}")' "$noise_cpu" "$readings_per_batch")
  echo "load-noise: round $round: $readings readings/s (goal ≥ 5000), p99 $noise_p99 ms, server CPU $noise_cpu μs per batch" \
       "($per_reading μs per reading); batches/healthz = $ratio"
done
load_server_alive
echo "load-noise: readings/s per round: ${rates[*]} (goal ≥ 5000); batch requests/s over healthz requests/s: ${ratios[*]}"
exit $status
