"""examples/estimator_dnn_classifier.py and examples/estimator_custom_model_fn.py: both reach 97% test accuracy
on MNIST; the first leaves TensorBoard logs and resumes, the second exports a model that examples/rust_inference
serves with the same outputs as ``estimator.predict``."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FERROFLOW_DATASETS") or REPO_ROOT / ".." / "shared" / "datasets").resolve()
needs_mnist = pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason=f"MNIST not found in {SHARED}")


def run(script, *args):
    env = {**os.environ, "FERROFLOW_DATASETS": str(SHARED)}
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@needs_mnist
def test_dnn_classifier_example_trains_logs_and_resumes(tmp_path):
    out = run("estimator_dnn_classifier.py", "--model-dir", str(tmp_path), "--min-accuracy", "0.97")
    assert float(re.search(r"accuracy: ([\d.]+)", out).group(1)) >= 0.97
    assert any(f.startswith("events.out.tfevents") for f in os.listdir(tmp_path))
    assert os.listdir(tmp_path / "eval")
    resumed = run("estimator_dnn_classifier.py", "--model-dir", str(tmp_path), "--steps", "3100")
    assert "trained to step 3100" in resumed


@pytest.fixture(scope="module")
def custom_export(tmp_path_factory):
    """The custom model_fn example trained (2000 steps), evaluated and exported: (model_dir, export_dir)."""
    model_dir = tmp_path_factory.mktemp("custom_model_fn")
    out = run("estimator_custom_model_fn.py", "--model-dir", str(model_dir), "--min-accuracy", "0.97")
    return model_dir, Path(re.search(r"exported to (\S+) ", out).group(1))


@needs_mnist
def test_custom_model_fn_example_exports_for_the_rust_loader(custom_export):
    from ferroflow.models.export import SUPPORTED_OPS

    _, export_dir = custom_export
    with open(export_dir / "graph.json") as f:
        graph = json.load(f)
    assert {node["op"] for node in graph["nodes"]} - {"placeholder", "const"} <= set(SUPPORTED_OPS)
    assert [i["name"] for i in graph["inputs"]] == ["pixels"] and graph["inputs"][0]["shape"] == [None, 28, 28]
    assert [o["name"] for o in graph["outputs"]] == ["probabilities"]


@needs_mnist
def test_rust_loader_serves_the_estimator_export_as_predict(custom_export, tmp_path):
    """examples/rust_inference loads the export_saved_model directory and reproduces estimator.predict on the
    first 1,000 MNIST test images (as tests/test_export_rust_inference.py does for model.export)."""
    import ferroflow as tf

    model_dir, export_dir = custom_export
    labels_file, probs_file = tmp_path / "labels.txt", tmp_path / "probs.npy"
    proc = subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "rust_inference", "--", "--model", str(export_dir)]
        + ["--count", "1000", "--out", str(labels_file), "--probs-out", str(probs_file)],
        cwd=REPO_ROOT,
        env={**os.environ, "FERROFLOW_DATASETS": str(SHARED)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    script = REPO_ROOT / "examples" / "estimator_custom_model_fn.py"
    spec = importlib.util.spec_from_file_location("estimator_custom_model_fn", script)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FERROFLOW_DATASETS", str(SHARED))
        _, (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x = (x_test[:1000] / 255.0).astype(np.float32)
    estimator = tf.estimator.Estimator(example.model_fn, model_dir=str(model_dir), params=example.PARAMS)
    predictions = list(estimator.predict(lambda: tf.data.Dataset.from_tensor_slices({"pixels": x}).batch(100)))
    expected = np.stack([p["probabilities"] for p in predictions])
    expected_ids = np.array([p["class_ids"] for p in predictions])

    rust_probs = np.load(probs_file)
    rust_labels = np.array([int(line) for line in labels_file.read_text().split()])
    assert rust_probs.shape == (1000, 10) and rust_probs.dtype == np.float32
    np.testing.assert_allclose(rust_probs, expected, rtol=0, atol=1e-5)
    np.testing.assert_array_equal(rust_labels, expected_ids)
    accuracy = float(np.mean(rust_labels == y_test[:1000]))
    assert accuracy >= 0.95
    assert f"accuracy: {accuracy:.4f} ({int(round(accuracy * 1000))}/1000 correct)" in proc.stderr
