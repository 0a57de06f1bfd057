"""Conv2DTranspose, DepthwiseConv2D and SeparableConv2D against NumPy's convolution by definition."""

import numpy as np
import pytest

import ferroflow as tf
from test_conv_ops import np_conv2d

layers = tf.keras.layers
RNG = np.random.default_rng(6)


@pytest.mark.parametrize(
    "size, kernel, strides, padding, output_padding, want",
    [
        (5, 3, 2, "same", None, 10),
        (5, 3, 2, "valid", None, 11),
        (5, 3, 1, "valid", None, 7),
        (5, 3, 2, "same", 1, 10),
        (5, 4, 2, "valid", 1, 13),
    ],
)
def test_conv2d_transpose_shapes_follow_keras(size, kernel, strides, padding, output_padding, want):
    layer = layers.Conv2DTranspose(3, kernel, strides=strides, padding=padding, output_padding=output_padding)
    y = layer(RNG.standard_normal((2, size, size, 4)).astype("float32"))
    assert y.shape == (2, want, want, 3) == layer.compute_output_shape((2, size, size, 4))
    assert layer.kernel.shape == (kernel, kernel, 3, 4)


def test_conv2d_transpose_is_the_adjoint_of_conv2d_and_trains_in_a_model():
    layer = layers.Conv2DTranspose(3, 3, strides=2, padding="same", use_bias=False)
    y = RNG.standard_normal((2, 4, 5, 4)).astype("float32")
    up = layer(y).numpy()
    x = RNG.standard_normal(up.shape)
    f = layer.kernel.numpy().astype("float64")
    lhs = np.sum(up * x)
    rhs = np.sum(y * np_conv2d(x, f, (2, 2), padding="SAME"))
    assert np.isclose(lhs, rhs, rtol=1e-4)
    # an autoencoder whose batch is unknown when it is built: the output size is computed when it runs
    tf.keras.utils.set_random_seed(0)
    inputs = tf.keras.Input((8, 8, 1))
    code = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(inputs)
    out = layers.Conv2DTranspose(1, 3, strides=2, padding="same")(code)
    model = tf.keras.Model(inputs, out)
    assert model.output_shape == (None, 8, 8, 1)
    model.compile("adam", "mse")
    images = np.random.default_rng(0).random((64, 8, 8, 1)).astype("float32")
    before = model.evaluate(images, images, verbose=0)
    model.fit(images, images, epochs=30, batch_size=16, verbose=0)
    assert model.evaluate(images, images, verbose=0) < 0.5 * before


def test_conv2d_transpose_with_a_tensor_output_shape_in_a_function():
    f = RNG.standard_normal((3, 3, 2, 5)).astype("float32")

    @tf.function
    def up(x):
        shape = tf.stack([tf.shape(x)[0], 8, 8, 2])
        return tf.nn.conv2d_transpose(x, f, shape, strides=2, padding="SAME")

    x = RNG.standard_normal((3, 4, 4, 5)).astype("float32")
    got = up(x)
    assert got.shape == (3, 8, 8, 2)
    want = tf.nn.conv2d_transpose(x, f, [3, 8, 8, 2], strides=2, padding="SAME")
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="4 dimensions"):
        tf.nn.conv2d_transpose(x, f, tf.constant([3, 8, 8]), strides=2, padding="SAME")


def test_depthwise_and_separable_layers():
    x = RNG.standard_normal((2, 7, 7, 3)).astype("float32")
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False)
    y = depthwise(x)
    assert depthwise.kernel.shape == (3, 3, 3, 2) and y.shape == (2, 7, 7, 6)
    k = depthwise.kernel.numpy().astype("float64")
    want = np.concatenate(
        [np_conv2d(x[..., c : c + 1].astype("float64"), k[:, :, c : c + 1, :], padding="SAME") for c in range(3)], -1
    )
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-4, atol=1e-4)
    assert depthwise.compute_output_shape((None, 7, 7, 3)) == (None, 7, 7, 6)
    separable = layers.SeparableConv2D(5, 3, depth_multiplier=2, use_bias=False)
    z = separable(x)
    assert z.shape == (2, 5, 5, 5)
    assert separable.depthwise_kernel.shape == (3, 3, 3, 2) and separable.pointwise_kernel.shape == (1, 1, 6, 5)
    dw = separable.depthwise_kernel.numpy().astype("float64")
    mid = np.concatenate([np_conv2d(x[..., c : c + 1].astype("float64"), dw[:, :, c : c + 1, :]) for c in range(3)], -1)
    np.testing.assert_allclose(z.numpy(), mid @ separable.pointwise_kernel.numpy()[0, 0], rtol=1e-4, atol=1e-4)
    for layer in (depthwise, separable, layers.Conv2DTranspose(2, 3, strides=2, output_padding=1)):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
