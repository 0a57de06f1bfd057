"""What an overridden step receives for 1-tuple batches and tuple inputs, as Keras 3 packs it: a Dataset of
``(x,)`` gives ``(x,)``, a tuple ``x`` stays a tuple (and a list ``[a, b]`` becomes one), and inputs alone that
are a tuple arrive as ``((a, b),)``. Expected structures recorded with Keras 3.15 on TensorFlow 2.21."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from ferroflow.keras import layers

SEEN = []


def _describe(d):
    if isinstance(d, (tuple, list)):
        return type(d).__name__ + "(" + ",".join(_describe(v) for v in d) + ")"
    if isinstance(d, dict):
        return "dict(" + ",".join(k + ":" + _describe(v) for k, v in sorted(d.items())) + ")"
    return "T" + str(tuple(d.shape)[1:])


class Recording(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(1)

    def call(self, x):
        if isinstance(x, (tuple, list)):
            x = x[0]
        if isinstance(x, dict):
            x = x["a"]
        return self.d(x)

    def train_step(self, data):
        SEEN.append(("train", _describe(data)))
        return {"n": 0.0}

    def test_step(self, data):
        SEEN.append(("test", _describe(data)))
        return {"n": 0.0}

    def predict_step(self, data):
        SEEN.append(("predict", _describe(data)))
        return self(data[0] if isinstance(data, tuple) else data)


X, Y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
D = tf.data.Dataset.from_tensor_slices

# Recorded with Keras 3.15 (the same in graph and eager steps).
CASES = {
    "ds_1tuple": (lambda m: m.fit(D((X,)).batch(4), epochs=1, verbose=0), "train", "tuple(T(3,))"),
    "ds_x": (lambda m: m.fit(D(X).batch(4), epochs=1, verbose=0), "train", "T(3,)"),
    "ds_tuple_x_y": (
        lambda m: m.fit(D(((X, X), Y)).batch(4), epochs=1, verbose=0),
        "train",
        "tuple(tuple(T(3,),T(3,)),T(1,))",
    ),
    "ds_tuple_x_1tuple": (
        lambda m: m.fit(D(((X, X),)).batch(4), epochs=1, verbose=0),
        "train",
        "tuple(tuple(T(3,),T(3,)))",
    ),
    "ds_dict": (lambda m: m.fit(D({"a": X}).batch(4), epochs=1, verbose=0), "train", "dict(a:T(3,))"),
    "arrays_tuple_x": (lambda m: m.fit((X, X), Y, batch_size=4, verbose=0), "train", "tuple(tuple(T(3,),T(3,)),T(1,))"),
    "arrays_list_x": (lambda m: m.fit([X, X], Y, batch_size=4, verbose=0), "train", "tuple(tuple(T(3,),T(3,)),T(1,))"),
    "arrays_tuple_x_alone": (lambda m: m.fit((X, X), batch_size=4, verbose=0), "train", "tuple(tuple(T(3,),T(3,)))"),
    "eval_1tuple": (lambda m: m.evaluate(D((X,)).batch(4), verbose=0), "test", "tuple(T(3,))"),
    "predict_1tuple": (lambda m: m.predict(D((X,)).batch(4), verbose=0), "predict", "tuple(T(3,))"),
    "predict_x": (lambda m: m.predict(D(X).batch(4), verbose=0), "predict", "T(3,)"),
    "predict_tuple_x": (lambda m: m.predict(D(((X, X),)).batch(4), verbose=0), "predict", "tuple(tuple(T(3,),T(3,)))"),
    "ds_x_y": (lambda m: m.fit(D((X, Y)).batch(4), epochs=1, verbose=0), "train", "tuple(T(3,),T(1,))"),
    "generator_1tuple": (
        lambda m: m.fit((t for t in [(X,)]), epochs=1, steps_per_epoch=1, verbose=0),
        "train",
        "tuple(T(3,))",
    ),
}


@pytest.mark.parametrize("run_eagerly", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_step_receives_keras_packing(case, run_eagerly):
    call, kind, expected = CASES[case]
    SEEN.clear()
    model = Recording()
    model.compile(optimizer="sgd", run_eagerly=run_eagerly)
    call(model)
    assert SEEN and set(SEEN) == {(kind, expected)}


def test_one_tuple_and_plain_batches_of_one_model():
    SEEN.clear()
    model = Recording()
    model.compile(optimizer="sgd", run_eagerly=True)  # a step per batch (a traced step records once)
    model.fit(D((X,)).batch(4), epochs=1, verbose=0)
    model.fit(D(X).batch(4), epochs=1, verbose=0)
    model.fit(D((X,)).batch(4), epochs=1, verbose=0)
    assert [s for _, s in SEEN] == ["tuple(T(3,))", "T(3,)", "tuple(T(3,))"]
