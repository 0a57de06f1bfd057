"""One-sample inference latency: examples/cpp_inference (ferroflow's C API) against ONNX Runtime and model.predict.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/cpp_inference_latency.py
           [--peers-python PATH] [--runs 5000] [--threads N]
The model is cpp_inference's MNIST classifier (Flatten, Dense(128, relu), Dense(10, softmax)), trained
briefly and saved with ``tf.saved_model.save``. The C++ example times ``--runs`` one-image runs of its
``serving_default`` signature on caller-owned buffers, cycling through the MNIST test set's images in order.
Every runtime first warms up for 100 calls and at least ``WARMUP_SECONDS``: a serving process's steady
state (on the 2-core AMD machine the C++ example's first 5,000 runs, about 40 ms, had a median 10-25%
above the steady state's, while the scheduler spread its two threads over the cores). The same weights go into
an ONNX graph written with the ``onnx`` package (Reshape, MatMul, Add, Relu, MatMul, Add, Softmax) that
ONNX Runtime's Python API runs (``InferenceSession.run`` on one image, its outputs checked against
ferroflow's), on the same images in the same order; ``model.predict`` likewise. Each image is read once
per 10,000 runs, so every framework reads its input from memory rather than from a warm cache. Each
figure is the median of ``--runs`` calls.
``--peers-python`` is an environment with ``onnx`` and ``onnxruntime`` (a benchmark-only dependency).
The goal: the C++ example's latency at most 0.5x ONNX Runtime's.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "cpp_inference"


WARMUP_SECONDS = 0.5


def median_us(fn, runs: int, warmup: int = 100) -> float:
    """The median of ``runs`` timed calls after ``warmup`` calls and at least ``WARMUP_SECONDS`` of them."""
    until = time.perf_counter() + WARMUP_SECONDS
    done = 0
    while done < warmup or time.perf_counter() < until:
        fn()
        done += 1
    times = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return float(np.median(times)) / 1000.0


def onnx_workload(weights: str, runs: int, threads: int) -> None:
    """Peers side: writes the ONNX graph, checks it against ferroflow's outputs, times one-sample runs."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    w = np.load(weights)
    inits = [numpy_helper.from_array(w[k], k) for k in ("k0", "b0", "k1", "b1")]
    inits.append(numpy_helper.from_array(np.array([-1, 784], np.int64), "flat"))
    nodes = [
        helper.make_node("Reshape", ["x", "flat"], ["x784"]),
        helper.make_node("MatMul", ["x784", "k0"], ["h0"]),
        helper.make_node("Add", ["h0", "b0"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h2"]),
        helper.make_node("MatMul", ["h2", "k1"], ["l0"]),
        helper.make_node("Add", ["l0", "b1"], ["l1"]),
        helper.make_node("Softmax", ["l1"], ["probs"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "mnist_mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 28, 28])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [None, 10])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    got = session.run(None, {"x": w["x"]})[0]
    np.testing.assert_allclose(got, w["expected"], rtol=1e-5, atol=1e-6)
    images = one_image_batches(w["images"])
    us = median_us(lambda: session.run(None, {"x": next(images)}), runs)
    print(f"RESULT_US {us:.3f} ort {ort.__version__}")


def one_image_batches(images: np.ndarray):
    """Endless batches of one image, the test set's images in order (as the C++ example's --latency runs)."""
    return itertools.cycle([images[i : i + 1] for i in range(len(images))])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--peers-python", default=sys.executable, help="a Python with onnx and onnxruntime")
    p.add_argument("--runs", type=int, default=5000, help="timed one-sample calls per framework")
    p.add_argument("--threads", type=int, default=0, help="ONNX Runtime intra-op threads (0: its default)")
    p.add_argument("--onnx-workload", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.onnx_workload:
        return onnx_workload(a.onnx_workload, a.runs, a.threads)

    import ferroflow as tf

    sys.path.insert(0, str(EXAMPLE))
    from export_model import build_model

    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, _) = tf.keras.datasets.mnist.load_data()
    model = build_model()
    model.fit((x_train[:2000] / 255.0).astype(np.float32), y_train[:2000], epochs=1, verbose=0)
    x = (x_test[:256] / 255.0).astype(np.float32)
    work = Path(tempfile.mkdtemp(prefix="ferroflow_cpp_latency_"))
    tf.saved_model.save(model, str(work / "model"))
    k0, b0, k1, b1 = (np.asarray(v, np.float32) for v in model.get_weights())
    weights = work / "weights.npz"
    images = (x_test / 255.0).astype(np.float32)  # the C++ example's inputs, in its order
    np.savez(weights, k0=k0, b0=b0, k1=k1, b1=b1, x=x, images=images, expected=model.predict(x, verbose=0))

    subprocess.run(["make", "-s", "-C", str(EXAMPLE)], check=True)
    env = {
        **os.environ,
        "FERROFLOW_DATASETS": os.environ.get("FERROFLOW_DATASETS", str(HERE.parents[1] / "shared" / "datasets")),
    }
    cmd = [str(EXAMPLE / "cpp_inference"), "--model", str(work / "model"), "--latency", str(a.runs)]
    cmd += ["--warmup-ms", str(int(WARMUP_SECONDS * 1000))]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    cpp = float(re.search(r"median ([\d.]+) us", out).group(1))

    batches = one_image_batches(images)
    predict = median_us(lambda: model.predict(next(batches), verbose=0), min(a.runs, 2000))

    peers = [
        a.peers_python,
        __file__,
        "--onnx-workload",
        str(weights),
        "--runs",
        str(a.runs),
        "--threads",
        str(a.threads),
    ]
    proc = subprocess.run(peers, capture_output=True, text=True)
    found = re.search(r"RESULT_US ([\d.]+) ort (\S+)", proc.stdout)
    ort_us = float(found.group(1)) if found else None
    if not found:
        sys.stderr.write(f"ONNX Runtime workload failed:\n{proc.stderr[-2000:]}\n")

    print(f"one-sample latency, MNIST MLP 784-128-10, median of {a.runs} calls; {os.cpu_count()} cores")
    print("| runtime | latency (us) |")
    print("|---|---|")
    print(f"| ferroflow C API (examples/cpp_inference) | {cpp:.2f} |")
    print(
        f"| ONNX Runtime {found.group(2) if found else ''} (Python API) | {ort_us:.2f} |"
        if found
        else "| ONNX Runtime | n/a |"
    )
    print(f"| ferroflow model.predict | {predict:.2f} |")
    if ort_us:
        print(f"C++ / ONNX Runtime: {cpp / ort_us:.2f}x (goal <= 0.5x)")
    print(f"C++ / model.predict: {cpp / predict:.3f}x")


if __name__ == "__main__":
    main()
