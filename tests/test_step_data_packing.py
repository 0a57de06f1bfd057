"""What an overridden ``train_step``/``test_step``/``predict_step`` receives, as Keras 3 packs it: ``x`` alone
when there are no targets (keras.io's VAE calls ``self.encoder(data)``), else ``(x, y)`` or
``(x, y, sample_weight)``. Expected values recorded with Keras 3.15 on TensorFlow 2.21."""

import numpy as np
import pytest

from ferroflow import keras
from ferroflow.keras import layers


def _describe(d):
    if isinstance(d, (tuple, list)):
        return type(d).__name__ + "(" + ",".join(_describe(v) for v in d) + ")"
    return "None" if d is None else "T" + str(tuple(d.shape))


class Recording(keras.Model):
    def __init__(self, seen):
        super().__init__()
        self.d = layers.Dense(1)
        self.seen = seen

    def call(self, x):
        return self.d(x)

    def train_step(self, data):
        self.seen.append(("train", _describe(data)))
        return {"n": 0.0}

    def test_step(self, data):
        self.seen.append(("test", _describe(data)))
        return {"n": 0.0}

    def predict_step(self, data):
        self.seen.append(("predict", _describe(data)))
        return self(data)


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_steps_receive_keras_packing(run_eagerly):
    seen = []
    x, y, w = np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), np.ones(4, "float32")
    for call in (
        lambda m: m.fit(x, epochs=1, batch_size=4, verbose=0),
        lambda m: m.fit(x, y, epochs=1, batch_size=4, verbose=0),
        lambda m: m.fit(x, y, sample_weight=w, epochs=1, batch_size=4, verbose=0),
        lambda m: m.evaluate(x, batch_size=4, verbose=0),
        lambda m: m.predict(x, batch_size=4, verbose=0),
    ):
        model = Recording(seen)  # a fresh model per call: a traced step records its data once
        model.compile(optimizer="sgd", run_eagerly=run_eagerly)
        call(model)
    assert seen == [
        ("train", "T(4, 3)"),
        ("train", "tuple(T(4, 3),T(4, 1))"),
        ("train", "tuple(T(4, 3),T(4, 1),T(4,))"),
        ("test", "T(4, 3)"),
        ("predict", "T(4, 3)"),
    ]
