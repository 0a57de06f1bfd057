"""Padding, cropping, upsampling, permuting and repeating layers; the extra activations; training-only noise."""

import numpy as np
import pytest

import ferroflow as tf

layers = tf.keras.layers
RNG = np.random.default_rng(4)


def test_padding_cropping_upsampling_against_numpy():
    x = RNG.standard_normal((2, 5, 4, 3)).astype("float32")
    np.testing.assert_array_equal(
        layers.ZeroPadding2D(((1, 2), (0, 3)))(x).numpy(), np.pad(x, [(0, 0), (1, 2), (0, 3), (0, 0)])
    )
    np.testing.assert_array_equal(layers.ZeroPadding2D(1)(x).numpy(), np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)]))
    first = layers.ZeroPadding2D((1, 2), data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(first, np.pad(x, [(0, 0), (0, 0), (1, 1), (2, 2)]))
    np.testing.assert_array_equal(layers.Cropping2D(((1, 2), (0, 1)))(x).numpy(), x[:, 1:-2, 0:-1])
    np.testing.assert_array_equal(layers.UpSampling2D((2, 3))(x).numpy(), x.repeat(2, axis=1).repeat(3, axis=2))
    smooth = layers.UpSampling2D(interpolation="bilinear")(x)
    np.testing.assert_allclose(smooth.numpy(), tf.image.resize(x, [10, 8]).numpy(), rtol=1e-6)
    seq = RNG.standard_normal((2, 6, 3)).astype("float32")
    np.testing.assert_array_equal(layers.ZeroPadding1D((2, 1))(seq).numpy(), np.pad(seq, [(0, 0), (2, 1), (0, 0)]))
    np.testing.assert_array_equal(layers.Cropping1D((1, 2))(seq).numpy(), seq[:, 1:-2])
    np.testing.assert_array_equal(layers.UpSampling1D(2)(seq).numpy(), seq.repeat(2, axis=1))
    np.testing.assert_array_equal(layers.Permute((2, 1))(seq).numpy(), seq.transpose(0, 2, 1))
    vec = RNG.standard_normal((2, 4)).astype("float32")
    np.testing.assert_array_equal(layers.RepeatVector(3)(vec).numpy(), np.repeat(vec[:, None], 3, axis=1))


def test_shapes_in_a_functional_model_with_an_unknown_batch_and_gradients():
    inputs = tf.keras.Input((6, 6, 2))
    x = layers.ZeroPadding2D(((1, 2), (0, 1)))(inputs)
    x = layers.Cropping2D(((1, 0), (0, 1)))(x)
    x = layers.UpSampling2D()(x)
    out = layers.Permute((3, 1, 2))(x)
    model = tf.keras.Model(inputs, out)
    assert model.output_shape == (None, 2, 16, 12)
    xs = RNG.random((3, 6, 6, 2)).astype("float32")
    assert model(xs).shape == (3, 2, 16, 12)
    v = tf.constant(xs)
    with tf.GradientTape() as tape:
        tape.watch(v)
        total = tf.reduce_sum(model(v))
    # the crop removes only padding, and upsampling shows each pixel 4 times: every input's gradient is 4
    np.testing.assert_array_equal(tape.gradient(total, v).numpy(), np.full(xs.shape, 4.0))
    trimmed = tf.keras.Model(inputs, layers.Cropping2D(((2, 0), (0, 0)))(inputs))
    with tf.GradientTape() as tape:
        tape.watch(v)
        total = tf.reduce_sum(trimmed(v))
    grad = tape.gradient(total, v).numpy()
    assert np.all(grad[:, :2] == 0) and np.all(grad[:, 2:] == 1)


def test_activation_layers():
    x = np.array([[-2.0, -0.5, 0.0, 1.5]], "float32")
    np.testing.assert_allclose(layers.LeakyReLU()(x).numpy(), np.where(x > 0, x, 0.3 * x), rtol=1e-6)
    np.testing.assert_allclose(layers.LeakyReLU(negative_slope=0.1)(x).numpy(), np.where(x > 0, x, 0.1 * x), rtol=1e-6)
    np.testing.assert_allclose(layers.ELU(alpha=0.5)(x).numpy(), np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6)
    prelu = layers.PReLU(alpha_initializer=tf.keras.initializers.Constant(0.25))
    np.testing.assert_allclose(prelu(x).numpy(), np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    assert prelu.alpha.shape == (4,)
    shared = layers.PReLU(shared_axes=[1, 2])
    shared(np.zeros((1, 3, 3, 5), "float32"))
    assert shared.alpha.shape == (1, 1, 5)
    v = tf.constant(x)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(prelu(v))
    np.testing.assert_allclose(tape.gradient(total, prelu.alpha).numpy(), np.minimum(x[0], 0), rtol=1e-6)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-1)


def test_noise_layers_act_only_while_training():
    x = np.ones((8, 6, 6, 16), "float32")
    drop = layers.SpatialDropout2D(0.5, seed=1)
    np.testing.assert_array_equal(drop(x).numpy(), x)
    y = drop(x, training=True).numpy()
    per_map = y.reshape(8, 36, 16)
    assert np.all(per_map.min(axis=1) == per_map.max(axis=1))  # a whole feature map kept or dropped
    assert set(np.unique(y)) == {0.0, 2.0}
    seq = np.ones((4, 10, 32), "float32")
    y1 = layers.SpatialDropout1D(0.25, seed=2)(seq, training=True).numpy()
    assert np.all(y1.min(axis=1) == y1.max(axis=1)) and set(np.unique(y1)) == {0.0, np.float32(4.0 / 3.0)}
    big = np.zeros((200, 500), "float32")
    noisy = layers.GaussianNoise(0.3, seed=3)(big, training=True).numpy()
    assert abs(noisy.mean()) < 0.01 and abs(noisy.std() - 0.3) < 0.01
    np.testing.assert_array_equal(layers.GaussianNoise(0.3)(big).numpy(), big)
    scaled = layers.GaussianDropout(0.2, seed=4)(big + 1.0, training=True).numpy()
    assert abs(scaled.mean() - 1.0) < 0.01 and abs(scaled.std() - 0.5) < 0.01  # sqrt(0.2 / 0.8)


def test_configs_round_trip():
    for layer in [
        layers.ZeroPadding2D(((1, 2), (3, 4))),
        layers.Cropping2D(((1, 0), (2, 2))),
        layers.UpSampling2D((2, 3), interpolation="bilinear"),
        layers.Permute((2, 1)),
        layers.RepeatVector(5),
        layers.LeakyReLU(0.2),
        layers.PReLU(shared_axes=[1]),
        layers.SpatialDropout2D(0.3),
        layers.GaussianNoise(0.2),
    ]:
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
