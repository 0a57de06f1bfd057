"""``SpatialDropout3D``: whole feature maps of volumes dropped while training (kept ones scaled by
``1 / (1 - rate)``), identity otherwise, in both data formats; its gradient is the same mask; it trains in a
compiled ``fit``; config and argument errors."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(51)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_whole_volumes_are_kept_or_dropped_while_training(data_format):
    first = data_format == "channels_first"
    x = RNG.random((64, 4, 5, 6, 32)).astype("float32") + 0.5
    if first:
        x = np.moveaxis(x, -1, 1).copy()
    layer = layers.SpatialDropout3D(0.3, data_format=data_format, seed=5)
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: the identity
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    kept = y != 0  # x is positive: a zero is a dropped voxel
    np.testing.assert_allclose(y[kept], x[kept] / 0.7, rtol=1e-6)
    per_map = (np.moveaxis(kept, 1, -1) if first else kept).reshape(64, 120, 32)  # (sample, voxel, channel)
    assert np.all(per_map.min(axis=1) == per_map.max(axis=1))  # one decision per (sample, channel)
    dropped = 1 - np.mean(per_map[:, 0, :])
    assert 0.25 < dropped < 0.35  # 2048 maps at rate 0.3


def test_the_gradient_is_the_mask():
    x = tf.constant(RNG.standard_normal((4, 3, 3, 3, 8)))
    w = RNG.standard_normal((4, 3, 3, 3, 8))
    layer = layers.SpatialDropout3D(0.5, dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=True)
        total = tf.reduce_sum(y * w)
    grad = tape.gradient(total, x).numpy()
    mask = y.numpy() / x.numpy()
    assert set(np.unique(mask.round(6))) == {0.0, 2.0}
    np.testing.assert_allclose(grad, w * mask, rtol=1e-10)


def test_it_trains_in_a_compiled_fit_and_predict_is_deterministic():
    tf.keras.utils.set_random_seed(6)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4, 6, 6, 2)),
            layers.Conv3D(8, 3, padding="same", activation="relu"),
            layers.SpatialDropout3D(0.25),
            layers.GlobalAveragePooling3D(),
            layers.Dense(1),
        ]
    )
    model.compile(tf.keras.optimizers.Adam(0.01), "mse")
    x = RNG.random((32, 4, 6, 6, 2)).astype("float32")
    y = x.mean(axis=(1, 2, 3, 4))[:, None] * 3
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_config_and_errors():
    layer = layers.SpatialDropout3D(0.2, data_format="channels_first", seed=3)
    config = layer.get_config()
    assert {"rate", "seed", "data_format", "name", "dtype"} <= set(config)
    assert (config["rate"], config["seed"], config["data_format"]) == (0.2, 3, "channels_first")
    assert layers.SpatialDropout3D.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 2, 3, 4, 5)) == (None, 2, 3, 4, 5)
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1. Received: rate=1.5"):
        layers.SpatialDropout3D(1.5)
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        layers.SpatialDropout3D(0.5)(np.zeros((2, 3, 3, 3), "float32"), training=True)
    with pytest.raises(ValueError, match="data_format"):
        layers.SpatialDropout3D(0.5, data_format="ndhwc")
