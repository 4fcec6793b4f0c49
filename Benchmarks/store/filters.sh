#!/usr/bin/env bash
# Filtered search inside the walk (issue 24): recall@10 against the exact filtered neighbours
# and time per query, at 0.1%, 1% and 10% selectivity, beside the unfiltered query in the same run.
# The store is a dataset's base (ids = row numbers) with a year per paper (1000 + row % 1000), so
# a range of 1, 10 or 100 years passes 0.1%, 1% or 10% of the papers; queries: the learn set.
#   Benchmarks/store/filters.sh [DATASET] [EF]   (default pypi-minilm-100k, 64)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASET="${1:-../shared/datasets/pypi-minilm-100k}"
EF="${2:-64}"
source Benchmarks/numpy-driver.sh
"$VENV/bin/python" Benchmarks/store/filters.py .build/release/refer "$DATASET" "$EF" "$WORK" "${REFER_BENCH_JSON:-out/filters.json}"
