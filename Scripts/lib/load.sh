# Shared by the wrk load scripts (Scripts/load-verify.sh, load-noise.sh, load-scans.sh, load-city.sh) and, for its
# server (load_workdir, load_start_server, load_server_alive), by Scripts/browser-tests.sh; source it, do not
# run it. Before sourcing, set LOAD_NAME (the prefix of every message, e.g. "load-verify"); after,
# call in this order:
#
#   load_settings                 LOAD_DURATION (1–10 s), LOAD_CONNECTIONS, LOAD_THREADS, LOAD_ROUNDS (1–5) checked
#   load_tools                    wrk installed with apt-get when missing; python3 required
#   load_workdir                  $workdir, a throwaway folder; the server is stopped and it removed on exit
#   load_binary "$@"              $binary: the argument, or a release build made here
#                                 (swift build -c release --product shenguan --scratch-path .build-release)
#   load_start_server             `shenguan serve --demo` on a free port of 127.0.0.1 with a throwaway
#                                 database ($workdir/db.sqlite; LOAD_SERVE_FLAGS replaces --demo, empty
#                                 for none); sets $port, $base, $server_pid; waits for /healthz (90 s)
#   load_run NAME URL [WRK OPTIONS]
#                                 one wrk run (-t$threads -c$connections -d${duration}s --latency), its
#                                 output kept in $workdir/wrk-NAME.txt; prints
#                                 "requests/s p99-ms non-2xx-count socket-errors(0|1) server-CPU-μs-per-request"
#   load_server_alive             fails, with the server's log, if the server died during the run
#
# The server's CPU time per request comes from /proc/<pid>/stat (user + system), so it says what
# one request costs even though wrk and the server share the machine's cores.

: "${LOAD_NAME:?set LOAD_NAME before sourcing Scripts/lib/load.sh}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
source "$root/Scripts/lib/packages.sh"

load_settings() {
  duration=${LOAD_DURATION:-10}
  connections=${LOAD_CONNECTIONS:-64}
  threads=${LOAD_THREADS:-2}
  rounds=${LOAD_ROUNDS:-1}
  case $duration in ''|*[!0-9]*) echo "$LOAD_NAME: LOAD_DURATION must be whole seconds" >&2; exit 2 ;; esac
  [ "$duration" -ge 1 ] && [ "$duration" -le 10 ] || { echo "$LOAD_NAME: LOAD_DURATION must be 1–10 s" >&2; exit 2; }
  case $rounds in ''|*[!0-9]*|0) echo "$LOAD_NAME: LOAD_ROUNDS must be a positive whole number" >&2; exit 2 ;; esac
  [ "$rounds" -le 5 ] || { echo "$LOAD_NAME: LOAD_ROUNDS is at most 5" >&2; exit 2; }
}

# ---- wrk, only if missing -----------------------------------------------------------------------
load_tools() {
  install_missing_packages "$LOAD_NAME" wrk
  command -v python3 >/dev/null 2>&1 || { echo "$LOAD_NAME: python3 is needed (JSON and the HTTP set-up calls)" >&2; exit 2; }
}

load_workdir() {
  workdir=$(mktemp -d "${TMPDIR:-/tmp}/shenguan-load.XXXXXX")
  server_pid=""
  trap load_cleanup EXIT
  trap 'exit 130' INT TERM
}

load_cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}

# ---- the binary: given, or a release build ------------------------------------------------------
load_binary() {
  if [ $# -ge 1 ]; then
    binary=$1
    case $binary in /*) ;; *) binary="$root/$binary" ;; esac
  else
    echo "$LOAD_NAME: building shenguan (swift build -c release --product shenguan --scratch-path .build-release)"
    if ! swift build -c release --product shenguan --scratch-path "$root/.build-release" >"$workdir/build.log" 2>&1; then
      echo "$LOAD_NAME: the release build failed:" >&2
      grep -E "error:" "$workdir/build.log" >&2 || tail -30 "$workdir/build.log" >&2
      exit 1
    fi
    binary="$root/.build-release/release/shenguan"
  fi
  [ -x "$binary" ] || { echo "$LOAD_NAME: no executable at $binary" >&2; exit 2; }
}

# ---- the server ---------------------------------------------------------------------------------
load_start_server() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  base="http://127.0.0.1:$port"

  # shellcheck disable=SC2086  # LOAD_SERVE_FLAGS is a list of flags, --demo unless set (empty: none)
  "$binary" serve ${LOAD_SERVE_FLAGS---demo} --db "$workdir/db.sqlite" --port "$port" --host 127.0.0.1 --public-url "$base" >"$workdir/server.log" 2>&1 &
  server_pid=$!

  echo "$LOAD_NAME: starting $binary on $base"
  local deadline=$((SECONDS + 90))
  until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$LOAD_NAME: the server exited; its log:" >&2
      cat "$workdir/server.log" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$LOAD_NAME: /healthz did not answer within 90 s; server log:" >&2
      cat "$workdir/server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# ---- wrk ----------------------------------------------------------------------------------------
clock_ticks=$(getconf CLK_TCK)
# The server's CPU time so far (user + system, fields 14 and 15 of /proc/PID/stat), in clock ticks;
# read after the ")" that ends the command name.
server_ticks() { sed 's/.*) //' "/proc/$server_pid/stat" | awk '{ print $12 + $13 }'; }

# load_run NAME URL [WRK OPTIONS]: one wrk run; prints
# "requests/s p99-ms non-2xx-count socket-errors(0|1) server-CPU-μs-per-request".
load_run() {
  local name=$1 url=$2 output before after
  shift 2
  before=$(server_ticks)
  output=$(timeout $((duration + 20)) wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$url")
  after=$(server_ticks)
  printf '%s\n' "$output" >"$workdir/wrk-$name.txt"
  python3 - "$workdir/wrk-$name.txt" "$((after - before))" "$clock_ticks" "$LOAD_NAME" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ticks, per_second = int(sys.argv[2]), int(sys.argv[3])
rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
total = re.search(r"^\s*(\d+) requests in", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
if not rps or not p99 or not total:
    sys.exit(f"{sys.argv[4]}: cannot read wrk's output:\n" + text)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
cpu = ticks / per_second * 1e6 / max(int(total.group(1)), 1)
print(f"{float(rps.group(1)):.0f} {float(p99.group(1)) * scale:.2f} {non2xx.group(1) if non2xx else 0} {1 if errors else 0} {cpu:.0f}")
PY
}

# Socket errors of a run, on stderr, if wrk reported any.
load_report_socket_errors() {
  local name=$1 file="$workdir/wrk-$1.txt"
  if grep -q "Socket errors" "$file"; then
    echo "$LOAD_NAME: ${name%-*}: $(grep 'Socket errors' "$file" | sed 's/^ *//')" >&2
  fi
}

load_server_alive() {
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "$LOAD_NAME: the server died during the run; its log:" >&2
    tail -50 "$workdir/server.log" >&2
    exit 1
  fi
}

# load_benchmarks_build PRODUCT: a release build of a product of the Benchmarks package (the server,
# or the seed tool), its log in the work folder, its errors shown when it fails.
load_benchmarks_build() {
  echo "$LOAD_NAME: building $1 (swift build -c release --package-path Benchmarks --product $1)"
  if ! swift build -c release --package-path "$root/Benchmarks" --product "$1" >"$workdir/build-$1.log" 2>&1; then
    echo "$LOAD_NAME: the release build of $1 failed:" >&2
    grep -E "error:" "$workdir/build-$1.log" >&2 || tail -30 "$workdir/build-$1.log" >&2
    exit 1
  fi
}

# load_seeded_database DIR CERTIFICATES SCANS CODES MAX_AGE_DAYS RESEED: the database ScanLoadSeed
# builds, kept in DIR and rebuilt when missing, made with other sizes, older than MAX_AGE_DAYS or
# RESEED=1; then copied, with its keys and files, to the server's place in the work folder.
load_seeded_database() {
  local dir=$1 certificates=$2 scans=$3 codes=$4 max_age=$5 reseed=$6
  local params="certificates=$certificates scans=$scans codes=$codes"
  if [ ! -f "$dir/seed.sqlite" ] || [ ! -f "$dir/codes.tsv" ] || [ "$(cat "$dir/seed.params" 2>/dev/null)" != "$params" ] \
     || [ -n "$(find "$dir/seed.sqlite" -mtime +"$max_age" 2>/dev/null)" ]; then
    reseed=1
  fi
  if [ "$reseed" = 1 ]; then
    load_benchmarks_build ScanLoadSeed
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    echo "$LOAD_NAME: seeding $params into $dir (progress in $dir.partial/seed.log)"
    if ! "$root/Benchmarks/.build/release/ScanLoadSeed" --db "$dir.partial/seed.sqlite" --codes-out "$dir.partial/codes.tsv" \
         --certificates "$certificates" --scans "$scans" --codes "$codes" 2>"$dir.partial/seed.log"; then
      echo "$LOAD_NAME: seeding failed:" >&2
      tail -20 "$dir.partial/seed.log" >&2
      exit 1
    fi
    echo "$params" >"$dir.partial/seed.params"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
  fi
  echo "$LOAD_NAME: database $dir/seed.sqlite ($(du -h "$dir/seed.sqlite" | cut -f1), built $(date -r "$dir/seed.sqlite" '+%F %R')):" \
       "$(tail -1 "$dir/seed.log" | sed 's/^scan-seed: //')"
  # The server's database is a copy, with its signing keys beside it (AppConfiguration.beside).
  cp "$dir/seed.sqlite" "$workdir/db.sqlite"
  cp -R "$dir/seed-keys" "$workdir/db-keys"
  cp -R "$dir/seed-files" "$workdir/db-files"
}
