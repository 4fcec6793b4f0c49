#!/usr/bin/env bash
# The large real set: all 738,057 PyPI package summaries of
# ../shared/datasets/pypi-summaries/summaries.txt.gz embedded by refer's MiniLM
# (`refer embed` reads the .gz as it is), split with a fixed seed into 1,000 queries,
# 10,000 learn vectors (for `refer tune`) and the other 727,057 as the base, with exact
# ground truth (k = 100, `refer gt`, blocked so it never holds an N x Q matrix).
# Cached outside the repo; about 30 minutes of embedding on 2 cores.
#   Benchmarks/pypi/make-set.sh [OUT]   (default ~/.cache/refer/datasets/pypi-minilm-738k)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-$HOME/.cache/refer/datasets/pypi-minilm-738k}"
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
swift build -c release --product refer 2>&1 | tail -n 1
mkdir -p "$OUT"
if [ ! -f "$OUT/all.fbin" ]; then
  .build/release/refer embed ../shared/datasets/pypi-summaries/summaries.txt.gz --out "$OUT/all.fbin"
fi
"$VENV/bin/python" - "$OUT" <<'PY'
import sys
import numpy as np
out = sys.argv[1]
header = np.fromfile(f"{out}/all.fbin", dtype=np.int32, count=2)
n, d = int(header[0]), int(header[1])
rows = np.memmap(f"{out}/all.fbin", dtype=np.float32, mode="r", offset=8, shape=(n, d))
order = np.random.default_rng(20261123).permutation(n)
parts = {"query": order[:1000], "learn": order[1000:11000], "base": np.sort(order[11000:])}
for name, idx in parts.items():
    with open(f"{out}/{name}.fbin", "wb") as f:
        np.array([len(idx), d], dtype=np.int32).tofile(f)
        for start in range(0, len(idx), 65536):
            np.ascontiguousarray(rows[idx[start:start + 65536]]).tofile(f)
    np.save(f"{out}/{name}.rows.npy", idx)   # which summary line each row is (0-based)
    print(f"{name}: {len(idx)} x {d}")
PY
.build/release/refer gt --base "$OUT/base.fbin" --query "$OUT/query.fbin" --k 100 --out "$OUT/query.gt100.ibin"
rm -f "$OUT/all.fbin"
echo "[pypi-set] $OUT"
