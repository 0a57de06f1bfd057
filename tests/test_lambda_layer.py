"""``keras.layers.Lambda``: calls, arguments, shapes, training and saving (bytecode only with safe_mode off)."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


def scale_by(x, factor):
    return x * factor


def test_in_sequential_and_functional_models():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2.0), keras.layers.Dense(2)])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert model(x).shape == (2, 2)
    inputs = keras.Input((4,))
    squared = keras.layers.Lambda(tf.square)(inputs)
    summed = keras.layers.Lambda(lambda t: tf.reduce_sum(t, axis=-1, keepdims=True))(squared)
    functional = keras.Model(inputs, summed)
    assert tuple(functional.output_shape) == (None, 1)
    np.testing.assert_allclose(functional(np.ones((2, 4), np.float32)).numpy(), [[4.0], [4.0]])


def test_arguments_output_shape_and_training_flag():
    layer = keras.layers.Lambda(scale_by, arguments={"factor": 3.0}, output_shape=(5,))
    np.testing.assert_allclose(layer(tf.ones([1, 5])).numpy(), np.full((1, 5), 3.0))
    assert layer.compute_output_shape((7, 5)) == (7, 5)
    seen = []
    keras.layers.Lambda(lambda t, training=None: seen.append(training) or t)(tf.ones([1]), training=True)
    assert seen == [True]


def test_fit_trains_through_a_lambda_layer():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)) * 2.0
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1), keras.layers.Lambda(lambda t: t * 2.0)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 1e-3


def test_saving_named_functions_and_lambdas(tmp_path):
    named = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(scale_by, arguments={"factor": 4.0})])
    named.save(tmp_path / "named.keras")
    again = keras.models.load_model(tmp_path / "named.keras")
    np.testing.assert_allclose(again(np.ones((1, 2), np.float32)).numpy(), [[4.0, 4.0]])

    anonymous = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t + 1.0)])
    anonymous.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "lambda.keras")
    loaded = keras.models.load_model(tmp_path / "lambda.keras", safe_mode=False)
    np.testing.assert_allclose(loaded(np.zeros((1, 2), np.float32)).numpy(), [[1.0, 1.0]])


def test_a_non_callable_is_a_type_error():
    with pytest.raises(TypeError, match="callable"):
        keras.layers.Lambda(3)
