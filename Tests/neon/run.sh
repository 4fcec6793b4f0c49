#!/usr/bin/env bash
# The arm64 (NEON) kernels against the scalar definitions: on arm64 built and run natively;
# on x86-64 cross-built with Debian's aarch64 gcc and run under qemu-aarch64 (scripts/setup.sh
# installs gcc-aarch64-linux-gnu and qemu-user). Run by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
sources=("$root/Sources/CKernels/dispatch.c" "$root/Sources/CKernels/kernels_scalar.c" "$root/Sources/CKernels/kernels_neon.c"
         "$root/Sources/CKernels/transformer.c" "$root/Tests/neon/kernels_test.c")
if [ "$(uname -m)" = "aarch64" ]; then
  cc -O2 -std=c11 -Wall -Werror -o "$out/kernels_test" "${sources[@]}" -lm
  "$out/kernels_test"
else
  for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
    command -v "$tool" > /dev/null || { echo "neon: $tool is missing (run scripts/setup.sh)" >&2; exit 2; }
  done
  aarch64-linux-gnu-gcc -O2 -std=c11 -Wall -Werror -static -o "$out/kernels_test" "${sources[@]}" -lm
  # qemu's default CPU for user mode ("max") has the dot-product instructions; a plain
  # ARMv8.0 CPU model (cortex-a53) takes the widening path through the same choice.
  qemu-aarch64 "$out/kernels_test"
  qemu-aarch64 -cpu cortex-a53 "$out/kernels_test"
fi
