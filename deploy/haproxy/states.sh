#!/usr/bin/env bash
# Each replica's state in HAProxy's pool, one "name state" line each (UP, DOWN, ...), from the
# stats page make-config.sh opens on STATS_PORT. With --resent: HAProxy's retries and
# redispatches so far ("R and D"), the requests it sent again to another replica.
#   deploy/haproxy/states.sh STATS_PORT [--resent]
set -euo pipefail
csv="$(curl -s "http://127.0.0.1:$1/stats;csv")"
if [ "${2:-}" = "--resent" ]; then
  awk -F, '$1 == "replicas" && $2 == "BACKEND" { print $16, "and", $17 }' <<< "$csv"
else
  awk -F, '$1 == "replicas" && $2 ~ /^replica/ { print $2, $18 }' <<< "$csv"
fi
