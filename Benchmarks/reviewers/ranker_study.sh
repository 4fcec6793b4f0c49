#!/usr/bin/env bash
# A learned ranker against the plain baseline on held-out ACL papers (a study: docs/reviewers.md).
#   Benchmarks/reviewers/ranker_study.sh [SEED ...]     (default: seeds 1 and 2; about 2 minutes each)
# XGBoost is a study-only peer: it goes into its own venv ($REFER_STUDY_VENV, default
# ~/.cache/refer/study-venv) the first time this runs, never into scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/acl/store.sh
VENV="${REFER_STUDY_VENV:-$HOME/.cache/refer/study-venv}"
if ! "$VENV/bin/python" -c "import numpy, xgboost" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check numpy xgboost-cpu
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/release/refer export --store "$STORE" --vectors "$work/papers.fbin" > "$work/papers.jsonl"
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(1 2)
for seed in "${seeds[@]}"; do
  "$VENV/bin/python" Benchmarks/reviewers/ranker_study.py "$work/papers.jsonl" "$work/papers.fbin" "$seed"
done
