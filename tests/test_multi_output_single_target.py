"""A multi-output model compiled with one loss and ``None`` for the others trains on a single ``y`` (as the
miniature-GPT example's ``loss=[loss_fn, None]``); values recorded from Keras 3.15."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


def _model():
    inp = keras.Input((3,))
    h = keras.layers.Dense(4, kernel_initializer="ones", name="h")(inp)
    out = keras.layers.Dense(2, kernel_initializer="ones", name="o")(h)
    return keras.Model(inp, [out, h])


X = np.arange(6, dtype="float32").reshape(2, 3) / 10
Y = np.ones((2, 2), "float32")


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_single_y_goes_to_the_only_output_with_a_loss(run_eagerly):
    m = _model()
    m.compile("sgd", loss=[keras.losses.MeanSquaredError(), None], run_eagerly=run_eagerly)
    np.testing.assert_allclose(m.train_on_batch(X, Y), 7.2400007247924805, rtol=1e-6)
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(1)
    np.testing.assert_allclose(m.evaluate(ds, verbose=0), 5.908445358276367, rtol=1e-6)


def test_second_output_loss_and_metrics():
    m = _model()
    m.compile("sgd", loss=[None, "mse"])
    np.testing.assert_allclose(m.evaluate(X, np.ones((2, 4), "float32"), verbose=0), 0.26499998569488525, rtol=1e-6)
    m.compile("sgd", loss=[keras.losses.MeanSquaredError(), None], metrics=[["mae"], None])
    logs = m.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose([logs["loss"], logs["o_mae"]], [7.2400007247924805, 2.0], rtol=1e-6)


def test_single_y_with_two_losses_still_needs_one_target_per_output():
    m = _model()
    m.compile("sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match="different structures"):
        m.evaluate(X, Y, verbose=0)
