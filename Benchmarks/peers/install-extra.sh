#!/usr/bin/env bash
# Installs the benchmark-only peers (ScaNN, VSAG) into the venv $1 on first use; sourced by
# Benchmarks/compare and Benchmarks/scaling. The pinned versions are stated here only.
if ! "$1/bin/python" -c "import scann, pyvsag" 2>/dev/null; then
  echo "installing the benchmark-only peers scann 1.4.2 and pyvsag 0.18.5" >&2
  "$1/bin/pip" install -q --disable-pip-version-check scann==1.4.2 pyvsag==0.18.5 >&2
fi
