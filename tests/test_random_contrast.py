"""keras.layers.RandomContrast: Keras 3.15's factor parsing (bounds [0, 1]), draws, data formats, config."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.keras import layers

RNG = np.random.default_rng(7)


@pytest.mark.parametrize(
    "factor, parsed",
    [
        (0.5, (0, 0.5)),  # one number f: factors in [1, 1 + f]
        (1.0, (0, 1.0)),
        (0.0, (0.0, 0.0)),
        ((0.2, 0.3), (0.2, 0.3)),
        ((0.3, 0.2), (0.2, 0.3)),  # sorted
        ((-0.5, 0.5), (-0.5, 0.5)),  # a pair may go below 0 as long as its upper end is >= 0
        ([0.1, 1.5], (0.1, 1.5)),
    ],
)
def test_factor_parsing_matches_keras(factor, parsed):
    layer = layers.RandomContrast(factor)
    assert layer.factor == parsed
    assert layer.get_config()["factor"] == parsed


@pytest.mark.parametrize("factor", [1.5, -0.2, (1.2, 2), (-1, -0.1), "a", (1, 2, 3)])
def test_bad_factor_raises_keras_message(factor):
    with pytest.raises(ValueError, match=r"in the range \[0, 1\]"):
        layers.RandomContrast(factor)


def _factors(x, y, axes):
    mean = x.mean(axis=axes, keepdims=True)
    return (y - mean) / (x - mean)


def test_single_factor_draws_between_one_and_one_plus_f():
    x = RNG.uniform(0, 100, (512, 2, 2, 1)).astype("float32")
    x[:, 0, 0, 0], x[:, 1, 1, 0] = 0.0, 100.0  # a spread, so that the (0, 1) pixel is rarely clipped
    y = layers.RandomContrast(0.5, seed=1)(x, training=True).numpy()
    f = _factors(x, y, (1, 2))[:, 0, 1, 0]
    inside = (y[:, 0, 1, 0] > 0) & (y[:, 0, 1, 0] < 255)
    f = f[inside & (np.abs(x[:, 0, 1, 0] - x.mean(axis=(1, 2))[:, 0]) > 1)]
    assert f.min() >= 1.0 - 1e-3 and f.max() <= 1.5 + 1e-3
    assert f.min() < 1.1 and f.max() > 1.4  # the whole interval is drawn from


def test_pair_with_equal_ends_is_a_fixed_factor_and_clips():
    x = RNG.uniform(0, 255, (8, 5, 5, 3)).astype("float32")
    y = layers.RandomContrast((-0.5, 0.5), seed=2)(x, training=True).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(y, np.clip((x - mean) * 1.5 + mean, 0, 255), rtol=1e-5, atol=1e-3)


def test_channels_first_uses_the_last_two_axes_and_one_factor_per_image():
    x = RNG.uniform(0, 100, (4, 3, 6, 6)).astype("float32")
    layer = layers.RandomContrast(0.3, value_range=(-1000, 1000), data_format="channels_first", seed=3)
    y = layer(x, training=True).numpy()
    f = _factors(x, y, (2, 3))[:, :, 0, 0]
    np.testing.assert_allclose(f, np.repeat(f[:, :1], 3, axis=1), rtol=1e-3)
    assert np.all((f >= 1 - 1e-3) & (f <= 1.3 + 1e-3))
    assert layer.get_config()["data_format"] == "channels_first"


def test_inference_is_identity_and_bad_rank_raises():
    x = RNG.uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    layer = layers.RandomContrast(0.4)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    with pytest.raises(ValueError, match="rank 3 or 4"):
        layer(np.zeros((2, 3), "float32"), training=True)


def test_config_round_trip_and_tf_function():
    layer = layers.RandomContrast((0.1, 0.2), value_range=(0, 1), seed=5, name="rc")
    config = layer.get_config()
    assert {"name", "trainable", "dtype", "data_format", "factor", "value_range", "seed"} <= set(config)
    clone = layers.RandomContrast.from_config(config)
    assert clone.factor == (0.1, 0.2) and clone.value_range == (0, 1) and clone.seed == 5
    x = RNG.uniform(0, 1, (3, 4, 4, 1)).astype("float32")
    y = tf.function(lambda t: clone(t, training=True))(x).numpy()
    f = _factors(x, y, (1, 2))
    ok = (y > 0) & (y < 1)
    assert np.all((f[ok] > 0.9 - 1e-3) & (f[ok] < 1.2 + 1e-3))
