"""Shared driver of the side-by-side step benchmarks (lstm.py, transformer.py).

Each framework builds the same Keras model in its own process; a workload reports the training step time
(the best epoch of ``fit`` over ``steps`` batches, after a first epoch that also compiles) and the time of
``predict`` on one batch (the best of several runs of back-to-back calls, after two warm-up calls). The
driver lets ferroflow and Keras on JAX take turns for ``rounds`` rounds (the shared machine's speed drifts
for minutes at a time), and prints each side's best round, the spread over the rounds, and the ratios.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from common import emit, timed


def import_keras(name: str):
    """ferroflow's keras, or Keras 3 on JAX."""
    if name == "keras":
        os.environ.setdefault("KERAS_BACKEND", "jax")
        import keras
    else:
        from ferroflow import keras
    keras.utils.set_random_seed(0)
    return keras


def measure(model, x: np.ndarray, y: np.ndarray, batch: int, epochs: int, predict_calls: int = 10) -> None:
    """Times ``fit`` per step and ``predict`` per batch, and emits both in milliseconds."""
    steps = len(x) // batch
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
        times.append(time.perf_counter() - t0)
    xb = x[:batch]
    for _ in range(2):
        model.predict(xb, batch_size=batch, verbose=0)
    sec = timed(lambda: [model.predict(xb, batch_size=batch, verbose=0) for _ in range(predict_calls)], repeats=5)
    emit(train_ms=min(times[1:] or times) / steps * 1e3, predict_ms=sec / predict_calls * 1e3)


def compare(script: str, peers_python: str, args: list, rounds: int, title: str) -> None:
    """Runs ``script --workload ferroflow|keras`` in turns and prints the table."""
    from run import fmt, ratio, run

    here = os.path.basename(script)
    got: dict = {"ferroflow": [], "keras": []}
    for _ in range(rounds):
        got["ferroflow"].append(run(sys.executable, here, "--workload", "ferroflow", *args))
        got["keras"].append(run(peers_python, here, "--workload", "keras", *args))

    def values(name: str, key: str) -> list:
        return [r[key] for r in got[name] if r is not None]

    print(f"{title}; {os.cpu_count()} cores, {rounds} rounds, best round (range over rounds)")
    print("| figure | ferroflow ms | Keras on JAX ms | ferroflow / Keras-JAX |")
    print("|---|---|---|---|")
    for key, label in (("train_ms", "training step"), ("predict_ms", "predict, one batch")):
        f, k = values("ferroflow", key), values("keras", key)

        def cell(v: list) -> str:
            return "n/a" if not v else f"{fmt(min(v), 'ms')} ({min(v):.1f}-{max(v):.1f})"

        ratios = [a / b for a, b in zip(f, k)]
        spread = f" (per round {', '.join(f'{r:.2f}' for r in ratios)})" if len(ratios) > 1 else ""
        best = ratio(min(f) if f else None, min(k) if k else None)
        print(f"| {label} | {cell(f)} | {cell(k)} | {best}{spread} |")
