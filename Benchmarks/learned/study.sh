#!/usr/bin/env bash
# How far the predictor of learned early termination can go on one dataset's index:
# exports the training states (`refer tune --export-states`, about a minute and a half on the 100k
# PyPI set after the index is built or loaded, fixed ef included) and runs study.py on them (about 1.5
# minutes), which trains predictors with XGBoost's Python package (installed here into
# refer's venv; only this study uses it) and simulates refer's stopping rule.
#   Benchmarks/learned/study.sh [DATASET] [K]   (default ../shared/datasets/pypi-minilm-100k, 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASET="${1:-../shared/datasets/pypi-minilm-100k}"
K="${2:-10}"
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import xgboost, numpy" 2>/dev/null \
  || "$VENV/bin/pip" install -q --disable-pip-version-check xgboost numpy
swift build -c release --product refer 2>&1 | tail -n 1
STATES="$(mktemp -d)"
trap 'rm -rf "$STATES"' EXIT
.build/release/refer tune --dataset "$DATASET" --k "$K" --export-states "$STATES"
"$VENV/bin/python" Benchmarks/learned/study.py "$STATES"
