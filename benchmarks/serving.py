"""Concurrent serving: one-sample and 64-row ``predict`` from 1, 2, 4 and 8 client threads on one model.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/serving.py [--seconds 2]
Prints, per batch size and client count, the throughput (predictions per second), the median and p99
latency of one call, and the throughput relative to one client: clients share the pool's threads, so more
clients should not lower the total (the goal is at least 0.9x one client's throughput with 4 clients).
The model is the hello-world MLP (Flatten, Dense(512, relu), Dropout, Dense(10, softmax)).
"""

from __future__ import annotations

import argparse
import threading
import time

import numpy as np

import ferroflow as tf


def model() -> tf.keras.Model:
    m = tf.keras.Sequential([
        tf.keras.Input((28, 28)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    m.compile("adam", "sparse_categorical_crossentropy")
    return m


def serve(m: tf.keras.Model, x: np.ndarray, clients: int, seconds: float) -> tuple:
    """(calls per second over all clients, median latency us, p99 latency us)."""
    latencies: list = [[] for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        start.wait()
        own = latencies[i]
        while True:
            t0 = time.perf_counter()
            if t0 >= deadline[0]:
                return
            m.predict(x, verbose=0)
            own.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    every = np.concatenate([np.asarray(v) for v in latencies]) * 1e6
    return len(every) / elapsed, float(np.median(every)), float(np.percentile(every, 99))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=2.0)
    a = p.parse_args()
    m = model()
    rng = np.random.RandomState(0)
    print(f"pool threads: {tf.config.threading.get_intra_op_parallelism_threads()}")
    print("| rows per call | clients | predictions/s | median us | p99 us | throughput vs 1 client |")
    print("|---|---|---|---|---|---|")
    for rows in (1, 64):
        x = rng.rand(rows, 28, 28).astype("float32")
        for _ in range(50):
            m.predict(x, verbose=0)  # builds the plan and warms the caches
        base = None
        for clients in (1, 2, 4, 8):
            calls, median, p99 = serve(m, x, clients, a.seconds)
            base = base or calls
            print(f"| {rows} | {clients} | {calls * rows:.0f} | {median:.1f} | {p99:.1f} | {calls / base:.2f}x |")


if __name__ == "__main__":
    main()
