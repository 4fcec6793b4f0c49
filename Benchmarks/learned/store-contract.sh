#!/usr/bin/env bash
# The recall contract of a tuned store (issue 24), on a dataset with exact ground truth:
#   1. a store of the dataset's base (ids = row numbers), ingested with --vectors, minus the last
#      GROWTH share of it;
#   2. refer tune --store --target-recall 0.95,0.99 --queries learn.fbin;
#   3. the rest of the base ingested (the store grows by 1/(1-GROWTH)), so the models are measured
#      on a graph they were not tuned on, as a store that keeps ingesting would be;
#   4. refer search --recall R on query.fbin against query.gt100.ibin, beside an ef sweep in the
#      same run: recall@10 and mean distance evaluations, the sweep interpolated at the same recall;
#   5. the same with the models' plain beams (the fallback when a store outgrows them).
#   Benchmarks/learned/store-contract.sh [DATASET] [GROWTH] [CONFIDENCE]   (default pypi-minilm-100k, 0.2, 0)
# CONFIDENCE is refer tune's --confidence: held-out recall must reach each target by that many standard errors.
# Writes the table to stdout and JSON to $REFER_BENCH_JSON (default out/store-contract.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASET="${1:-../shared/datasets/pypi-minilm-100k}"
GROWTH="${2:-0.2}"
CONFIDENCE="${3:-0}"
source Benchmarks/numpy-driver.sh
"$VENV/bin/python" Benchmarks/learned/store_contract.py .build/release/refer "$DATASET" "$GROWTH" "$WORK" "${REFER_BENCH_JSON:-out/store-contract.json}" "$CONFIDENCE"
