#!/usr/bin/env bash
# Every test: docs/architecture.md's module table against Package.swift, the unit and
# integration suites (swift test), the arm64 kernels (under
# qemu-aarch64 on x86-64), the store's crash test (a
# release `refer ingest` killed with SIGKILL 20 times), every CLI subcommand run as a
# binary, and the README's run command served and checked (routes, OpenAPI, browser).
# Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/module-graph.py --check
swift test
bash Tests/neon/run.sh
swift build -c release --product refer
python3 Tests/crash/crash_ingest.py .build/release/refer --kills 20
python3 Tests/cli/cli_test.py .build/release/refer
# Three replicas behind HAProxy: one killed under load, an ingest reaching all of them.
python3 Tests/deploy/replicas_test.py .build/release/refer
# A corpus embedded on a local Ray cluster (a head and two workers), the driver killed and resumed.
python3 Tests/deploy/ray_test.py .build/release/refer
# The README's first command, end to end: build, ingest the bundled corpus, serve; both
# query routes, the OpenAPI document, the browser test, graceful shutdown.
bash scripts/serve-check.sh
