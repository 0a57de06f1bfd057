"""What the "Training & evaluation with the built-in methods" guide needed: a Metric subclass with its
own variables (``add_variable``/``add_weight``) trained by fit, ``keras.ops.one_hot`` of float labels,
and ModelCheckpoint's Keras 3 messages. Expected values were checked under TensorFlow 2.21 / Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from callback_fakes import FakeModel, fit, losses
from ferroflow import callbacks as cbs

keras = tf.keras


class Hits(keras.metrics.Metric):
    """Counts rows whose argmax equals the integer label, and the rows seen, in two variables."""

    def __init__(self, name="hits", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_variable(shape=(), initializer="zeros", name="hits")
        self.seen = self.add_weight(name="seen", initializer="zeros")  # tf.keras spelling

    def update_state(self, y_true, y_pred, sample_weight=None):
        match = keras.ops.cast(keras.ops.argmax(y_pred, axis=1) == keras.ops.cast(y_true, "int32"), "float32")
        self.hits.assign_add(keras.ops.sum(match))
        self.seen.assign(self.seen + keras.ops.sum(keras.ops.ones_like(match)))

    def result(self):
        return self.hits / self.seen

    def reset_state(self):
        self.hits.assign(0.0)
        self.seen.assign(0.0)


def test_metric_variables_update_eagerly():
    m = Hits()
    assert [v.name.split(":")[0] for v in m.variables] == ["hits", "seen"]
    assert all(not v.trainable for v in m.variables)
    m.update_state(np.array([0, 1, 2]), np.eye(3, dtype="float32")[[0, 2, 2]])
    assert float(m.result()) == pytest.approx(2 / 3)
    m.reset_state()
    assert float(m.hits) == 0.0 and float(m.seen) == 0.0


def test_metric_add_variable_rejects_unknown_aggregation():
    class Bad(keras.metrics.Metric):
        def __init__(self):
            super().__init__(name="bad")
            self.v = self.add_variable(shape=(), initializer="zeros", aggregation="max")

    with pytest.raises(ValueError, match="aggregation"):
        Bad()


def test_custom_metric_in_fit_and_evaluate_counts_every_row():
    """fit logs the metric per epoch from its own update_state; evaluate's value is the fraction of rows
    whose prediction is right, computed here with NumPy from predict."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=[Hits()])
    history = model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    assert sorted(history.history) == ["hits", "loss"]
    assert all(0.0 <= h <= 1.0 for h in history.history["hits"])
    _, acc = model.evaluate(x, y, batch_size=32, verbose=0)
    expected = np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == y)
    assert acc == pytest.approx(expected)
    assert float(model.metrics[-1].metrics[-1].seen) == 96.0


def test_one_hot_of_float_labels_truncates_like_keras():
    out = keras.ops.one_hot(np.array([1.0, 2.7, -1.0], dtype="float32"), num_classes=3)
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    assert out.dtype == tf.float32


def test_model_checkpoint_starts_from_no_best_and_reports_saving(tmp_path, capsys):
    model = FakeModel()
    ckpt = cbs.ModelCheckpoint(str(tmp_path / "m{epoch}.keras"), save_best_only=True, verbose=1)
    assert ckpt.best is None
    fit(model, [ckpt], losses(0.5, 0.6))
    out = capsys.readouterr().out
    assert "\nEpoch 1: val_loss improved from None to 0.50000, saving model to " in out
    assert "\nEpoch 1: finished saving model to " in out
    assert "\nEpoch 2: val_loss did not improve from 0.50000" in out
    assert ckpt.best == 0.5


def test_logs_are_in_keras_3_order():
    """Keras 3 sorts a step's logs by name and appends the sorted validation logs: under TensorFlow 2.21
    this fit gives ['accuracy', 'loss', 'val_accuracy', 'val_loss'] and batch logs ['accuracy', 'loss']."""
    x, y = np.zeros((8, 3), "float32"), np.zeros((8,), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    seen = []
    batch_logs = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(list(logs)))
    history = model.fit(x, y, batch_size=8, verbose=0, validation_data=(x, y), callbacks=[batch_logs])
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert seen == [["accuracy", "loss"]]
