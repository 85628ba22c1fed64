#!/usr/bin/env bash
# Checks the running app against openapi.yaml with schemathesis: starts `shenguan serve --demo` on a
# free local port with a throwaway database, logs in as demo accounts and lets schemathesis fuzz
# every documented operation. Fails on any server error (5xx), any response that the document does
# not describe (status, content type, body schema), and any request the document calls invalid
# that the server accepts.
#
#   Scripts/api-conformance.sh [SHENGUAN_BINARY]        (default .build/debug/shenguan)
#
# Environment:
#   CONFORMANCE_MAX_EXAMPLES  test cases per operation and pass (default 20)
#   CONFORMANCE_SEED          schemathesis seed (default 20260101; "random" for a fresh one)
#   CONFORMANCE_REPORT_DIR    when set, JUnit reports are written there
#
# Safe to run again: it installs schemathesis only when missing and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

binary=${1:-.build/debug/shenguan}
case $binary in /*) ;; *) binary="$root/$binary" ;; esac
if [ ! -x "$binary" ]; then
  echo "api-conformance: no executable at $binary (build it first: swift build)" >&2
  exit 2
fi

max_examples=${CONFORMANCE_MAX_EXAMPLES:-20}
seed=${CONFORMANCE_SEED:-20260101}
report_dir=${CONFORMANCE_REPORT_DIR:-}
case $report_dir in ''|/*) ;; *) report_dir="$root/$report_dir" ;; esac

# ---- schemathesis (from PyPI), only if missing --------------------------------------------------
find_schemathesis() {
  if command -v schemathesis >/dev/null 2>&1 && schemathesis --version >/dev/null 2>&1; then
    command -v schemathesis
    return 0
  fi
  local dir
  for dir in "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')" \
             "$(python3 -c 'import site; print(site.USER_BASE)')/bin"; do
    if [ -x "$dir/schemathesis" ]; then
      echo "$dir/schemathesis"
      return 0
    fi
  done
  return 1
}
if ! schemathesis_bin=$(find_schemathesis); then
  echo "api-conformance: installing schemathesis"
  python3 -m pip install --quiet schemathesis
  schemathesis_bin=$(find_schemathesis) || { echo "api-conformance: schemathesis not found after install" >&2; exit 2; }
fi
echo "api-conformance: $("$schemathesis_bin" --version)"

# ---- the document itself ----------------------------------------------------------------------
# openapi-spec-validator, when it is installed, checks openapi.yaml against the OpenAPI 3.1 schema.
if python3 -c 'import openapi_spec_validator, yaml' 2>/dev/null; then
  python3 - <<'PY' || exit 1
import sys, yaml
from openapi_spec_validator import validate
try:
    validate(yaml.safe_load(open("openapi.yaml", encoding="utf-8")))
except Exception as error:
    sys.exit(f"api-conformance: openapi.yaml is not a valid OpenAPI document: {error}")
print("api-conformance: openapi.yaml is a valid OpenAPI 3.1 document")
PY
fi

# ---- the server --------------------------------------------------------------------------------
workdir=$(mktemp -d "${TMPDIR:-/tmp}/shenguan-conformance.XXXXXX")
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

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"

# Run from the repository root: the server reads Modules/, SampleProjects/ and openapi.yaml from here.
# Fuzzing signs in with made-up names hundreds of times from 127.0.0.1; the per-address lock
# (twenty in 15 minutes) would then refuse the passes' own sign-ins, so this throwaway server lifts it.
"$binary" serve --demo --db "$workdir/db.sqlite" --host 127.0.0.1 --port "$port" --sign-in-failures-per-address 1000000 \
  >"$workdir/server.log" 2>&1 &
server_pid=$!

# Small HTTP helper (python3, so the script needs no curl): http GET|POST URL [JSON_BODY]
http() {
  python3 - "$@" <<'PY'
import json, sys, urllib.request, urllib.error
method, url = sys.argv[1], sys.argv[2]
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"} if data else {})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.stdout.write(response.read().decode())
except urllib.error.HTTPError as error:
    sys.stderr.write(f"{method} {url}: HTTP {error.code} {error.read().decode()}\n")
    sys.exit(1)
except Exception as error:
    sys.stderr.write(f"{method} {url}: {error}\n")
    sys.exit(1)
PY
}

echo "api-conformance: starting $binary on $base"
deadline=$((SECONDS + 60))
until http GET "$base/healthz" >/dev/null 2>&1; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "api-conformance: the server exited; its log:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "api-conformance: /healthz did not answer 200 within 60 s; server log:" >&2
    cat "$workdir/server.log" >&2
    exit 1
  fi
  sleep 0.5
done

# prepare USERNAME CONFIG: logs in as a demo account, collects the identifiers that account can
# reach (projects, applications, certificates, its files, catalog codes) and writes a schemathesis
# config that feeds them to the generated requests now and then, so the fuzzing reaches real
# resources and real state transitions instead of only 404s. Prints the bearer token.
prepare() {
  python3 - "$base" "$1" "$2" <<'PY'
import glob, json, re, sys, urllib.request, urllib.error
base, username, config_path = sys.argv[1:4]

def call(method, path, body=None, token=None, content_type="application/json"):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None

status, session = call("POST", "/api/v1/auth/login", json.dumps({"username": username, "password": "Demo-2026!"}).encode())
if status != 200:
    sys.exit(f"api-conformance: cannot log in as {username} (HTTP {status})")
token, role = session["token"], session["role"]

items, materials, regions = [], set(), []
for summary in call("GET", "/api/v1/catalog/items")[1]:
    items.append(summary["code"])
    materials.update(material["id"] for material in call("GET", f"/api/v1/catalog/items/{summary['code']}")[1]["materials"])
regions = [region["code"] for region in call("GET", "/api/v1/catalog/regions")[1]]
departments = [department["id"] for department in call("GET", "/api/v1/catalog/departments")[1]]
bundles = []
for path in sorted(glob.glob("Modules/bundles/*.yaml")):
    match = re.search(r"^code:\s*\"?([A-Za-z0-9._-]+)", open(path, encoding="utf-8").read(), re.M)
    if match:
        bundles.append(match.group(1))

projects, firms, applications, certificates, files, jws = [], set(), [], set(), set(), set()
status, listed = call("GET", "/api/v1/projects", token=token)
for project in listed or []:
    projects.append(project["id"])
    firms.update(party["uscc"] for party in (project["builder"], project.get("contractor")) if party)
status, listed = call("GET", "/api/v1/applications", token=token)
for application in listed or []:
    applications.append(application["id"])
    details = call("GET", f"/api/v1/applications/{application['id']}", token=token)[1] or {}
    certificates.update(certificate["number"] for certificate in details.get("certificates", []))
    jws.update(certificate["qr"].rsplit("/v/", 1)[-1] for certificate in details.get("certificates", []))
    files.update(material["file"] for material in application["materials"] if "file" in material)
tasks = []
if role == "inspector":
    status, listed = call("GET", "/api/v1/supervision/tasks?status=open,claimed,closed,cancelled", token=token)
    tasks = [task["id"] for task in listed or []]
    firms.update(task["holder"]["uscc"] for task in listed or [])
    status, stored = call("POST", "/api/v1/files", b"\xff\xd8\xff\xe0 conformance site photo", token=token, content_type="image/jpeg")
    if status == 201:
        files.add(stored["id"])
elif role != "applicant":
    status, overview = call("GET", "/api/v1/supervision/overview", token=token)
    tasks = [task["id"] for task in (overview or {}).get("awaitingFirstInspection", [])]
if role == "applicant":
    status, stored = call("POST", "/api/v1/files", b"%PDF-1.4 conformance test material\n", token=token, content_type="application/pdf")
    if status == 201:
        files.add(stored["id"])
    if session.get("firm"):
        firms.add(session["firm"])
# Fresh, well-formed project codes: the first use registers a project, later ones conflict (409).
project_codes = [f"2411-420104-04-01-{900000 + n:06d}" for n in range(1, 6)]
# Fresh, well-formed usernames, for the same reason.
usernames = [f"conformance-{n}" for n in range(1, 6)]

dictionaries = {
    "applications": applications, "projects": projects, "certificates": sorted(certificates), "files": sorted(files), "jws": sorted(jws),
    "items": items, "materials": sorted(materials), "bundles": bundles, "regions": regions, "firms": sorted(firms),
    "project_codes": project_codes, "usernames": usernames, "departments": departments, "tasks": tasks,
}
operations = [
    (["getApplication", "decideAcceptance", "reviewItem", "issueCertificates", "withdrawApplication",
      "requestCorrection", "submitCorrection", "supplyDeferredMaterials", "resubmitDeniedItem",
      "scheduleJointSurvey", "recordSurveyFindings", "sendApplicationMessage", "listApplicationMessages"],
     {"path.id": "applications", "body.item": "items", "body.deferred[*]": "materials",
      "body.materials[*].material": "materials", "body.materials[*].file": "files"}),
    (["getProject"], {"path.id": "projects"}),
    (["getFormDefaults"], {"path.id": "projects", "query.bundle": "bundles"}),
    (["getSupervisionTask", "claimSupervisionTask", "releaseSupervisionTask", "recordInspection"],
     {"path.id": "tasks", "body.photos[*]": "files"}),
    (["getFirmCredit"], {"path.uscc": "firms"}),
    (["drawRandomInspections"], {"body.department": "departments", "body.region": "regions"}),
    (["verifyCertificate", "printCertificate"], {"path.jws": "jws"}),
    (["reportExternalInspection"], {"path.number": "certificates", "body.photos[*]": "files"}),
    (["downloadFile"], {"path.id": "files"}),
    (["getCertificate"], {"path.number": "certificates"}),
    (["getCatalogItem", "guideItem"], {"path.code": "items"}),
    (["getBundleNotice", "guideBundle"], {"path.bundle": "bundles"}),
    (["createProject"], {"body.code": "project_codes", "body.district": "regions", "body.builder.uscc": "firms",
                         "body.contractor.uscc": "firms"}),
    (["createAccount"], {"body.username": "usernames", "body.firm": "firms", "body.department": "departments",
                         "body.region": "regions"}),
    (["submitApplication"], {"body.projectId": "projects", "body.bundle": "bundles", "body.items[*]": "items",
                             "body.materials[*].material": "materials", "body.materials[*].file": "files"}),
]
q = json.dumps
lines = []
for name, values in dictionaries.items():
    if values:
        lines += [f"[dictionaries.{name}]", f"values = [{', '.join(q(v) for v in values)}]", ""]
for operation_ids, bindings in operations:
    usable = {key: name for key, name in bindings.items() if dictionaries[name]}
    if usable:
        inline = ", ".join(f"{q(key)} = {{ dictionary = {q(name)}, probability = 0.6 }}" for key, name in usable.items())
        lines += ["[[operations]]", f"include-operation-id = [{', '.join(q(i) for i in operation_ids)}]", f"parameters = {{ {inline} }}", ""]
with open(config_path, "w", encoding="utf-8") as config:
    config.write("\n".join(lines))
print(token)
PY
}

# ---- schemathesis passes -----------------------------------------------------------------------
# Server errors, response status/content type/headers/body against the document, invalid requests
# that must be refused, authentication. Not `unsupported_method` (the router answers an undocumented
# method with 404, not 405) nor `positive_data_acceptance` (a schema-valid request may still break a
# business rule: 422 by design).
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,ignored_auth,use_after_free,ensure_resource_availability
failed=0

# run_pass USERNAME [extra schemathesis options…]: one schemathesis run as that demo account.
run_pass() {
  local username=$1 token config=$workdir/$1.toml
  shift
  echo
  echo "api-conformance: pass as '$username'"
  if ! token=$(prepare "$username" "$config"); then
    failed=1
    return
  fi
  local options=(
    "$base/openapi.yaml" --url "$base"
    -H "Authorization: Bearer $token"
    --checks "$checks"
    --max-examples "$max_examples"
    --workers 1
    --request-timeout 10
    --generation-database none
    --suppress-health-check all
    --no-color
  )
  [ "$seed" = random ] || options+=(--seed "$seed")
  [ -z "$report_dir" ] || options+=(--report junit --report-junit-path "$report_dir/schemathesis-$username.xml")
  echo "+ schemathesis --config-file $config run ${options[*]//$token/\$TOKEN} $*"
  # From the temporary folder, so schemathesis' and hypothesis' caches do not land in the repository.
  if ! (cd "$workdir" && "$schemathesis_bin" --config-file "$config" run "${options[@]}" "$@"); then
    failed=1
  fi
}

[ -z "$report_dir" ] || mkdir -p "$report_dir"
started=$SECONDS

# Staff first, so that the applicants then meet applications in more states (补正, 容缺, decided).
# Logout (and logout everywhere) has a pass of its own: it ends the session the other passes run under.
everything_but_logout=(--exclude-operation-id logout --exclude-operation-id logoutAll)
run_pass clerk-wang "${everything_but_logout[@]}"
run_pass reviewer-housing "${everything_but_logout[@]}"
run_pass issuer "${everything_but_logout[@]}"
run_pass admin "${everything_but_logout[@]}"
run_pass inspector-cg-qk "${everything_but_logout[@]}"
run_pass inspector-zaz-qk "${everything_but_logout[@]}"
run_pass chongren "${everything_but_logout[@]}"
run_pass yuejiang "${everything_but_logout[@]}"
run_pass hanxi --include-operation-id logout --include-operation-id logoutAll --phases examples,coverage,fuzzing

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "api-conformance: the server died during the run; its log:" >&2
  cat "$workdir/server.log" >&2
  failed=1
fi

echo
if [ $failed -ne 0 ]; then
  echo "api-conformance: FAILED ($((SECONDS - started)) s); server log tail:" >&2
  tail -n 40 "$workdir/server.log" >&2
  exit 1
fi
echo "api-conformance: openapi.yaml and the running server agree ($((SECONDS - started)) s)"
