#!/usr/bin/env bash
# Runs the whole test suite: unit and acceptance tests (Swift Testing), the running app checked
# against openapi.yaml by schemathesis, then the web pages in a real browser (headless Chromium and
# Selenium, Scripts/browser-tests.sh; screenshots under Tests/Browser/screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-dependencies.sh
swift build --build-tests
Scripts/api-conformance.sh .build/debug/shenguan
swift test --skip-build
Scripts/browser-tests.sh .build/debug/shenguan
