#!/usr/bin/env bash
# A Ray cluster on this host: a head that schedules (no CPUs of its own) and N worker nodes of
# one CPU each, each its own raylet, as on N machines.
#   deploy/ray/cluster.sh start [--workers 2] [--port 6390] [--run DIR]
#   deploy/ray/cluster.sh stop  [--run DIR]
# start writes DIR/env (default DIR: ~/.cache/refer/ray-cluster): RAY_ADDRESS and the
# authentication settings; `source DIR/env` before deploy/ray/embed_corpus.py. Every node
# advertises 127.0.0.2, a loopback address (Ray rewrites 127.0.0.1 and localhost to the host's
# network address, so that other machines could join; 127.0.0.2 it keeps). Ray's servers still
# listen on every interface, so the cluster asks for a token (RAY_AUTH_MODE=token, a random
# token in DIR/token, mode 600): without one, anyone who reaches those ports can run code. On a real cluster, run `ray start --address HEAD:PORT --num-cpus C` on each
# machine with the same env (deploy/ray/README.md). stop runs `ray stop`, which stops every Ray
# process of this user on this host.
set -euo pipefail
cd "$(dirname "$0")/../.."
ACTION="${1:-}"; shift || true
WORKERS=2; PORT=6390; RUN="$HOME/.cache/refer/ray-cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --run) RUN="$2"; shift 2 ;;
    *) echo "cluster.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
RAY="$VENV/bin/ray"
[ -x "$RAY" ] || { echo "cluster.sh: no ray in $VENV (scripts/setup.sh installs it)" >&2; exit 69; }
export RAY_USAGE_STATS_ENABLED=0
case "$ACTION" in
  start)
    mkdir -p "$RUN"
    if [ ! -s "$RUN/token" ]; then (umask 077; python3 -c 'import secrets; print(secrets.token_hex(32))' > "$RUN/token"); fi
    export RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH="$RUN/token"
    "$RAY" start --head --node-ip-address 127.0.0.2 --port "$PORT" --num-cpus 0 --include-dashboard false --disable-usage-stats > "$RUN/head.log" 2>&1 \
      || { cat "$RUN/head.log" >&2; exit 1; }
    address="$(python3 -c 'import re,sys; print(re.search(r"--address=.([\d.]+:\d+)", open(sys.argv[1]).read()).group(1))' "$RUN/head.log")"
    for i in $(seq 1 "$WORKERS"); do
      "$RAY" start --address "$address" --node-ip-address 127.0.0.2 --num-cpus 1 > "$RUN/worker-$i.log" 2>&1 || { cat "$RUN/worker-$i.log" >&2; exit 1; }
    done
    printf 'export RAY_ADDRESS=%s RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH=%s RAY_USAGE_STATS_ENABLED=0\n' "$address" "$RUN/token" > "$RUN/env"
    echo "ray: head at $address and $WORKERS worker nodes; source $RUN/env"
    ;;
  stop)
    "$RAY" stop --force > /dev/null 2>&1 || true
    echo "ray: stopped"
    ;;
  *) echo "usage: deploy/ray/cluster.sh start|stop [--workers 2] [--port 6390] [--run DIR]" >&2; exit 64 ;;
esac
