#!/usr/bin/env bash
# Reviewer queries on a 100,000-paper store without committee, timed phase by phase.
#   Benchmarks/reviewers/speed.sh [QUERIES]      (default 300 of pypi-minilm-100k's query texts)
# Builds once, cached in ~/.cache/refer/bench/: a corpus of pypi-minilm-100k's base vectors and
# summaries with generated authors (Benchmarks/reviewers/make_corpus.py: Lotka productivity,
# topic-coherent authors, 1 paper in 10 spelled "Last, First") and its store.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
data="$root/../shared/datasets/pypi-minilm-100k"
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
cache="${REFER_BENCH_CACHE:-$HOME/.cache/refer/bench}"
queries="${1:-300}"
case "$queries" in ''|*[!0-9]*) echo "usage: $0 [QUERIES] (a number, got '$queries')" >&2; exit 64;; esac
mkdir -p "$cache"
(cd "$root" && swift build -c release --product refer 2>&1 | tail -n 1 >&2)
refer="$root/.build/release/refer"
store="$cache/reviewers-100k"
if [ ! -f "$store/data.mdb" ]; then
  echo "building the 100k-paper store with authors (once)" >&2
  "$VENV/bin/python" "$here/make_corpus.py" "$data" "$cache/reviewers-100k.jsonl"
  "$refer" ingest "$cache/reviewers-100k.jsonl" --vectors "$data/base.fbin" --store "$store" --batch 10000 >&2
fi
"$refer" bench-reviewers --store "$store" --queries "$data/query.txt" --limit "$queries" --json "${REFER_BENCH_JSON:-/dev/null}"
