"""keras.callbacks.TensorBoard: logs read back by TensorBoard's EventAccumulator, compared with the fit's History."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from tensorboard.backend.event_processing.plugin_event_accumulator import EventAccumulator
from tensorboard.util import tensor_util

import ferroflow as tf
from ferroflow.callbacks import CallbackList
from ferroflow.models import batch_runner


@pytest.fixture(autouse=True)
def _fresh_names():
    tf.keras.backend.clear_session()  # layer names start again at "dense", model names at "sequential"


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x.sum(axis=1) > 0).astype("int64")
    return x, y


def _model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"), tf.keras.layers.Dense(2)])
    model.compile("sgd", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


def _acc(path):
    acc = EventAccumulator(str(path), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def _series(acc, tag):
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)]


def _scalars(acc, tag):
    return [(s, float(v)) for s, v in _series(acc, tag)]


def test_epoch_scalars_match_history_with_train_validation_split(tmp_path):
    x, y = _data()
    model = _model()
    tb = tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path))
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[tb])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, val = _acc(tmp_path / "train"), _acc(tmp_path / "validation")
    for name in ("loss", "accuracy"):
        got = _scalars(train, "epoch_" + name)
        assert [s for s, _ in got] == [0, 1, 2]
        np.testing.assert_allclose([v for _, v in got], history.history[name], rtol=1e-6)
        got = _scalars(val, "epoch_" + name)
        assert [s for s, _ in got] == [0, 1, 2]
        np.testing.assert_allclose([v for _, v in got], history.history["val_" + name], rtol=1e-6)
    assert not any(t.startswith("epoch_val_") for t in train.Tags()["tensors"] + val.Tags()["tensors"])
    np.testing.assert_allclose([v for _, v in _scalars(train, "epoch_learning_rate")], [0.01] * 3, rtol=1e-6)
    assert "epoch_learning_rate" not in val.Tags()["tensors"]
    assert not any(t.startswith("batch_") for t in train.Tags()["tensors"])
    assert train.SummaryMetadata("epoch_loss").plugin_data.plugin_name == "scalars"


def test_weight_histograms_every_histogram_freq_epochs(tmp_path):
    x, y = _data()
    model = _model()
    tb = tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=2)
    model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[tb])
    acc = _acc(tmp_path / "train")
    weights = {w.path: w.numpy() for layer in model.layers for w in layer.weights}
    # Tags are Keras 3's "<weight path>/histogram"; a path is model/layer/weight (sequential/dense/kernel).
    assert [name.split("/")[1] for name in weights] == ["dense", "dense", "dense_1", "dense_1"]
    assert {name.split("/")[0] for name in weights} == {model.name}
    assert {t for t in acc.Tags()["tensors"] if t.endswith("/histogram")} == {n + "/histogram" for n in weights}
    for name, value in weights.items():
        series = _series(acc, name + "/histogram")
        assert [s for s, _ in series] == [0, 2]
        last = series[-1][1]
        assert last.shape == (30, 3) and last[:, 2].sum() == value.size
        np.testing.assert_allclose([last[0, 0], last[-1, 1]], [value.min(), value.max()], rtol=1e-6)
        assert acc.SummaryMetadata(name + "/histogram").plugin_data.plugin_name == "histograms"


def test_graph_has_layer_scopes_and_keras_config(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(
        x, y, epochs=1, batch_size=16, verbose=0, callbacks=[tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path))]
    )
    acc = _acc(tmp_path / "train")
    names = [n.name for n in acc.Graph().node]
    assert any(n.startswith("sequential/dense/") for n in names)
    assert any(n.startswith("sequential/dense_1/") for n in names)
    ops = {n.name: n.op for n in acc.Graph().node}
    assert ops["sequential/dense/MatMul"] == "MatMul" and ops["input"] == "Placeholder"
    ((step, config),) = _series(acc, "keras")
    assert step == 0 and json.loads(config.item())["class_name"] == "Sequential"
    assert acc.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"


def test_functional_model_graph(tmp_path):
    inputs = tf.keras.Input(shape=(3,))
    hidden = tf.keras.layers.Dense(4, activation="relu")(inputs)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(hidden))
    model.compile("sgd", "mse")
    x, _ = _data(32)
    model.fit(
        x,
        np.zeros((32, 2), "float32"),
        epochs=1,
        verbose=0,
        callbacks=[tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path), write_graph=True)],
    )
    names = [n.name for n in _acc(tmp_path / "train").Graph().node]
    layer_names = [layer.name for layer in model.layers if layer.weights]
    for layer_name in layer_names:
        assert any(f"/{layer_name}/" in f"/{n}" for n in names), (layer_name, names)


def test_write_graph_false_writes_no_graph(tmp_path):
    x, y = _data()
    _model().fit(
        x, y, epochs=1, verbose=0, callbacks=[tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path), write_graph=False)]
    )
    acc = _acc(tmp_path / "train")
    assert not acc.Tags()["graph"] and "keras" not in acc.Tags()["tensors"]


@pytest.mark.parametrize("update_freq, expected_steps", [("batch", [1, 2, 3, 4, 5, 6, 7, 8]), (3, [3, 6])])
def test_batch_level_logging(tmp_path, update_freq, expected_steps):
    x, y = _data()
    model = _model()
    tb = tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=update_freq)
    assert batch_runner.callback_needs(CallbackList([tb]), "train") == (False, True)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[tb])
    acc = _acc(tmp_path / "train")
    loss = _scalars(acc, "batch_loss")
    assert [s for s, _ in loss] == expected_steps
    assert [s for s, _ in _scalars(acc, "batch_accuracy")] == expected_steps
    if update_freq == "batch":
        # Batch logs are running means over the epoch: the last batch's equals the epoch's result.
        np.testing.assert_allclose([loss[3][1], loss[7][1]], history.history["loss"], rtol=1e-6)
        assert loss[0][1] != pytest.approx(loss[3][1])


def test_subclass_batch_hook_runs_with_batch_logging(tmp_path):
    seen = []

    class Counting(tf.keras.callbacks.TensorBoard):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)
            super().on_train_batch_end(batch, logs)

    x, y = _data()
    _model().fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[Counting(log_dir=str(tmp_path), update_freq=2)])
    assert seen == [0, 1, 2, 3]
    assert [s for s, _ in _scalars(_acc(tmp_path / "train"), "batch_loss")] == [2, 4]


def test_events_reach_the_file_at_interpreter_exit(tmp_path):
    script = (
        "import ferroflow as tf\n"
        f"w = tf.summary.create_file_writer({str(tmp_path)!r}, flush_millis=10**7)\n"
        "w.set_as_default(step=3)\n"
        "tf.summary.scalar('late', 2.5)\n"  # neither flushed nor closed: the exit handler writes it
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert _scalars(_acc(tmp_path), "late") == [(3, 2.5)]


def test_epoch_update_freq_calls_no_python_per_batch(tmp_path):
    tb = tf.keras.callbacks.TensorBoard(
        log_dir=str(tmp_path / "logs"), update_freq="epoch", histogram_freq=1, write_steps_per_second=True
    )
    assert batch_runner.callback_needs(CallbackList([tb]), "train") == (False, False)
    assert batch_runner.callback_needs(CallbackList([tb]), "test") == (False, False)
    tb.set_model(_model())
    assert not os.path.exists(tmp_path / "logs")  # writers are created on first write


def test_steps_per_second_and_evaluation_summaries(tmp_path):
    x, y = _data()
    model = _model()
    tb = tf.keras.callbacks.TensorBoard(log_dir=str(tmp_path), write_steps_per_second=True)
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[tb])
    sps = _scalars(_acc(tmp_path / "train"), "epoch_steps_per_second")
    assert [s for s, _ in sps] == [0, 1] and all(v > 0 for _, v in sps)
    result = model.evaluate(x, y, verbose=0, callbacks=[tb], return_dict=True)
    tb.on_train_end()  # closes the writers
    val = _acc(tmp_path / "validation")
    ((step, loss),) = _scalars(val, "evaluation_loss_vs_iterations")
    assert step == int(model.optimizer.iterations.numpy()) == 8
    assert loss == pytest.approx(result["loss"], rel=1e-6)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"write_images": True}, NotImplementedError),
        ({"embeddings_freq": 1}, NotImplementedError),
        ({"profile_batch": 5}, NotImplementedError),
        ({"profile_batch": (2, 4)}, NotImplementedError),
        ({"profile_batch": -1}, ValueError),
        ({"profile_batch": (4, 2)}, ValueError),
        ({"update_freq": "sometimes"}, ValueError),
        ({"update_freq": 0}, ValueError),
        ({"histogram_freq": -1}, ValueError),
    ],
)
def test_unsupported_or_invalid_options_raise(kwargs, error):
    with pytest.raises(error):
        tf.keras.callbacks.TensorBoard(log_dir="unused", **kwargs)


def test_keras_namespace_and_defaults():
    tb = tf.keras.callbacks.TensorBoard()
    assert isinstance(tb, tf.callbacks.TensorBoard)
    assert (tb.log_dir, tb.histogram_freq, tb.write_graph, tb.update_freq) == ("logs", 0, True, "epoch")
    assert tf.keras.callbacks.TensorBoard(update_freq="batch").update_freq == 1
