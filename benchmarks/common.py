"""Shared pieces of the benchmark workloads: MNIST loading, timing, peak memory, JSON output."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np


def datasets_dir() -> Path:
    env = os.environ.get("FERROFLOW_DATASETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def mnist() -> tuple:
    """(x_train in [0, 1], y_train, x_test, y_test), read with NumPy alone so every peer gets the same bytes."""
    d = datasets_dir() / "mnist"
    x = _idx(d / "train-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = _idx(d / "train-labels-idx1-ubyte.gz").astype(np.int64)
    xt = _idx(d / "t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    yt = _idx(d / "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return x, y, xt, yt


def reset_peak_rss() -> None:
    """Starts a new peak-memory window (Linux: writing 5 to clear_refs resets VmHWM), so the peak reported
    is that of the work that follows (training), not of loading the data, which every framework shares."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """Peak resident memory since the last ``reset_peak_rss`` (VmHWM), else of the whole process."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# One-sample predict is timed as the best of this many runs of 50 back-to-back calls, in every framework:
# a run of 50 lasts under a millisecond for the fastest, so a single scheduling hiccup of the shared
# machine can double its mean, and 3 runs were sometimes all caught by one.
PREDICT_REPEATS = 7


def timed(fn, repeats: int = 1) -> float:
    """The fastest of ``repeats`` calls of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def emit(**figures: float) -> None:
    figures["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(figures))
    sys.stdout.flush()
