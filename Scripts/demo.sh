#!/usr/bin/env bash
# Runs the service with the sample projects on the embedded SQLite database (./shenguan.sqlite).
# Extra arguments go to `shenguan serve`, e.g. --port 9000 --public-url https://sg.example.cn
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh
swift build -c release --product shenguan
exec .build/release/shenguan serve --demo "$@"
