#!/usr/bin/env bash
# Throughput and peak memory of the streamed importers on generated corpora in the real schemas.
#   Benchmarks/importers/run.sh [RECORDS] [FORMATS]     (default 1000000 "openalex s2 arxiv dblp")
# Generates each corpus once (seeded, gzip; Benchmarks/importers/generate.py), cached in
# ~/.cache/refer/bench/import/, then times `refer import --format F FILE > /dev/null` with
# /usr/bin/time -v: records per second and the peak resident set size of the process.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
n="${1:-1000000}"; formats="${2:-openalex s2 arxiv dblp}"
case "$n" in ''|*[!0-9]*) echo "usage: $0 [RECORDS] [FORMATS] (RECORDS a number, got '$n')" >&2; exit 64;; esac
cache="${REFER_BENCH_CACHE:-$HOME/.cache/refer/bench}/import"
mkdir -p "$cache"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
(cd "$root" && swift build -c release --product refer 2>&1 | tail -n 1 >&2)
refer="$root/.build/release/refer"
printf "%-9s %9s %10s %12s %12s %10s\n" format records seconds records/s "peak RSS MB" "file MB"
for f in $formats; do
  ext=jsonl; [ "$f" = dblp ] && ext=xml
  file="$cache/$f-$n.$ext.gz"
  [ -s "$file" ] || "$VENV/bin/python" "$here/generate.py" "$f" "$n" "$file"
  extra=(); [ "$f" = s2 ] && extra=(--abstracts "$cache/abstracts-$f-$n.$ext.gz")
  log="$cache/$f-$n.time"
  start=$(date +%s.%N)
  /usr/bin/time -v "$refer" import --format "$f" "$file" "${extra[@]}" > /dev/null 2> "$log" || true
  end=$(date +%s.%N)
  papers=$(grep -oE '[0-9]+ papers,' "$log" | tail -n 1 | grep -oE '[0-9]+')
  rss=$(grep 'Maximum resident set size' "$log" | grep -oE '[0-9]+$')
  size=$(stat -c %s "$file")
  awk -v f="$f" -v p="$papers" -v s="$start" -v e="$end" -v r="$rss" -v z="$size" \
    'BEGIN { t = e - s; printf "%-9s %9d %10.1f %12.0f %12.1f %10.1f\n", f, p, t, p / t, r / 1024, z / 1048576 }'
done
