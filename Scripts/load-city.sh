#!/usr/bin/env bash
# Load test at city scale: every list and overview a user opens, the firm's submission, the QR
# check and the inspector's scan, on a database `shenguan generate-city` built, each against
# `GET /healthz` of the same server in the same run; then `shenguan audit verify` over it.
#
#   Scripts/load-city.sh [SHENGUAN_BINARY]
#
# The city is built once per size (LOAD_CITY_APPLICATIONS, default 20,000; the issue's 1,000,000
# takes 8–14 hours on a 2-core machine) into .build-city/<size>/ (ignored by git) and reused;
# LOAD_CITY_RESEED=1 builds it again. A second city of LOAD_CITY_EMPTY applications (default 50)
# is the "empty database" the submission is compared with. Every run serves a copy.
#
# Each request is one wrk run (LOAD_DURATION s, LOAD_CONNECTIONS connections): requests/s, p50, p99,
# failed answers, and p99 and requests/s against /healthz. The lists are read by the accounts a
# bureau has: a clerk (every application; by status; overdue; a department), a reviewer (its
# department's), the inspector with the longest queue (its queue), a firm (its own), the clerk's
# overview. The verify route walks the city's certificates in turn (fewer than the caches hold
# when the city is small, so it is the warm figure; Scripts/load-verify.sh has the cold one).
# The scan and the submission write: each scan records a scan with its events and audit, each
# submission an application with its materials, helper, events and audit.
#
# Environment: LOAD_CITY_APPLICATIONS, LOAD_CITY_EMPTY, LOAD_CITY_RESEED, and those of
# Scripts/lib/load.sh (LOAD_DURATION default 10, LOAD_CONNECTIONS default 64, LOAD_THREADS 2).
set -euo pipefail
LOAD_NAME=load-city
source "$(dirname "$0")/lib/load.sh"   # cds to the repository root

applications=${LOAD_CITY_APPLICATIONS:-20000}
empty=${LOAD_CITY_EMPTY:-50}
for value in "$applications" "$empty"; do
  case $value in ''|*[!0-9]*|0) echo "$LOAD_NAME: LOAD_CITY_APPLICATIONS and LOAD_CITY_EMPTY must be positive whole numbers" >&2; exit 2 ;; esac
done

load_settings
load_tools
load_workdir
load_binary "$@"

# city SIZE: .build-city/SIZE/city.sqlite, built when missing (or LOAD_CITY_RESEED=1).
city() {
  local dir="$root/.build-city/$1"
  if [ ! -f "$dir/city.sqlite" ] || [ "${LOAD_CITY_RESEED:-0}" = 1 ]; then
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    echo "$LOAD_NAME: generating a city of $1 applications (progress in $dir.partial/generate.log)"
    local began=$SECONDS
    if ! "$binary" generate-city --db "$dir.partial/city.sqlite" --applications "$1" >"$dir.partial/generate.log" 2>&1; then
      echo "$LOAD_NAME: generate-city failed:" >&2
      tail -20 "$dir.partial/generate.log" >&2
      exit 1
    fi
    echo "$((SECONDS - began))" >"$dir.partial/seconds"
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  echo "$LOAD_NAME: city of $1: $(tail -1 "$dir/generate.log") (built in $(cat "$dir/seconds") s)"
}

# serve SIZE: a copy of that city, with its keys and files, served on a free port.
serve() {
  load_cleanup_server
  local dir="$root/.build-city/$1"
  # The write-ahead log and the anchors file too: the previous city's would be read as this one's.
  rm -rf "$workdir"/db.sqlite* "$workdir/db-keys" "$workdir/db-files" "$workdir/db-audit-anchors.jsonl"
  cp "$dir/city.sqlite" "$workdir/db.sqlite"
  cp -R "$dir/city-keys" "$workdir/db-keys"
  cp -R "$dir/city-files" "$workdir/db-files"
  LOAD_SERVE_FLAGS="" load_start_server
}

load_cleanup_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# The accounts, ids and bodies the requests need, from the served copy.
prepare() {
  python3 - "$workdir" "$base" <<'PY'
import json, sqlite3, sys, urllib.request
workdir, base = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"{workdir}/db.sqlite")
def login(username):
    request = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"username": username, "password": "Shenguan-City-2026!"}).encode())
    return json.load(urllib.request.urlopen(request))["token"]
department, region = db.execute("""SELECT department, region FROM supervision_tasks WHERE status IN ('open', 'claimed')
                                   GROUP BY department, region ORDER BY COUNT(*) DESC LIMIT 1""").fetchone()
firm_uscc = db.execute("SELECT firm FROM applications GROUP BY firm ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
firm = db.execute("SELECT username FROM accounts WHERE firm = ?", (firm_uscc,)).fetchone()[0]
project = db.execute("SELECT project_id FROM applications WHERE firm = ? ORDER BY submitted_at DESC LIMIT 1", (firm_uscc,)).fetchone()[0]
application = db.execute("SELECT id FROM applications WHERE firm = ? ORDER BY submitted_at DESC LIMIT 1", (firm_uscc,)).fetchone()[0]
contractor = json.loads(db.execute("SELECT document FROM projects WHERE id = ?", (project,)).fetchone()[0])["contractor"]["uscc"]
files = dict(db.execute("""SELECT material, file_id FROM application_files WHERE application_id = ?""", (application,)).fetchall())
tokens = [row[0] for row in db.execute("SELECT json_extract(document, '$.jws') FROM certificates WHERE status = 'valid' ORDER BY number")]
values = {"clerk": login("city-clerk-01"), "reviewer": login("city-reviewer-housing"), "inspector": login(f"insp-{department}-{region}"),
          "firm": login(firm), "application": application, "queue": f"{department} in {region}"}
for name, value in values.items():
    open(f"{workdir}/{name}", "w").write(value)
open(f"{workdir}/tokens.txt", "w").write("\n".join(tokens) + "\n")
form = {"contactName": "经办人", "contactPhone": "13871234567", "contractorUscc": contractor, "contractPriceYuan": 368000000,
        "totalAreaM2": 86500.5, "structureType": "框架-剪力墙", "startDate": "2026-12-01", "endDate": "2028-06-30", "greenspaceAreaM2": 420}
body = {"projectId": project, "bundle": "comprehensive-permit", "items": ["ZJ-SGXK", "YL-LDZY"], "form": form,
        "materials": [{"material": m, "file": f} for m, f in sorted(files.items())]}
open(f"{workdir}/submit.json", "w").write(json.dumps(body, ensure_ascii=False))
PY
}

# Lua for wrk: POST a fixed body, or walk a list of QR tokens (verify, scan).
cat >"$workdir/post.lua" <<'LUA'
local f = io.open(os.getenv("LOAD_BODY")); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LOAD_TOKEN")
LUA
cat >"$workdir/walk.lua" <<'LUA'
local tokens = {}
for line in io.lines(os.getenv("LOAD_TOKENS")) do tokens[#tokens + 1] = line end
local mode, bearer = os.getenv("LOAD_MODE"), os.getenv("LOAD_TOKEN")
local index = 0
function setup(thread) thread:set("offset", index); index = index + 1 end
local next = 0
request = function()
  next = next + 1
  local token = tokens[((next * 2 + offset) % #tokens) + 1]
  if mode == "scan" then
    return wrk.format("POST", "/api/v1/scans", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. bearer},
                      '{"qr":"' .. token .. '","checkpoint":"site"}')
  end
  return wrk.format("GET", "/v/" .. token, {["Accept"] = "application/json"})
end
LUA

# measure NAME URL [WRK OPTIONS]: one run, its line of the table.
measure() {
  local name=$1 figures p50
  figures=$(load_run "$name" "$2" "${@:3}")
  p50=$(python3 - "$workdir/wrk-$name.txt" <<'PY'
import re, sys
m = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", open(sys.argv[1]).read(), re.M)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
print("%.2f" % (float(m.group(1)) * scale))
PY
)
  load_server_alive
  set -- $figures
  rows+=("$name $1 $p50 $2 $3")
}

report() {
  python3 - "$@" <<'PY'
import sys
rows = [line.split() for line in sys.argv[1:]]
base = next(r for r in rows if r[0] == "healthz")
print(f"{'request':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}{'rps/healthz':>13}{'p99/healthz':>13}")
for name, rps, p50, p99, failed in rows:
    print(f"{name:<28}{float(rps):>9.0f}{float(p50):>9.2f}{float(p99):>9.2f}{failed:>8}{float(rps)/float(base[1]):>13.2f}{float(p99)/float(base[3]):>13.1f}")
PY
}

city "$applications"
city "$empty"

echo "$LOAD_NAME: the empty city's submission"
serve "$empty"
prepare
rows=()
measure healthz "$base/healthz"
LOAD_BODY="$workdir/submit.json" LOAD_TOKEN=$(cat "$workdir/firm") measure submit-empty "$base/api/v1/applications" -s "$workdir/post.lua"
empty_rows=("${rows[@]}")

echo "$LOAD_NAME: the city of $applications"
serve "$applications"
prepare
rows=()
auth() { echo "Authorization: Bearer $(cat "$workdir/$1")"; }
measure healthz "$base/healthz"
measure clerk-applications "$base/api/v1/applications" -H "$(auth clerk)"
measure clerk-under-review "$base/api/v1/applications?status=under-review" -H "$(auth clerk)"
measure clerk-overdue "$base/api/v1/applications?deadline=overdue" -H "$(auth clerk)"
measure clerk-department "$base/api/v1/applications?department=landscaping" -H "$(auth clerk)"
measure reviewer-applications "$base/api/v1/applications" -H "$(auth reviewer)"
measure overview "$base/api/v1/supervision/overview" -H "$(auth clerk)"
measure inspector-queue "$base/api/v1/supervision/tasks?status=open" -H "$(auth inspector)"
measure firm-applications "$base/api/v1/applications" -H "$(auth firm)"
measure firm-application "$base/api/v1/applications/$(cat "$workdir/application")" -H "$(auth firm)"
measure notifications "$base/api/v1/notifications" -H "$(auth clerk)"
LOAD_TOKENS="$workdir/tokens.txt" LOAD_MODE=verify measure verify "$base" -s "$workdir/walk.lua"
LOAD_TOKENS="$workdir/tokens.txt" LOAD_MODE=scan LOAD_TOKEN=$(cat "$workdir/inspector") measure scan "$base" -s "$workdir/walk.lua"
LOAD_BODY="$workdir/submit.json" LOAD_TOKEN=$(cat "$workdir/firm") measure submit "$base/api/v1/applications" -s "$workdir/post.lua"
load_cleanup_server

echo
echo "empty city ($empty applications):"
report "${empty_rows[@]}"
echo
echo "city of $applications applications (the inspector's queue: $(cat "$workdir/queue")):"
report "${rows[@]}"
submit_empty=$(printf '%s\n' "${empty_rows[@]}" | awk '$1 == "submit-empty" { print $3 }')
submit_city=$(printf '%s\n' "${rows[@]}" | awk '$1 == "submit" { print $3 }')
echo "submit p50, city / empty: $(python3 -c "print(f'{$submit_city / $submit_empty:.2f}')")"
began=$(date +%s.%N)
"$binary" audit verify --db "$workdir/db.sqlite" | tail -1
echo "audit verify: $(python3 -c "print(f'{$(date +%s.%N) - $began:.1f}')") s; database $(du -h "$workdir/db.sqlite" | cut -f1)"
