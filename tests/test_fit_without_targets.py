"""Models compiled without a loss train on the losses their layers add (``add_loss``), with or without
targets, as in Keras 3; compiled without a loss and adding none, fit raises Keras 3's "No loss to compute".
Expected values: the added loss computed here with NumPy from the model's weights."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


class SquaredSum(keras.layers.Layer):
    """Adds the mean over the batch of the sum of its squared inputs as a loss; returns its inputs."""

    def call(self, x):
        self.add_loss(keras.ops.mean(keras.ops.sum(x * x, axis=1)))
        return x


def _model():
    inp = keras.Input((3,))
    dense = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    model = keras.Model(inp, SquaredSum()(dense(inp)))
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    return model, dense


def _expected(dense, x):
    w, b = (v.numpy() for v in dense.weights)
    out = x @ w + b
    return float(np.mean(np.sum(out * out, axis=1)))


X = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")


def test_fit_without_y_trains_on_added_loss():
    model, dense = _model()
    before = _expected(dense, X)
    assert model.evaluate(X, verbose=0) == pytest.approx(before, rel=1e-5)
    history = model.fit(X, batch_size=8, epochs=3, verbose=0)
    assert history.history["loss"][0] == pytest.approx(before, rel=1e-5)
    assert history.history["loss"][-1] < before  # gradient steps lower the added loss
    assert model.evaluate(X, verbose=0) == pytest.approx(_expected(dense, X), rel=1e-5)


def test_train_and_test_on_batch_without_y():
    model, dense = _model()
    expected = _expected(dense, X)
    assert model.test_on_batch(X) == pytest.approx(expected, rel=1e-5)
    assert model.train_on_batch(X) == pytest.approx(expected, rel=1e-5)
    assert model.test_on_batch(X) < expected


def test_fit_on_dataset_of_inputs_only():
    model, dense = _model()
    before = _expected(dense, X)
    ds = tf.data.Dataset.from_tensor_slices(X).batch(4)
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and history.history["loss"][-1] < before
    assert model.evaluate(ds, verbose=0) == pytest.approx(_expected(dense, X), rel=1e-5)


def test_fit_with_y_and_no_compiled_loss_uses_added_loss_only():
    model, dense = _model()
    expected = _expected(dense, X)
    history = model.fit(X, np.zeros((8, 2), "float32"), batch_size=8, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_run_eagerly_without_y():
    model, dense = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.01), run_eagerly=True)
    expected = _expected(dense, X)
    history = model.fit(X, batch_size=8, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_no_loss_and_no_added_loss_raises_keras_error():
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(2)(inp))
    model.compile(optimizer="adam")
    for call in (
        lambda: model.fit(X, verbose=0),
        lambda: model.evaluate(X, verbose=0),
        lambda: model.train_on_batch(X),
    ):
        with pytest.raises(ValueError, match="No loss to compute. Provide a `loss` argument in `compile\\(\\)`"):
            call()


def test_compiled_metrics_without_y_raise():
    model, _ = _model()
    model.compile(optimizer="adam", metrics=["mae"])
    with pytest.raises(ValueError, match="no targets"):
        model.fit(X, verbose=0)


def test_compiled_loss_still_needs_y():
    model, _ = _model()
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="`y`"):
        model.fit(X, verbose=0)
