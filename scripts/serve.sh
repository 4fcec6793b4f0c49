#!/usr/bin/env bash
# The main job: builds refer (release), puts the bundled corpus (datasets/aisys2023, 233
# papers) and the seed committee (datasets/committee, four reviewers) into a store, and
# serves it with the web page. Run scripts/setup.sh first (the README's first command does).
#   REFER_STORE  the store folder (default ~/.local/share/refer/store, refer's default store)
#   REFER_HOST   the address to listen on (default 127.0.0.1)
#   REFER_PORT   the port (default 8080)
# Ingesting again is safe: papers with known ids are updated, the committee replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE="${REFER_STORE:-$HOME/.local/share/refer/store}"
HOST="${REFER_HOST:-127.0.0.1}"
PORT="${REFER_PORT:-8080}"
echo "[serve] swift build -c release --product refer"
swift build -c release --product refer 2>&1 | tail -n 1
mkdir -p "$(dirname "$STORE")"
echo "[serve] ingest datasets/aisys2023/papers.jsonl and datasets/committee into $STORE"
.build/release/refer ingest datasets/aisys2023/papers.jsonl --committee datasets/committee --store "$STORE"
echo "[serve] store: $STORE (query it with: .build/release/refer similar --title \"...\")"
exec .build/release/refer serve --store "$STORE" --host "$HOST" --port "$PORT"
