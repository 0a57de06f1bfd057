"""The floor: only the matrix products of one hello-world epoch (forward and backward), timed with NumPy's BLAS."""

from __future__ import annotations

import argparse

import numpy as np
from common import emit, timed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=32)
    a = p.parse_args()
    rng = np.random.default_rng(0)
    b = a.batch
    x = rng.random((b, 784), dtype=np.float32)
    w1 = rng.random((784, 512), dtype=np.float32)
    w2 = rng.random((512, 10), dtype=np.float32)
    h = rng.random((b, 512), dtype=np.float32)
    g2 = rng.random((b, 10), dtype=np.float32)
    steps = -(-60000 // b)

    def epoch() -> None:
        for _ in range(steps):
            x @ w1  # forward layer 1
            h @ w2  # forward layer 2
            h.T @ g2  # dW2
            gh = g2 @ w2.T  # dh
            x.T @ gh  # dW1

    emit(seconds_per_epoch=timed(epoch, repeats=3))


if __name__ == "__main__":
    main()
