#!/usr/bin/env bash
# Builds a second real benchmark set from the ACL Anthology corpus, embedded by refer's
# own MiniLM (title + ". " + abstract, as the store embeds papers): the vectors of a store
# of ../shared/datasets/acl-anthology (built first if missing), split with a fixed seed
# into 1,000 queries, 2,000 learn vectors (for `refer tune`) and the rest as base, with
# exact ground truth (k = 100) from `refer gt`. Cached outside the repo.
#   Benchmarks/acl/make-set.sh [OUT]   (default ~/.cache/refer/datasets/acl-minilm)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-$HOME/.cache/refer/datasets/acl-minilm}"
source Benchmarks/acl/store.sh
mkdir -p "$OUT"
.build/release/refer export --store "$STORE" --vectors "$OUT/all.fbin" > "$OUT/all.jsonl"
python3 - "$OUT" <<'PY'
import random, struct, sys
out = sys.argv[1]
with open(f"{out}/all.fbin", "rb") as f:
    n, d = struct.unpack("<ii", f.read(8))
    rows = [f.read(4 * d) for _ in range(n)]
lines = open(f"{out}/all.jsonl").read().splitlines()
assert len(lines) == n
order = list(range(n))
random.Random(20261123).shuffle(order)
parts = {"query": order[:1000], "learn": order[1000:3000], "base": sorted(order[3000:])}
for name, idx in parts.items():
    with open(f"{out}/{name}.fbin", "wb") as f:
        f.write(struct.pack("<ii", len(idx), d))
        for i in idx:
            f.write(rows[i])
    with open(f"{out}/{name}.jsonl", "w") as f:
        f.write("\n".join(lines[i] for i in idx) + "\n")
    print(f"{name}: {len(idx)} x {d}")
PY
rm "$OUT/all.fbin" "$OUT/all.jsonl"
.build/release/refer gt --base "$OUT/base.fbin" --query "$OUT/query.fbin" --k 100 --out "$OUT/query.gt100.ibin"
echo "[acl-set] $OUT"
