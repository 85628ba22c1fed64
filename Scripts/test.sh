#!/usr/bin/env bash
# Runs the whole test suite: unit and acceptance tests (Swift Testing), then the running app
# checked against openapi.yaml by schemathesis.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh
swift build --build-tests
Scripts/api-conformance.sh .build/debug/shenguan
swift test --skip-build
