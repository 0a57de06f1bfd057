"""Metric subclasses whose ``update_state`` uses ``assign`` (a running maximum, a sum written as
``assign(v + x)``) report in fit/evaluate exactly what the same metric reports when run eagerly on the
same predictions, batch after batch (their state lives in their variables; see metric_variables.py)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


class RunningMax(keras.metrics.Metric):
    """The largest absolute error seen: not a sum of per-batch increments."""

    def __init__(self, name="running_max", **kwargs):
        super().__init__(name=name, **kwargs)
        self.top = self.add_variable(shape=(), initializer="zeros", name="top")

    def update_state(self, y_true, y_pred, sample_weight=None):
        err = keras.ops.max(keras.ops.abs(keras.ops.cast(y_true, "float32") - y_pred))
        self.top.assign(keras.ops.maximum(self.top, err))

    def result(self):
        return self.top

    def reset_state(self):
        self.top.assign(0.0)


class AssignSum(keras.metrics.Metric):
    """Mean absolute error kept as a sum and a count, both written with ``assign(v + x)``; starts the
    count at 1 (an initial value that is not zero)."""

    def __init__(self, name="assign_sum", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="ones")

    def update_state(self, y_true, y_pred, sample_weight=None):
        err = keras.ops.abs(keras.ops.cast(y_true, "float32") - y_pred)
        self.total.assign(self.total + keras.ops.sum(err))
        self.count.assign(self.count + keras.ops.cast(keras.ops.size(err), "float32"))

    def result(self):
        return self.total / self.count


RNG = np.random.default_rng(1)
X = RNG.normal(size=(40, 3)).astype("float32")
Y = X @ np.array([[1.0], [-2.0], [0.5]], "float32") + RNG.normal(size=(40, 1)).astype("float32") * 3


def _eager(metric_cls, model, batch_size):
    m = metric_cls()
    pred = model.predict(X, verbose=0)
    for i in range(0, len(X), batch_size):
        m.update_state(Y[i : i + batch_size], pred[i : i + batch_size])
    return float(m.result())


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_evaluate_matches_eager_metric(run_eagerly):
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.compile(optimizer="sgd", loss="mse", metrics=[RunningMax(), AssignSum()], run_eagerly=run_eagerly)
    for _ in range(2):  # the second pass starts from the initial state again
        _, top, mean = model.evaluate(X, Y, batch_size=16, verbose=0)
        assert top == pytest.approx(_eager(RunningMax, model, 16), rel=1e-5)
        assert mean == pytest.approx(_eager(AssignSum, model, 16), rel=1e-5)


def test_fit_reports_the_running_max_of_its_batches():
    """With a zero learning rate the predictions fit sees are the model's; each epoch starts afresh."""
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=[RunningMax(), AssignSum()])
    history = model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for top in history.history["running_max"]:
        assert top == pytest.approx(_eager(RunningMax, model, 8), rel=1e-5)
    for mean in history.history["assign_sum"]:
        assert mean == pytest.approx(_eager(AssignSum, model, 8), rel=1e-5)
    # A sum of per-batch maxima would exceed the true maximum.
    assert history.history["running_max"][0] < 2 * np.max(np.abs(Y - model.predict(X, verbose=0)))


def test_fit_with_learning_uses_the_predictions_of_each_step():
    """Training moves the weights between batches; the running max equals the max over the batches'
    errors recomputed with the weights each batch saw (replayed with train_on_batch)."""

    def build():
        inp = keras.Input((3,))
        model = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="zeros")(inp))
        model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=[RunningMax()])
        return model

    model = build()
    history = model.fit(X, Y, batch_size=10, epochs=1, shuffle=False, verbose=0)
    replay = build()
    top = 0.0
    for i in range(0, 40, 10):
        pred = replay.predict(X[i : i + 10], verbose=0)
        top = max(top, float(np.max(np.abs(Y[i : i + 10] - pred))))
        replay.train_on_batch(X[i : i + 10], Y[i : i + 10])
    assert history.history["running_max"][0] == pytest.approx(top, rel=1e-5)


def test_dataset_fit_and_validation_each_start_afresh():
    """Fed a dataset, with validation after each epoch: the training and validation values are each
    those of their own data (the validation pass resets the state the training pass left)."""
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=[RunningMax(), AssignSum()])
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    history = model.fit(ds, epochs=2, verbose=0, validation_data=(X[30:], Y[30:]))
    pred = model.predict(X, verbose=0)
    val_top = float(np.max(np.abs(Y[30:] - pred[30:])))
    val_mean = float(np.sum(np.abs(Y[30:] - pred[30:])) / (1 + 10))
    for epoch in range(2):
        assert history.history["running_max"][epoch] == pytest.approx(_eager(RunningMax, model, 8), rel=1e-5)
        assert history.history["assign_sum"][epoch] == pytest.approx(_eager(AssignSum, model, 8), rel=1e-5)
        assert history.history["val_running_max"][epoch] == pytest.approx(val_top, rel=1e-5)
        assert history.history["val_assign_sum"][epoch] == pytest.approx(val_mean, rel=1e-5)
