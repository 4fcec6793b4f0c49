#!/usr/bin/env bash
# One abstract at a time, per precision: 20 ACL Anthology abstracts of 140-160 words (title
# included), each embedded alone, p50 and p90 over 3 rounds after a warm-up, with one
# thread and with all (a query's spare threads go into its products).
#   Benchmarks/embedding/latency.sh [--json FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
JSON="${2:-}"
[ "${1:-}" = "" ] || [ "$1" = "--json" ] || { echo "usage: latency.sh [--json FILE]" >&2; exit 64; }
swift build -c release --product refer 2>&1 | tail -n 1 >&2
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 - "$work/abstracts.txt" <<'PY'
import gzip, json, sys
out = []
for line in gzip.open("../shared/datasets/acl-anthology/papers.jsonl.gz", "rt"):
    p = json.loads(line); words = (p.get("abstract") or "").split()
    if 140 <= len(words) <= 160: out.append(" ".join([p["title"]] + words))
    if len(out) == 20: break
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
all=$(nproc)
for p in f32 bf16 int8; do
  for t in 1 "$all"; do
    .build/release/refer bench-embed --input "$work/abstracts.txt" --one-at-a-time --precision "$p" --threads "$t" --json "$work/$p-$t.json"
  done
done
python3 - "$work" "$JSON" "$all" <<'PY'
import json, sys
work, out, all_threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [json.load(open(f"{work}/{p}-{t}.json")) for p in ("f32", "bf16", "int8") for t in sorted({1, all_threads})]
for t in sorted({1, all_threads}):
    f32 = next(r for r in rows if r["precision"] == "f32" and r["threads"] == t)
    for r in rows:
        if r["threads"] == t: print(f"{t} thread(s) {r['precision']:5}: p50 {r['p50_ms']:.1f} ms, {f32['p50_ms'] / r['p50_ms']:.2f}x f32")
if out: json.dump({"latency": rows}, open(out, "w"), indent=1)
PY
