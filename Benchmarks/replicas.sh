#!/usr/bin/env bash
# Replicas behind HAProxy under load, with replicas killed and restarted mid-run (a benchmark).
#   Benchmarks/replicas.sh --replicas N --kill K --json FILE [--store DIR] [--duration 30]
#       [--connections 16] [--restart-delay 5] [--port 18400]
# Starts deploy/haproxy/serve.sh (N `refer serve` replicas on one store, HAProxy in front, all on
# loopback), drives wrk against HAProxy with POST /v1/similar and a 150-word abstract
# (Benchmarks/load/similar-request.json), SIGKILLs replicas 1..K a third of the way through,
# and lets serve.sh start them again after --restart-delay seconds. Writes
# {"requests", "non_2xx", "socket_errors", "requests_per_s"} as wrk counted them at the client
# (socket errors: connect + read + write + timeout; wrk's timeout is 10 s), prints when each killed
# replica was out of and back in HAProxy's pool, and exits 1 if any request failed or a replica
# did not come back. Store: --store, else $REFER_ACL_STORE, else the ACL Anthology store
# Benchmarks/server-load.sh uses (~/.cache/refer/stores/acl, built once if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
REPLICAS=""; KILL=""; JSON=""; STORE="${REFER_ACL_STORE:-$HOME/.cache/refer/stores/acl}"
DURATION=30; CONNECTIONS=16; RESTART_DELAY=5; PORT=18400
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS="$2"; shift 2 ;;
    --kill) KILL="$2"; shift 2 ;;
    --json) JSON="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --restart-delay) RESTART_DELAY="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "replicas.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
if [ -z "$REPLICAS" ] || [ -z "$KILL" ] || [ -z "$JSON" ]; then
  echo "usage: Benchmarks/replicas.sh --replicas N --kill K --json FILE [--store DIR] [--duration 30] [--connections 16]" >&2; exit 64
fi
if [ "$KILL" -ge "$REPLICAS" ]; then echo "replicas.sh: --kill must leave a replica serving (K < N)" >&2; exit 64; fi
STATS_PORT=$((PORT + 324))
swift build -c release --product refer 2>&1 | tail -n 1
if [ ! -f "$STORE/data.mdb" ]; then
  echo "[replicas] building the ACL store $STORE (17,016 abstracts; about 10 minutes on 2 cores)"
  .build/release/refer ingest ../shared/datasets/acl-anthology/papers.jsonl.gz --store "$STORE"
fi
run="$(mktemp -d)"
deploy/haproxy/serve.sh --store "$STORE" --replicas "$REPLICAS" --port "$PORT" --stats-port "$STATS_PORT" \
  --run "$run/serve" --restart-delay "$RESTART_DELAY" > "$run/serve.out" 2>&1 &
serve=$!
trap 'kill -TERM $serve 2>/dev/null || true; wait $serve 2>/dev/null || true; rm -rf "$run"' EXIT
for _ in $(seq 1 300); do grep -q "^refer: serving" "$run/serve.out" && break; kill -0 $serve 2>/dev/null || break; sleep 0.2; done
grep "^refer: serving" "$run/serve.out" || { echo "replicas.sh: the replicas did not start:" >&2; cat "$run/serve.out" >&2; exit 1; }

export REFER_LOAD_BODY="$PWD/Benchmarks/load/similar-request.json"
url="http://127.0.0.1:$PORT/v1/similar"
for _ in $(seq 1 "$((REPLICAS * 2))"); do curl -sf -o /dev/null -X POST "$url" -H 'Content-Type: application/json' --data-binary @"$REFER_LOAD_BODY"; done

# Each replica's state in HAProxy's pool, one "name state" line each.
states() { deploy/haproxy/states.sh "$STATS_PORT"; }

wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s Benchmarks/load/post.lua "$url" > "$run/wrk.txt" &
wrk_pid=$!
start=$(date +%s.%N)
sleep "$(python3 -c "print($DURATION / 3)")"
for i in $(seq 1 "$KILL"); do
  kill -KILL "$(cat "$run/serve/replica-$i.pid")"
  echo "[replicas] $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s: SIGKILL replica$i"
done
# Watch the pool until wrk ends: when each killed replica leaves it and comes back.
declare -A seen_down=() back=()
while kill -0 $wrk_pid 2>/dev/null; do
  now=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
  while read -r name state; do
    if [ "$state" != "UP" ] && [ -z "${seen_down[$name]:-}" ]; then seen_down[$name]=1; echo "[replicas] $now s: $name $state in HAProxy"; fi
    if [ "$state" = "UP" ] && [ -n "${seen_down[$name]:-}" ] && [ -z "${back[$name]:-}" ]; then back[$name]=1; echo "[replicas] $now s: $name UP again"; fi
  done < <(states)
  sleep 0.25
done
wait $wrk_pid
cat "$run/wrk.txt"
final="$(states)"
echo "[replicas] pool after the run:" $final
echo "[replicas] HAProxy's retries and redispatches (requests sent again):" \
  "$(deploy/haproxy/states.sh "$STATS_PORT" --resent)"

python3 - "$run/wrk.txt" "$JSON" "$REPLICAS" "$KILL" "$final" <<'PY'
import json, sys
sys.path.insert(0, "Benchmarks/load")
import wrk_summary
summary = wrk_summary.parse(open(sys.argv[1]).read())
result = {key: summary[key] for key in ("requests", "non_2xx", "socket_errors", "requests_per_s")}
json.dump(result, open(sys.argv[2], "w"), indent=2)
replicas, killed, final = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split("\n")
print(f"{replicas} replicas, {killed} killed and restarted: {result['requests']} requests, {result['requests_per_s']:.1f}/s, "
      f"non-2xx {result['non_2xx']}, socket errors {result['socket_errors']}; wrote {sys.argv[2]}")
up = sum(1 for line in final if line.endswith(" UP"))
if up != replicas:
    print(f"replicas.sh: {replicas - up} replica(s) not back in the pool after the run", file=sys.stderr)
if result["non_2xx"] or result["socket_errors"] or up != replicas:
    sys.exit(1)
PY
