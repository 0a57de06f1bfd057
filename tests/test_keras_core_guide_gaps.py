"""Behaviours the Keras core guides (Sequential, Functional API, subclassing) rely on, as TensorFlow 2.21 with
Keras 3 has them: DataType enum numbers as dtypes, keras.backend.random_normal, dicts of inputs paired with
Input names, training a model without trainable weights, and nested functional models named Functional."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
layers = keras.layers


def test_dtype_enum_numbers_as_tensorflow():
    assert tf.zeros(1, 1).dtype == tf.float32  # the subclassing guide's tf.zeros(1, 1): dtype=1 is DT_FLOAT
    assert [tf.as_dtype(i) for i in (2, 3, 9, 10, 19)] == [tf.float64, tf.int32, tf.int64, tf.bool, tf.float16]
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 99 to a TensorFlow DType."):
        tf.as_dtype(99)


def test_backend_random_normal_and_uniform():
    np.random.seed(5)
    a = keras.backend.random_normal((2000,), mean=1.0, stddev=2.0).numpy()
    assert a.dtype == np.float32 and abs(a.mean() - 1.0) < 0.2 and abs(a.std() - 2.0) < 0.2
    assert keras.backend.random_normal((2, 3), dtype="float64").dtype == tf.float64
    u = keras.backend.random_uniform((1000,), minval=2.0, maxval=3.0, seed=1).numpy()
    assert u.min() >= 2.0 and u.max() < 3.0


def _two_inputs() -> keras.Model:
    a, b = keras.Input((3,), name="title"), keras.Input((5,), name="body")
    return keras.Model([a, b], [layers.Dense(1)(a), layers.Dense(2)(b)])


def test_dict_of_inputs_pairs_by_input_name():
    model = _two_inputs()
    title, body = np.ones((2, 3), np.float32), np.arange(10, dtype=np.float32).reshape(2, 5)
    by_list = model([title, body])
    by_dict = model({"body": body, "title": title})
    for x, y in zip(by_list, by_dict):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    with pytest.raises(ValueError, match='Missing data for input "body". You passed a data dictionary with keys'):
        model({"title": title, "bod": body})


def test_fit_with_a_dict_of_inputs_for_listed_inputs():
    model = _two_inputs()
    model.compile("sgd", "mse")
    x = {"title": np.ones((8, 3)), "body": np.ones((8, 5))}
    history = model.fit(x, [np.zeros((8, 1)), np.zeros((8, 2))], epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


@pytest.mark.parametrize("eager", [False, True])
def test_training_a_model_without_trainable_weights_warns_and_reports_the_loss(eager: bool):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Activation("linear")(inputs))
    model.compile(optimizer="adam", loss="mse", run_eagerly=eager)
    with pytest.warns(UserWarning, match="The model does not have any trainable weights"):
        history = model.fit(np.ones((4, 3)), np.zeros((4, 3)), verbose=0)
    np.testing.assert_allclose(history.history["loss"], [1.0], rtol=1e-6)


def test_nested_functional_model_shows_as_functional_in_summary():
    inner = keras.Model(*(lambda i: (i, layers.Dense(2)(i)))(keras.Input((3,))), name="inner")
    x = keras.Input((3,))
    outer = keras.Model(x, inner(x))
    lines: list = []
    outer.summary(print_fn=lines.append)
    assert any(line.startswith("│ inner (Functional)") for line in lines)
