#!/usr/bin/env bash
# N `refer serve` replicas on one store, behind HAProxy, on this host.
#   deploy/haproxy/serve.sh [--store DIR] [--replicas 3] [--port 8080] [--replica-port PORT+1]
#       [--stats-port PORT+324] [--run DIR] [--restart-delay 1] [--refer .build/release/refer]
# Replicas listen on loopback, ports replica-port .. replica-port+N-1; HAProxy listens on
# 127.0.0.1:PORT (make-config.sh says why each setting). A replica that exits, or is killed, is
# started again after --restart-delay seconds (a supervisor loop, as systemd's Restart=always
# would). Every replica opens the store read-only and answers from its newest committed state, so
# papers added with `refer ingest --store DIR` reach all of them without a restart.
# --run DIR keeps the generated haproxy.cfg, the logs and a pid file per replica
# (replica-I.pid); default: a temporary folder. SIGINT or SIGTERM stops everything; replicas
# finish the requests in flight first. Prints "refer: serving N replicas at URL" when all are up.
set -euo pipefail
cd "$(dirname "$0")/../.."
STORE="${REFER_STORE:-$HOME/.local/share/refer/store}"; REPLICAS=3; PORT=8080; REPLICA_PORT=""; STATS_PORT=""
RUN=""; RESTART_DELAY=1; REFER=.build/release/refer
while [ $# -gt 0 ]; do
  case "$1" in
    --store) STORE="$2"; shift 2 ;;
    --replicas) REPLICAS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --replica-port) REPLICA_PORT="$2"; shift 2 ;;
    --stats-port) STATS_PORT="$2"; shift 2 ;;
    --run) RUN="$2"; shift 2 ;;
    --restart-delay) RESTART_DELAY="$2"; shift 2 ;;
    --refer) REFER="$2"; shift 2 ;;
    *) echo "serve.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
REPLICA_PORT="${REPLICA_PORT:-$((PORT + 1))}"
STATS_PORT="${STATS_PORT:-$((PORT + 324))}"
command -v haproxy > /dev/null || { echo "serve.sh: haproxy is not installed (scripts/setup.sh installs it)" >&2; exit 69; }
[ -x "$REFER" ] || { echo "serve.sh: no refer binary at $REFER (swift build -c release --product refer)" >&2; exit 69; }
[ -f "$STORE/data.mdb" ] || { echo "serve.sh: no store at $STORE (refer ingest --store $STORE ...)" >&2; exit 66; }
if [ -z "$RUN" ]; then RUN="$(mktemp -d)"; cleanup_run=1; else mkdir -p "$RUN"; cleanup_run=0; fi
rm -f "$RUN"/stop "$RUN"/replica-*.pid

deploy/haproxy/make-config.sh --port "$PORT" --replicas "$REPLICAS" --replica-port "$REPLICA_PORT" --stats-port "$STATS_PORT" > "$RUN/haproxy.cfg"

# One supervisor loop per replica: start it, wait for it, start it again unless we are stopping.
supervise() {
  local i="$1" port="$2"
  while [ ! -f "$RUN/stop" ]; do
    "$REFER" serve --store "$STORE" --port "$port" --log-level warning >> "$RUN/replica-$i.log" 2>&1 &
    echo $! > "$RUN/replica-$i.pid"
    local rc=0; wait $! || rc=$?
    [ -f "$RUN/stop" ] && break
    echo "serve.sh: replica $i (port $port) exited with status $rc; starting it again in ${RESTART_DELAY}s" >&2
    sleep "$RESTART_DELAY"
  done
}
supervisors=()
for i in $(seq 1 "$REPLICAS"); do
  supervise "$i" "$((REPLICA_PORT + i - 1))" &
  supervisors+=($!)
done
haproxy -db -f "$RUN/haproxy.cfg" >> "$RUN/haproxy.log" 2>&1 &
haproxy_pid=$!

stop() {
  touch "$RUN/stop"
  for f in "$RUN"/replica-*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true; done
  wait "${supervisors[@]}" 2>/dev/null || true
  kill -TERM "$haproxy_pid" 2>/dev/null || true
  wait "$haproxy_pid" 2>/dev/null || true
  [ "$cleanup_run" = 1 ] && rm -rf "$RUN"
  exit "${1:-0}"
}
trap stop INT TERM

# Ready when HAProxy reports every replica UP.
up=0
for _ in $(seq 1 600); do
  up=$(deploy/haproxy/states.sh "$STATS_PORT" 2>/dev/null | grep -c " UP$" || true)
  [ "$up" -eq "$REPLICAS" ] && break
  kill -0 "$haproxy_pid" 2>/dev/null || { echo "serve.sh: haproxy exited; $RUN/haproxy.log:" >&2; cat "$RUN/haproxy.log" >&2; stop 1; }
  sleep 0.2
done
if [ "$up" -ne "$REPLICAS" ]; then echo "serve.sh: only $up of $REPLICAS replicas came up; logs in $RUN" >&2; fi
echo "refer: serving $REPLICAS replicas at http://127.0.0.1:$PORT/ (HAProxy states: http://127.0.0.1:$STATS_PORT/stats)"
wait "$haproxy_pid" || true
echo "serve.sh: haproxy exited; $RUN/haproxy.log" >&2
stop 1
