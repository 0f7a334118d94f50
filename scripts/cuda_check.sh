#!/bin/sh
# Builds dropout-lab against the CUDA LibTorch inside an installed PyTorch
# wheel, then runs the CUDA tests, the full figure2 protocol on the GPU and
# the figure2 benchmark with its batched rows on the GPU.
#
#   scripts/cuda_check.sh fetch      on a Debian 12 machine with network:
#                                    downloads fmt, cxxopts, nlohmann-json
#                                    and Catch2 as Debian packages and
#                                    unpacks them under .deps/root
#   scripts/cuda_check.sh [OUT]      on the GPU machine (PyTorch installed,
#                                    .deps/root carried over): builds into
#                                    build-cuda/ and writes results to OUT
#                                    (default cuda-results/)
#
# Exit status: 0 when everything ran and passed, 1 when a test or check
# failed, 2 when the machine lacks something (no GPU, no PyTorch).
set -eu
cd "$(dirname "$0")/.."
deps="$PWD/.deps/root"

if [ "${1:-}" = fetch ]; then
  mkdir -p .deps/debs "$deps"
  (cd .deps/debs && apt-get download libfmt-dev libfmt9 libcxxopts-dev \
    nlohmann-json3-dev catch2)
  for package in .deps/debs/*.deb; do
    dpkg -x "$package" "$deps"
  done
  echo "unpacked into $deps"
  exit 0
fi
out="${1:-cuda-results}"

torch_dir=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "share", "cmake", "Torch"))') || {
  echo "cuda_check: PyTorch is not importable with python3" >&2
  exit 2
}
python3 -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' || {
  echo "cuda_check: PyTorch sees no GPU here" >&2
  exit 2
}
generator=""
if command -v ninja >/dev/null 2>&1; then
  generator="-G Ninja"
fi

# shellcheck disable=SC2086
cmake -S . -B build-cuda $generator -DCMAKE_BUILD_TYPE=Release \
  -DTorch_DIR="$torch_dir" -DCMAKE_PREFIX_PATH="$deps/usr" \
  -DDROPOUT_LAB_BUILD_TESTS=ON
cmake --build build-cuda --parallel --target dropout-lab dropout_lab_cuda_tests
export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"

status=0
mkdir -p "$out"
build-cuda/dropout_lab_cuda_tests || status=1
build-cuda/dropout-lab run figure2 --device cuda --quiet --out "$out" ||
  status=1
build-cuda/dropout-lab bench figure2 --device cuda --repeats 3 --quiet \
  >"$out/bench_figure2_cuda.md" || status=1
cat "$out/bench_figure2_cuda.md"
exit $status
