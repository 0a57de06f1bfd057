"""``Model.export``: the graph.json and .npy weights it writes, and the Rust example that serves them.

The end-to-end test trains the MNIST hello-world briefly, exports it, runs examples/rust_inference with
``cargo run --release`` and checks that Rust's labels and probabilities match ``model.predict``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.models.export import SUPPORTED_OPS

REPO_ROOT = Path(__file__).resolve().parents[1]


def _datasets_root() -> Path:
    env = os.environ.get("FERROFLOW_DATASETS")
    if env:
        path = Path(env)
        return path if path.is_absolute() else (REPO_ROOT / path).resolve()
    return (REPO_ROOT / ".." / "shared" / "datasets").resolve()


def _hello_world() -> tf.keras.Model:
    return tf.keras.models.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )


def _cargo_run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FERROFLOW_DATASETS=str(_datasets_root()))
    return subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "rust_inference", "--", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The hello-world after 200 Adam steps, exported, with the first 1,000 test images."""
    tf.keras.utils.set_random_seed(3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FERROFLOW_DATASETS", str(_datasets_root()))
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0
    model = _hello_world()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train[:6400], y_train[:6400], batch_size=32, epochs=1, verbose=0)
    path = tmp_path_factory.mktemp("export") / "hello_world"
    model.export(path, verbose=False)
    return model, path, x_test[:1000], y_test[:1000]


def test_rust_example_matches_predict(trained, tmp_path):
    model, path, x, y = trained
    labels_file, probs_file = tmp_path / "labels.txt", tmp_path / "probs.npy"
    proc = _cargo_run(
        "--model", str(path), "--count", "1000", "--out", str(labels_file), "--probs-out", str(probs_file)
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = model.predict(x, verbose=0)
    rust_labels = np.array([int(line) for line in labels_file.read_text().split()])
    rust_probs = np.load(probs_file)
    assert rust_probs.shape == (1000, 10) and rust_probs.dtype == np.float32
    np.testing.assert_allclose(rust_probs, expected, rtol=0, atol=1e-5)
    np.testing.assert_array_equal(rust_labels, np.argmax(expected, axis=1))
    # 200 steps already beat chance by far; the printed accuracy is the labels' agreement with y.
    accuracy = float(np.mean(rust_labels == y))
    assert accuracy > 0.8
    assert f"accuracy: {accuracy:.4f} ({int(round(accuracy * 1000))}/1000 correct)" in proc.stderr


def test_rust_example_reports_a_bad_model(trained, tmp_path):
    _, path, _, _ = trained
    doc = json.loads((path / "graph.json").read_text())
    doc["version"] = 99
    bad = tmp_path / "bad"
    (bad / "weights").mkdir(parents=True)
    (bad / "graph.json").write_text(json.dumps(doc))
    proc = _cargo_run("--model", str(bad), "--count", "3")
    assert proc.returncode == 1
    assert "format version 99" in proc.stderr and proc.stdout == ""


def test_export_writes_the_inference_graph_and_weights(trained):
    model, path, _, _ = trained
    doc = json.loads((path / "graph.json").read_text())
    assert (doc["format"], doc["version"]) == ("ferroflow-saved-model", 1)
    # Named after the model's keras.Input tensor, as Keras 3 names a serving input.
    assert doc["inputs"] == [{"name": model.inputs[0].name, "node": 0, "dtype": "float32", "shape": [None, 28, 28]}]
    assert doc["outputs"][0]["shape"] == [None, 10]
    ops = [n["op"] for n in doc["nodes"]]
    # Dropout leaves no trace at inference, and nothing the output does not need is kept.
    assert ops == ["placeholder", "reshape", "const", "matmul", "const", "add", "relu"] + [
        "const",
        "matmul",
        "const",
        "add",
        "softmax",
    ]
    for i, node in enumerate(doc["nodes"]):
        assert all(j < i for j in node["inputs"])
    saved = {
        n["attrs"]["variable"]: np.load(path / "weights" / (n["attrs"]["weight"] + ".npy"))
        for n in doc["nodes"]
        if n["op"] == "const"
    }
    assert len(saved) == len(model.weights) == 4
    for v in model.weights:
        np.testing.assert_array_equal(saved[v.op.name], v.numpy())
        assert saved[v.op.name].dtype.byteorder in ("<", "=") and saved[v.op.name].flags["C_CONTIGUOUS"]


def test_unsupported_op_is_named(tmp_path):
    class Noisy(tf.keras.layers.Layer):
        def call(self, x):
            return x + tf.random.uniform((3,))

    inputs = tf.keras.Input(shape=(4,))
    model = tf.keras.Model(inputs, Noisy(name="noisy")(tf.keras.layers.Dense(3)(inputs)))
    with pytest.raises(ValueError, match=r"does not support: 'random_uniform' \(node '.*noisy.*'\)"):
        model.export(tmp_path / "noisy", verbose=False)
    assert not (tmp_path / "noisy").exists()
    assert not any(p.name.startswith(".export-") for p in tmp_path.iterdir())
    assert "random_uniform" not in SUPPORTED_OPS


def test_export_overwrites_an_export_but_not_other_directories(tmp_path, capsys):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2)])
    target = tmp_path / "m"
    model.export(target)
    assert f"Saved artifact at '{target}'" in capsys.readouterr().out
    model.layers[0].kernel.assign(np.ones((3, 2), np.float32))
    model.export(target, verbose=False)
    doc = json.loads((target / "graph.json").read_text())
    kernel_key = next(n["attrs"]["weight"] for n in doc["nodes"] if n["attrs"].get("variable", "").endswith("kernel"))
    saved = np.load(target / "weights" / f"{kernel_key}.npy")
    np.testing.assert_array_equal(saved, np.ones((3, 2), np.float32))
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="does not hold an exported model"):
        model.export(other, verbose=False)
    assert (other / "keep.txt").read_text() == "mine"


def test_export_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="format='ferroflow'"):
        _hello_world().export(tmp_path / "x", format="onnx")

    class Sub(tf.keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="not built yet"):
        Sub().export(tmp_path / "y")
