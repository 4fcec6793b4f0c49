#!/usr/bin/env bash
# The Ray job on the whole ACL Anthology corpus (17,016 papers): a local cluster of a head and
# two one-CPU workers (deploy/ray/cluster.sh), the driver killed once a quarter of the shards are
# embedded and run again, every stored vector checked against `refer embed --papers` in one
# process (cosine >= 0.99999), and the times of both. Tests/deploy/ray_test.py does the work;
# the test command runs it on 240 papers.
#   Benchmarks/ray-embed.sh [--shard-papers 500] [--precision f32] [--json out/ray-embed.json]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARD=500; PRECISION=f32; JSON=out/ray-embed.json
while [ $# -gt 0 ]; do
  case "$1" in
    --shard-papers) SHARD="$2"; shift 2 ;;
    --precision) PRECISION="$2"; shift 2 ;;
    --json) JSON="$2"; shift 2 ;;
    *) echo "ray-embed.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
swift build -c release --product refer 2>&1 | tail -n 1
mkdir -p "$(dirname "$JSON")"
python3 Tests/deploy/ray_test.py .build/release/refer --papers 0 --shard-papers "$SHARD" --precision "$PRECISION" --json "$JSON"
cat "$JSON"
