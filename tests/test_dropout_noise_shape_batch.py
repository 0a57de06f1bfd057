"""Dropout with ``noise_shape=(None, 1, 1)`` (EfficientNet's per-sample block dropout) training in a graph
whose batch size is known only when it runs: one keep/drop draw per sample, shared over the other axes."""

import numpy as np

import ferroflow as tf
from ferroflow import keras


def test_per_sample_mask_in_a_function():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, 1), seed=3)

    @tf.function(input_signature=[tf.TensorSpec([None, 4, 3])])
    def f(x):
        return layer(x, training=True)

    out = f(np.ones((64, 4, 3), "float32")).numpy()
    per_sample = out.reshape(64, -1)
    # each sample is all dropped (0) or all kept (scaled by 1 / (1 - rate) = 2)
    assert set(np.unique(per_sample.min(1))) <= {0.0, 2.0}
    np.testing.assert_array_equal(per_sample.min(1), per_sample.max(1))
    assert 0 < (per_sample[:, 0] == 0).sum() < 64


def test_fit_with_the_block_dropout():
    inputs = keras.Input((4, 3))
    x = keras.layers.Dropout(0.2, noise_shape=(None, 1, 1))(inputs)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    history = model.fit(np.ones((8, 4, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])
