#!/usr/bin/env bash
# Load on the server (a benchmark, not a test): wrk, 16 connections for 30 s, against
# POST /v1/similar with a 150-word abstract, on a store of the ACL Anthology corpus
# (17,016 papers with abstracts; built once into $REFER_ACL_STORE). Reports throughput,
# p50/p99 latency, errors and non-2xx answers, next to the embedder's time for one
# abstract alone (refer bench-embed, one thread) and one request at a time (curl), so
# the server's own cost is visible. Run scripts/setup.sh first.
# With --precision bf16|int8 the store is one built in that precision ($REFER_ACL_STORE, default
# ~/.cache/refer/stores/acl-PRECISION), so the server embeds queries in it.
#   Benchmarks/server-load.sh [--duration 30] [--connections 16] [--precision f32] [--json out/server-load.json]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=30; CONNECTIONS=16; JSON=""; PRECISION=f32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --json) JSON="$2"; shift 2 ;;
    --precision) PRECISION="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
case "$PRECISION" in
  f32) STORE="${REFER_ACL_STORE:-$HOME/.cache/refer/stores/acl}" ;;
  bf16|int8) STORE="${REFER_ACL_STORE:-$HOME/.cache/refer/stores/acl-$PRECISION}" ;;
  *) echo "--precision: f32, bf16 or int8, got '$PRECISION'" >&2; exit 64 ;;
esac
PORT="${REFER_PORT:-18282}"
swift build -c release --product refer 2>&1 | tail -n 1
if [ ! -f "$STORE/data.mdb" ]; then
  echo "[load] building the ACL store $STORE (17,016 abstracts; about 10 minutes on 2 cores)"
  .build/release/refer ingest ../shared/datasets/acl-anthology/papers.jsonl.gz --store "$STORE" --precision "$PRECISION"
fi
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

# A 150-word abstract (the same request Benchmarks/replicas.sh sends).
export REFER_LOAD_BODY="$PWD/Benchmarks/load/similar-request.json"
echo "[load] abstract: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["abstract"].split()))' "$REFER_LOAD_BODY") words"

# The embedder alone: one abstract at a time, one thread.
python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print("\n".join([r["title"] + ". " + r["abstract"]] * 50))' "$REFER_LOAD_BODY" > "$work/abstracts.txt"
.build/release/refer bench-embed --input "$work/abstracts.txt" --threads 1 --precision "$PRECISION" --json "$work/embed.json" > /dev/null

.build/release/refer serve --store "$STORE" --port "$PORT" --log-level warning > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q "^refer: serving" "$work/serve.log" && break; sleep 1; done
url="http://127.0.0.1:$PORT/v1/similar"

# One request at a time (after a warm-up).
for _ in $(seq 1 5); do curl -s -o /dev/null -X POST "$url" -H 'Content-Type: application/json' --data-binary @"$REFER_LOAD_BODY"; done
for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' -X POST "$url" -H 'Content-Type: application/json' --data-binary @"$REFER_LOAD_BODY"
done > "$work/single.txt"

wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/load/post.lua "$url" | tee "$work/wrk.txt"
curl -s "http://127.0.0.1:$PORT/metrics" > "$work/metrics.txt"

python3 - "$work" "$JSON" "$DURATION" "$CONNECTIONS" "$PRECISION" <<'PY'
import json, re, statistics, sys
work, out, duration, connections = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, "Benchmarks/load")
import wrk_summary
summary = wrk_summary.parse(open(f"{work}/wrk.txt").read())
pct = {p: summary.get(f"p{p}_ms") for p in ("50", "90", "99")}
requests, rps, non2xx, errors = summary["requests"], summary["requests_per_s"], summary["non_2xx"], summary["socket_errors"]
single = sorted(float(x) * 1e3 for x in open(f"{work}/single.txt").read().split())
embed = json.load(open(f"{work}/embed.json"))
embed_ms = 1e3 / embed["texts_per_s"]
metrics = open(f"{work}/metrics.txt").read()
batch_sum = float(re.search(r"^refer_embedding_batch_size_queries_sum (\S+)", metrics, re.M).group(1))
batch_count = float(re.search(r"^refer_embedding_batch_size_queries_count (\S+)", metrics, re.M).group(1))
result = {
    "duration_s": duration, "connections": connections, "requests": requests, "requests_per_s": rps,
    "p50_ms": pct.get("50"), "p90_ms": pct.get("90"), "p99_ms": pct.get("99"), "errors": errors, "non_2xx": non2xx,
    "single_request_p50_ms": statistics.median(single), "embedder_one_abstract_ms": embed_ms,
    "mean_queries_per_embedding_batch": batch_sum / batch_count, "precision": sys.argv[5],
}
print()
print(f"wrk {connections} connections, {duration} s: {rps:.1f} requests/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
      f"errors {errors}, non-2xx {non2xx}")
print(f"one request at a time: p50 {result['single_request_p50_ms']:.1f} ms; the embedder alone on one abstract: {embed_ms:.1f} ms "
      f"(so 1 thread can embed {1e3 / embed_ms:.0f} abstracts/s)")
print(f"queries per embedding batch under load (all requests so far): {result['mean_queries_per_embedding_batch']:.1f}")
if out:
    json.dump(result, open(out, "w"), indent=2)
    print("wrote", out)
if errors or non2xx:
    sys.exit(1)
PY
