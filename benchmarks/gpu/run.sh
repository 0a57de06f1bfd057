#!/usr/bin/env bash
# The GPU machine's one prepared script: install the wheel built on the build machine (no network, no Rust
# there), run the GPU tests, then the GPU benchmark; the benchmark's table comes last.
#
#   build machine:  maturin build --release --zig -o dist && pip download -d dist pytest
#                   (then carry dist/ to the GPU machine)
#   GPU machine:    bash benchmarks/gpu/run.sh [dist [bench.py options]]
set -uo pipefail
cd "$(dirname "$0")/../.."
wheels="${1:-dist}"
[ $# -gt 0 ] && shift
out="${OUT:-/tmp/ferroflow-gpu}"
mkdir -p "$out"
# Installed beside the machine's own Python (its PyTorch, JAX and CuPy stay importable).
python3 -m pip install -q --no-index --no-deps --no-compile --upgrade --target /tmp/ff-site "$wheels"/ferroflow-*.whl || exit 1
export PYTHONPATH=/tmp/ff-site PYTHONUNBUFFERED=1
python3 -c "import pytest" 2>/dev/null || python3 -m pip install -q --no-index --find-links "$wheels" --target /tmp/ff-site pytest
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.txt"
python3 -c "import ferroflow as tf; print('GPUs:', tf.config.list_physical_devices('GPU'), tf._core.gpu_unavailable_reason())"
timeout 300 python3 -m pytest -q -p no:cacheprovider tests/test_gpu_kernels.py tests/test_gpu_training.py \
    tests/test_gpu_absent.py 2>&1 | tee "$out/tests.txt" | tail -40
timeout 400 python3 benchmarks/gpu/bench.py "$@" 2>&1 | tee "$out/bench.txt" | tail -20
