#!/usr/bin/env bash
# Proves the README's first command ends in a working service: runs scripts/serve.sh
# (build, ingest the bundled corpus and committee, serve) on a fresh store and a free
# port, waits for the URL it prints, calls POST /v1/similar and POST /v1/reviewers,
# validates /openapi.yaml, runs the browser tests of both views (headless Chromium) and stops the server
# with SIGTERM (graceful shutdown). Used by CI after scripts/test.sh.
#   serve-check.sh [--screenshot docs/web-page.png]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
work="$(mktemp -d)"
export REFER_STORE="$work/store" REFER_PORT="${REFER_PORT:-18181}"
bash scripts/serve.sh > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  grep -q "^refer: serving" "$work/serve.log" && break
  kill -0 $server 2>/dev/null || { cat "$work/serve.log"; echo "[serve-check] scripts/serve.sh exited"; exit 1; }
  sleep 1
done
url="$(grep -o 'http://[^ ]*' "$work/serve.log" | head -n 1)"
echo "[serve-check] $url"
draft='{"title": "Learned early termination for graph-based vector search", "abstract": "We predict per query how many distance evaluations an HNSW search needs.", "authors": ["Yuxiong He"], "k": 3}'
curl -sf -X POST "${url}v1/similar" -H 'Content-Type: application/json' -d "$draft" > "$work/similar.json"
curl -sf -X POST "${url}v1/reviewers" -H 'Content-Type: application/json' -d "$draft" > "$work/reviewers.json"
curl -sf "${url}openapi.yaml" > "$work/openapi.yaml"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
papers = json.load(open(f"{work}/similar.json"))["papers"]
answer = json.load(open(f"{work}/reviewers.json"))
assert len(papers) == 3 and all({"id", "title", "score", "authors"} <= p.keys() for p in papers), papers
assert len(answer["reviewers"]) == 3 and all(len(r["evidence"]) == 3 for r in answer["reviewers"]), answer
assert answer["excluded"] and answer["excluded"][0]["name"] == "Minjia Zhang", answer["excluded"]
print("[serve-check] /v1/similar:", papers[0]["title"])
print("[serve-check] /v1/reviewers:", [r["name"] for r in answer["reviewers"]], "excluded:", answer["excluded"])
PY
"$VENV/bin/openapi-spec-validator" "$work/openapi.yaml"
"$VENV/bin/python" Tests/browser/page_test.py "$url" "$@"
# The assignment view; with --screenshot FILE, its screenshot goes beside FILE as web-assign.png.
"$VENV/bin/python" Tests/browser/assign_test.py "$url" ${2:+--screenshot "$(dirname "$2")/web-assign.png"}
kill -TERM $server
wait $server && echo "[serve-check] server stopped cleanly on SIGTERM"
