"""Sublayers a custom layer assigns before calling ``super().__init__()`` (as keras.io's Switch Transformer
does) are tracked as Keras 3 tracks them: their weights and added losses count; and a model input with a
fixed batch size fits arrays of more samples in batches of that size. Counts recorded from Keras 3.15."""

import numpy as np

from ferroflow import keras


class _Router(keras.layers.Layer):
    def __init__(self, units):
        self.units = units
        self.route = keras.layers.Dense(units)
        self.experts = [keras.layers.Dense(3) for _ in range(2)]
        super().__init__()

    def call(self, x):
        self.add_loss(keras.ops.mean(self.route(x)) * 0.0 + 1.0)
        return self.route(x) + self.experts[0](x)[:, :1] + self.experts[1](x)[:, :1]


def test_weights_and_losses_of_layers_set_before_init():
    layer = _Router(4)
    out = layer(np.ones((2, 3), "float32"))
    assert out.shape == (2, 4)
    # route (3*4+4) and two experts (3*3+3 each), as Keras 3.15 counts them
    assert layer.count_params() == 40 and len(layer.trainable_weights) == 6
    assert [float(v) for v in layer.losses] == [1.0]


def test_fixed_batch_input_fits_in_batches():
    inputs = keras.Input(shape=(3,), batch_size=4)
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    history = model.fit(np.ones((16, 3), "float32"), np.ones((16, 1), "float32"), batch_size=4, verbose=0)
    assert len(history.history["loss"]) == 1
