"""examples/cpp_inference serves SavedModels through ferroflow's C API: a Keras MNIST model (classified and
compared with ``model.predict``), a ``tf.Module`` with two signatures, an estimator export, a small CNN and a
spectrum module, each run from C++ and compared with Python's outputs; broken directories and bad inputs are
clear errors."""

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import ferroflow as tf

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = REPO_ROOT / "examples" / "cpp_inference"
SHARED = Path(os.environ.get("FERROFLOW_DATASETS") or REPO_ROOT / ".." / "shared" / "datasets").resolve()
MISSING = [tool for tool in ("g++", "make", "cargo") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"building the C++ example needs {', '.join(MISSING)}")
needs_mnist = pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason=f"MNIST not found in {SHARED}")


@pytest.fixture(scope="module")
def cpp():
    """Builds libferroflow.so (cargo, release) and the example (make); returns a runner of the binary."""
    proc = subprocess.run(["make", "-s", "-C", str(EXAMPLE)], capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    def run(*args, ok=True):
        env = {**os.environ, "FERROFLOW_DATASETS": str(SHARED)}
        proc = subprocess.run(
            [str(EXAMPLE / "cpp_inference"), *map(str, args)], capture_output=True, text=True, timeout=300, env=env
        )
        assert (proc.returncode == 0) == ok, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr

    return run


def run_npy(cpp, model_dir, signature, inputs: dict, out_dir):
    """Runs a signature from C++ on .npy inputs; returns {output name: array}."""
    out_dir.mkdir()
    args = ["--model", model_dir, "--signature", signature, "--outdir", out_dir]
    for name, value in inputs.items():
        np.save(out_dir / f"in_{name}.npy", value)
        args += ["--input", f"{name}={out_dir / f'in_{name}.npy'}"]
    cpp(*args)
    return {p.stem: np.load(p) for p in out_dir.glob("*.npy") if not p.stem.startswith("in_")}


def close(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-5)


@pytest.fixture(scope="module")
def mnist_test():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FERROFLOW_DATASETS", str(SHARED))
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    scale = lambda x: (x / 255.0).astype(np.float32)  # noqa: E731
    return scale(x_train[:2000]), y_train[:2000], scale(x_test[:1000]), y_test[:1000]


@needs_mnist
@pytest.mark.parametrize("writer", ["saved_model.save", "model.export"])
def test_keras_mnist_model_matches_predict(cpp, mnist_test, tmp_path, writer):
    spec = importlib.util.spec_from_file_location("export_model", EXAMPLE / "export_model.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    x_train, y_train, x_test, y_test = mnist_test
    tf.keras.utils.set_random_seed(0)
    model = example.build_model()
    model.fit(x_train, y_train, epochs=1, batch_size=64, verbose=0)
    export_dir = tmp_path / "model"
    tf.saved_model.save(model, str(export_dir)) if writer == "saved_model.save" else model.export(str(export_dir))
    expected = model.predict(x_test, verbose=0)

    probs, labels = tmp_path / "probs.npy", tmp_path / "labels.txt"
    out = cpp("--model", export_dir, "--count", 1000, "--probs-out", probs, "--labels-out", labels)
    close(np.load(probs), expected)
    predicted = np.array([int(v) for v in labels.read_text().split()])
    np.testing.assert_array_equal(predicted, np.argmax(expected, 1))
    accuracy = float(np.mean(predicted == y_test))
    assert accuracy > 0.7  # 2,000 images, one epoch: the point is matching predict
    assert f"accuracy: {accuracy:.4f} ({int(np.sum(predicted == y_test))}/1000 correct)" in out
    assert "one-sample latency: median" in cpp("--model", export_dir, "--count", 10, "--latency", 50)


class TwoSignatures(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.linspace(-1.0, 1.0, 6, dtype=np.float32).reshape(3, 2))

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def project(self, x):
        return {"y": tf.matmul(x, self.w), "best": tf.argmax(x, 1)}

    @tf.function(
        input_signature=[tf.TensorSpec([None, 2], tf.float32, name="a"), tf.TensorSpec([None, 2], tf.float32, name="b")]
    )
    def combine(self, a, b):
        return tf.nn.relu(a * b + tf.reduce_sum(self.w))


def test_module_with_two_signatures(cpp, tmp_path):
    module = TwoSignatures()
    export_dir = tmp_path / "module"
    tf.saved_model.save(
        module, str(export_dir), signatures={"serving_default": module.project, "combine": module.combine}
    )
    listing = cpp("--model", export_dir, "--list")
    assert listing.index("signature 'serving_default'") < listing.index("signature 'combine'")
    assert "input  x: float32 (None, 3)" in listing and "output best: int64 (None,)" in listing
    assert "input  a: float32 (None, 2)" in listing and "input  b: float32 (None, 2)" in listing

    loaded = tf.saved_model.load(str(export_dir))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype(np.float32)
    got = run_npy(cpp, export_dir, "serving_default", {"x": x}, tmp_path / "project")
    expected = loaded.signatures["serving_default"](x=tf.constant(x))
    assert sorted(got) == ["best", "y"]
    close(got["y"], expected["y"].numpy())
    np.testing.assert_array_equal(got["best"], expected["best"].numpy())

    a, b = rng.normal(size=(5, 2)).astype(np.float32), rng.normal(size=(5, 2)).astype(np.float32)
    got = run_npy(cpp, export_dir, "combine", {"a": a, "b": b}, tmp_path / "combine")
    (expected,) = loaded.signatures["combine"](a=tf.constant(a), b=tf.constant(b)).values()
    close(got["output_0"], expected.numpy())


@needs_mnist
def test_estimator_export(cpp, mnist_test, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "estimator_custom_model_fn", REPO_ROOT / "examples" / "estimator_custom_model_fn.py"
    )
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    x_train, y_train, x_test, _ = mnist_test
    estimator = tf.estimator.Estimator(
        example.model_fn,
        model_dir=str(tmp_path / "estimator"),
        params=example.PARAMS,
        config=tf.estimator.RunConfig(tf_random_seed=0),
    )
    train = tf.data.Dataset.from_tensor_slices(({"pixels": x_train}, y_train.astype(np.int64)))
    estimator.train(lambda: train.repeat().batch(100), max_steps=30)
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"pixels": tf.TensorSpec([None, 28, 28], tf.float32)}
    )
    export_dir = Path(os.fsdecode(estimator.export_saved_model(str(tmp_path / "export"), receiver)))
    x = x_test[:200]
    predictions = list(estimator.predict(lambda: tf.data.Dataset.from_tensor_slices({"pixels": x}).batch(100)))
    probabilities = np.stack([p["probabilities"] for p in predictions])
    class_ids = np.array([p["class_ids"] for p in predictions])

    probs_file = tmp_path / "probs.npy"
    cpp("--model", export_dir, "--count", 200, "--batch-size", 50, "--probs-out", probs_file)
    close(np.load(probs_file), probabilities)
    got = run_npy(cpp, export_dir, "predict", {"pixels": x}, tmp_path / "predict")
    close(got["probabilities"], probabilities)
    np.testing.assert_array_equal(got["class_ids"], class_ids.astype(np.int64))


class Spectrum(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, 48], tf.float32, name="signal")])
    def magnitudes(self, signal):
        spectrum = tf.signal.rfft(signal, fft_length=[64])
        return {"magnitude": tf.abs(spectrum), "phase": tf.math.angle(spectrum)}


def test_convolutional_and_spectral_models(cpp, tmp_path):
    """Convolution, pooling, resizing and Fourier transforms: graphs the C loader rebuilds itself."""
    tf.keras.utils.set_random_seed(1)
    layers = tf.keras.layers
    cnn = tf.keras.Sequential(
        [
            tf.keras.Input((12, 12, 1)),
            layers.Resizing(16, 16),
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(3, 3, strides=2),
            layers.AveragePooling2D(),
            layers.Flatten(),
            layers.Dense(5, activation="softmax"),
        ]
    )
    x = np.random.default_rng(1).normal(size=(6, 12, 12, 1)).astype(np.float32)
    cnn.export(str(tmp_path / "cnn"))
    (got,) = run_npy(cpp, tmp_path / "cnn", "serving_default", {cnn.inputs[0].name: x}, tmp_path / "cnn_out").values()
    close(got, cnn.predict(x, verbose=0))

    module = Spectrum()
    tf.saved_model.save(module, str(tmp_path / "spectrum"), signatures={"serving_default": module.magnitudes})
    signal = np.random.default_rng(2).normal(size=(3, 48)).astype(np.float32)
    got = run_npy(cpp, tmp_path / "spectrum", "serving_default", {"signal": signal}, tmp_path / "spectrum_out")
    expected = np.fft.rfft(signal.astype(np.float64), 64)
    np.testing.assert_allclose(got["magnitude"], np.abs(expected), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.cos(got["phase"]), np.cos(np.angle(expected)), atol=1e-3)


def test_recurrent_model(cpp, tmp_path):
    """Stacked LSTMs: each layer's sequence is one BlockLSTM op, which the C loader runs natively."""
    tf.keras.utils.set_random_seed(3)
    layers = tf.keras.layers
    rnn = tf.keras.Sequential(
        [
            tf.keras.Input((10, 6)),
            layers.LSTM(8, return_sequences=True),
            layers.LSTM(5, go_backwards=True),
            layers.Dense(3, activation="softmax"),
        ]
    )
    x = np.random.default_rng(3).normal(size=(4, 10, 6)).astype(np.float32)
    rnn.export(str(tmp_path / "rnn"))
    (got,) = run_npy(cpp, tmp_path / "rnn", "serving_default", {rnn.inputs[0].name: x}, tmp_path / "rnn_out").values()
    close(got, rnn.predict(x, verbose=0))


def test_broken_directories_and_bad_inputs_are_errors(cpp, tmp_path):
    module = TwoSignatures()
    export_dir = tmp_path / "module"
    tf.saved_model.save(
        module, str(export_dir), signatures={"serving_default": module.project, "combine": module.combine}
    )
    a = np.ones((2, 2), np.float32)
    np.save(tmp_path / "a64.npy", a.astype(np.float64))
    np.save(tmp_path / "a3.npy", np.ones((2, 3), np.float32))
    np.save(tmp_path / "a.npy", a)
    out = cpp(
        "--model",
        export_dir,
        "--signature",
        "combine",
        "--input",
        f"a={tmp_path / 'a64.npy'}",
        "--input",
        f"b={tmp_path / 'a.npy'}",
        "--outdir",
        tmp_path,
        ok=False,
    )
    assert "error: INVALID_ARGUMENT: input 0 'a' expects float32 values, received float64" in out
    out = cpp(
        "--model",
        export_dir,
        "--signature",
        "combine",
        "--input",
        f"a={tmp_path / 'a.npy'}",
        "--input",
        f"b={tmp_path / 'a3.npy'}",
        "--outdir",
        tmp_path,
        ok=False,
    )
    assert "error: INVALID_ARGUMENT: input 1 'b' expects shape (None, 2), received (2, 3)" in out
    out = cpp("--model", export_dir, "--signature", "predict", "--outdir", tmp_path, ok=False)
    assert "error: NOT_FOUND: the model has no signature 'predict'; its signatures are: serving_default, combine" in out

    weight = next((export_dir / "weights").glob("*.npy"))
    weight.write_bytes(weight.read_bytes()[:-4])
    out = cpp("--model", export_dir, "--list", ok=False)
    assert "error: DATA_LOSS:" in out and "does not match its checksum" in out
    out = cpp("--model", tmp_path / "absent", "--list", ok=False)
    assert "error: NOT_FOUND: SavedModel file does not exist" in out

    graph = json.loads((export_dir / "graph.json").read_text())
    graph["nodes"][-1]["op"] = "assign"
    (tmp_path / "unknown_op").mkdir()
    (tmp_path / "unknown_op" / "graph.json").write_text(json.dumps(graph))
    out = cpp("--model", tmp_path / "unknown_op", "--list", ok=False)
    assert "error: NOT_FOUND:" in out and "Op type not registered 'assign'" in out
