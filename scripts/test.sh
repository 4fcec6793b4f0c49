#!/usr/bin/env bash
# Every test: the unit and integration suites (swift test), then the store's crash
# test (a release `refer ingest` killed with SIGKILL 20 times). Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
swift build -c release --product refer
python3 Tests/crash/crash_ingest.py .build/release/refer --kills 20
