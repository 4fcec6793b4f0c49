#!/usr/bin/env bash
# The embedder's int8 product against oneDNN's, one thread: rates and exactness on
# full-range operands (products.c). REFER_ISA=avx2 takes the AVX2 paths on an AVX-512 CPU.
#   Benchmarks/embedding/products.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
clang -O3 -I "$here/../../Sources/CMatmul/include" -o "$out/products" "$here/products.c" -ldnnl -lm
grep -m1 "model name" /proc/cpuinfo || true
"$out/products"
