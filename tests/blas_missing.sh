#!/usr/bin/env bash
# OpenBLAS is loaded at start (core/base/openblas.cpp), not linked: a machine whose
# libopenblas.so.0 cannot be loaded still trains, on Eigen's products, and says why. The
# library is hidden by bind-mounting an empty file over it in a mount namespace of this test
# alone; where that is not allowed (no root, no unshare) the test is skipped (exit 77).
# Usage: tests/blas_missing.sh AELAB
set -uo pipefail
app=$1
library=$(readlink -f /usr/lib/x86_64-linux-gnu/libopenblas.so.0 2>/dev/null) || true
[[ -n "$library" && -f "$library" ]] || { echo "no libopenblas.so.0 to hide"; exit 77; }
unshare -m true 2>/dev/null || { echo "unshare -m is not allowed here"; exit 77; }
dir=$(mktemp -d /tmp/aelab-blas-missing.XXXXXX)
trap 'rm -rf "$dir"' EXIT
: >"$dir/empty"
unshare -m sh -c 'mount --bind "$1" "$2" && HOME="$3" XDG_DATA_HOME="$3/data" \
  "$4" --headless --steps 20 --set dataset=bars --metrics "$3/metrics.json"' \
  sh "$dir/empty" "$library" "$dir" "$app" >"$dir/out.txt" 2>&1
code=$?
if [[ $code -ne 0 ]]; then echo "exit code $code (want 0):"; cat "$dir/out.txt"; exit 1; fi
grep -q '"gemm_kernels": "Eigen"' "$dir/metrics.json" ||
  { echo "the products did not fall back to Eigen:"; cat "$dir/metrics.json"; exit 1; }
grep -q '"gemm_backend": "Eigen [0-9.]* (OpenBLAS: .*libopenblas.so.0' "$dir/metrics.json" ||
  { echo "the backend does not say why OpenBLAS is missing:"; cat "$dir/metrics.json"; exit 1; }
grep -q '"steps": 20' "$dir/metrics.json" || { echo "it did not train:"; cat "$dir/metrics.json"; exit 1; }
echo "trained on Eigen without OpenBLAS, and said why"
