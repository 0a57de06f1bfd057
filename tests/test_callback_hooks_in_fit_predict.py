"""Which callback hooks ``fit``'s validation and ``predict`` call, in Keras 3's order (the expected
sequences were printed by TensorFlow 2.21 + Keras 3 for the same code).

Keras 3 validates inside ``fit`` with the fit's own callbacks, so user callbacks see ``on_test_begin``,
``on_test_batch_end`` and ``on_test_end`` (logs without the ``val_`` prefix) before ``on_epoch_end``;
``predict`` calls ``on_predict_batch_begin``/``on_predict_batch_end`` around every batch with that
batch's outputs.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np

import ferroflow as tf

keras = tf.keras


class Recorder(keras.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.events: list = []

    def on_test_begin(self, logs=None):
        self.events.append(("test_begin", sorted(logs or {})))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_batch_end", batch))

    def on_test_end(self, logs=None):
        self.events.append(("test_end", sorted(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, sorted(logs)))

    def on_predict_batch_begin(self, batch, logs=None):
        self.events.append(("pb", batch, logs))

    def on_predict_batch_end(self, batch, logs=None):
        self.events.append(("pe", batch, sorted(logs), logs["outputs"].shape))


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


X = np.ones((10, 3), "float32")
Y = np.ones((10, 2), "float32")


def test_validation_split_calls_the_test_hooks_when_validating() -> None:
    rec = Recorder()
    _model().fit(X, Y, batch_size=4, epochs=2, validation_split=0.4, validation_freq=2, verbose=0, callbacks=[rec])
    assert rec.events == [
        ("epoch_end", 0, ["loss"]),
        ("test_begin", []),
        ("test_batch_end", 0),
        ("test_end", ["loss"]),
        ("epoch_end", 1, ["loss", "val_loss"]),
    ]


def test_dataset_validation_calls_the_test_hooks_per_batch() -> None:
    rec = Recorder()
    train = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)
    val = tf.data.Dataset.from_tensor_slices((X, Y)).batch(5)
    _model().fit(train, epochs=1, validation_data=val, verbose=0, callbacks=[rec])
    assert rec.events == [
        ("test_begin", []),
        ("test_batch_end", 0),
        ("test_batch_end", 1),
        ("test_end", ["loss"]),
        ("epoch_end", 0, ["loss", "val_loss"]),
    ]


def test_progress_bar_stays_silent_while_fit_validates() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _model().fit(X, Y, batch_size=4, epochs=1, validation_split=0.4, verbose=2, callbacks=[Recorder()])
    # Keras 3: "2/2 - 0s - 122ms/step - loss: 2.7599 - val_loss: 2.4070", nothing printed by the validation
    assert re.fullmatch(r"2/2 - \S+ - \S+/step - loss: [\d.]+ - val_loss: [\d.]+\n", out.getvalue())


def test_predict_calls_batch_hooks_around_every_batch_with_its_outputs() -> None:
    model = _model()
    rec = Recorder()
    x = np.random.default_rng(0).normal(size=(10, 3)).astype("float32")
    got = model.predict(x, batch_size=4, verbose=0, callbacks=[rec])
    assert rec.events == [
        ("pb", 0, {}),
        ("pe", 0, ["outputs"], (4, 2)),
        ("pb", 1, {}),
        ("pe", 1, ["outputs"], (4, 2)),
        ("pb", 2, {}),
        ("pe", 2, ["outputs"], (2, 2)),
    ]
    np.testing.assert_allclose(got, model.predict(x, batch_size=4, verbose=0), rtol=1e-6)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(got, x @ kernel + bias, rtol=1e-5, atol=1e-6)
