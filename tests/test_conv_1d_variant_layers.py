"""``SeparableConv1D`` and ``DepthwiseConv1D`` against NumPy's convolution by definition: strides, dilation
(together too), valid/same padding, depth multipliers, channels_first, float64 gradients of the input and
the kernels against finite differences, a compiled ``fit``, Keras 3's config keys and argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient, numeric_gradient

layers = tf.keras.layers
RNG = np.random.default_rng(31)

SEPARABLE_KEYS = {
    "name", "trainable", "dtype", "depth_multiplier", "filters", "kernel_size", "strides", "padding",
    "data_format", "dilation_rate", "activation", "use_bias", "depthwise_initializer", "pointwise_initializer",
    "bias_initializer", "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
    "activity_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint",
}  # fmt: skip
DEPTHWISE_KEYS = SEPARABLE_KEYS - {"filters", "pointwise_initializer", "pointwise_regularizer"}
DEPTHWISE_KEYS -= {"pointwise_constraint"}


def np_depthwise1d(x, k, stride=1, dilation=1, padding="valid"):
    """(n, length, c) with k (width, c, m): channel c * m + j is channel c convolved with k[:, c, j]."""
    n, length, c = x.shape
    width, _, m = k.shape
    before = after = 0
    if padding == "same":
        span = (width - 1) * dilation + 1
        total = max((-(-length // stride) - 1) * stride + span - length, 0)
        before, after = total // 2, total - total // 2
    xp = np.pad(x.astype("float64"), [(0, 0), (before, after), (0, 0)])
    out_len = (xp.shape[1] - (width - 1) * dilation - 1) // stride + 1
    out = np.zeros((n, out_len, c, m))
    for t in range(width):
        out += xp[:, t * dilation : t * dilation + (out_len - 1) * stride + 1 : stride, :, None] * k[t]
    return out.reshape(n, out_len, c * m)


CASES = [  # stride, dilation, padding, depth_multiplier
    (1, 1, "valid", 1),
    (1, 1, "same", 2),
    (2, 1, "same", 1),
    (3, 1, "valid", 2),
    (1, 3, "same", 1),
    (2, 2, "same", 2),  # Keras allows strides and dilation together here
    (3, 2, "valid", 1),
]


@pytest.mark.parametrize("stride, dilation, padding, multiplier", CASES)
def test_depthwise_conv1d_matches_the_definition(stride, dilation, padding, multiplier):
    x = RNG.standard_normal((8, 28, 16)).astype("float32")
    layer = layers.DepthwiseConv1D(
        3, strides=stride, dilation_rate=dilation, padding=padding, depth_multiplier=multiplier,
        bias_initializer="random_normal",
    )  # fmt: skip
    y = layer(x)
    assert layer.kernel.shape == (3, 16, multiplier) and layer.bias.shape == (16 * multiplier,)
    assert [w.name.split("/")[-1] for w in layer.weights] == ["kernel", "bias"]
    want = np_depthwise1d(x, layer.kernel.numpy(), stride, dilation, padding) + layer.bias.numpy()
    assert y.shape == want.shape == layer.compute_output_shape((8, 28, 16))
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("stride, dilation, padding, multiplier", CASES)
def test_separable_conv1d_matches_the_definition(stride, dilation, padding, multiplier):
    x = RNG.standard_normal((8, 28, 16)).astype("float32")
    layer = layers.SeparableConv1D(
        24, 3, strides=stride, dilation_rate=dilation, padding=padding, depth_multiplier=multiplier,
        activation="relu", bias_initializer="random_normal",
    )  # fmt: skip
    y = layer(x)
    assert layer.depthwise_kernel.shape == (3, 16, multiplier)
    assert layer.pointwise_kernel.shape == (1, 16 * multiplier, 24) and layer.bias.shape == (24,)
    names = [w.name.split("/")[-1] for w in layer.weights]
    assert names == ["depthwise_kernel", "pointwise_kernel", "bias"]
    mid = np_depthwise1d(x, layer.depthwise_kernel.numpy(), stride, dilation, padding)
    want = np.maximum(mid @ layer.pointwise_kernel.numpy()[0] + layer.bias.numpy(), 0)
    assert y.shape == want.shape == layer.compute_output_shape((8, 28, 16))
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", ["depthwise", "separable"])
def test_channels_first_is_channels_last_transposed(kind):
    x = RNG.standard_normal((4, 15, 6)).astype("float32")

    def make(fmt):
        args = dict(strides=2, padding="same", depth_multiplier=2, data_format=fmt, bias_initializer="ones")
        return layers.DepthwiseConv1D(3, **args) if kind == "depthwise" else layers.SeparableConv1D(5, 3, **args)

    last, first = make("channels_last"), make("channels_first")
    want = last(x).numpy()
    first.build((None, 6, 15))
    first.set_weights(last.get_weights())
    got = first(x.transpose(0, 2, 1))
    assert got.shape == first.compute_output_shape((4, 6, 15)) == (4, want.shape[2], 8)
    np.testing.assert_allclose(got.numpy().transpose(0, 2, 1), want, rtol=1e-5, atol=1e-6)


def kernel_gradients(layer, x):
    """The tape's and finite differences' gradients of sum(layer(x) * w) for each trainable weight."""
    out = layer(x).numpy()
    w = np.random.default_rng(0).standard_normal(out.shape)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(layer(x) * w)
    got = tape.gradient(total, layer.trainable_weights)
    pairs = []
    for var, g in zip(layer.trainable_weights, got):
        start = var.numpy()

        def f(value, var=var):
            var.assign(value)
            return np.sum(layer(x).numpy() * w)

        want = numeric_gradient(f, start)
        var.assign(start)
        pairs.append((g.numpy(), want))
    return pairs


@pytest.mark.parametrize("stride, dilation, padding", [(1, 2, "same"), (2, 2, "same"), (2, 1, "valid")])
def test_gradients_of_input_and_kernels_match_finite_differences(stride, dilation, padding):
    x = RNG.standard_normal((2, 9, 3))
    args = dict(strides=stride, dilation_rate=dilation, padding=padding, depth_multiplier=2, dtype="float64")
    for layer in (layers.DepthwiseConv1D(3, **args), layers.SeparableConv1D(4, 3, activation="tanh", **args)):
        layer(x)  # built: the finite differences move its weights
        check_gradient(layer, x, rtol=1e-5, atol=1e-7)
        for got, want in kernel_gradients(layer, x):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_they_train_in_a_compiled_fit():
    tf.keras.utils.set_random_seed(3)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((28, 16)),
            layers.SeparableConv1D(8, 3, padding="same", depth_multiplier=2, activation="relu"),
            layers.DepthwiseConv1D(3, strides=2, dilation_rate=2, padding="same"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1),
        ]
    )
    model.compile(tf.keras.optimizers.Adam(0.01), "mse")
    x = RNG.standard_normal((64, 28, 16)).astype("float32")
    y = x[:, :, :4].mean(axis=(1, 2))[:, None] * 5
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.evaluate(x, y, verbose=0) < 0.5 * before
    assert model.predict(x[:3], verbose=0).shape == (3, 1)


def test_configs_have_keras_keys_and_round_trip():
    separable = layers.SeparableConv1D(
        6, 5, strides=2, padding="same", depth_multiplier=3, activation="relu",
        depthwise_regularizer="l2", pointwise_constraint="non_neg", data_format="channels_first",
    )  # fmt: skip
    config = separable.get_config()
    assert set(config) == SEPARABLE_KEYS
    assert (config["kernel_size"], config["strides"], config["dilation_rate"]) == ((5,), (2,), (1,))
    assert (config["depth_multiplier"], config["data_format"], config["padding"]) == (3, "channels_first", "same")
    assert config["depthwise_initializer"]["class_name"] == "GlorotUniform"
    again = layers.SeparableConv1D.from_config(config)
    assert again.get_config() == config
    restored = layers.deserialize(layers.serialize(separable))
    assert type(restored) is layers.SeparableConv1D and restored.get_config()["name"] == config["name"]
    assert layers.SeparableConvolution1D is layers.SeparableConv1D

    depthwise = layers.DepthwiseConv1D(4, dilation_rate=2, depth_multiplier=2, use_bias=False)
    config = depthwise.get_config()
    assert set(config) == DEPTHWISE_KEYS
    assert (config["use_bias"], config["dilation_rate"], config["activation"]) == (False, (2,), "linear")
    assert layers.DepthwiseConv1D.from_config(config).get_config() == config
    depthwise(np.zeros((1, 10, 3), "float32"))
    assert [w.shape for w in depthwise.weights] == [(4, 3, 2)]


def test_argument_and_input_errors():
    with pytest.raises(ValueError, match="one of {'valid', 'same'}. Received: causal"):
        layers.SeparableConv1D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="one of {'valid', 'same'}. Received: causal"):
        layers.DepthwiseConv1D(3, padding="causal")
    with pytest.raises(ValueError, match="depth_multiplier.*Received depth_multiplier=0"):
        layers.DepthwiseConv1D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="filters.*Received filters=0"):
        layers.SeparableConv1D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        layers.SeparableConv1D(4, 0)
    with pytest.raises(ValueError, match="strides"):
        layers.DepthwiseConv1D(3, strides=0)
    with pytest.raises(ValueError, match="data_format.*Received: data_format=nwc"):
        layers.DepthwiseConv1D(3, data_format="nwc")
    with pytest.raises(ValueError, match="Computed output size would be zero or negative"):
        layers.SeparableConv1D(4, 12)(np.zeros((2, 10, 5), "float32"))
    with pytest.raises(ValueError, match="expected min_ndim=3, found ndim=2"):
        layers.DepthwiseConv1D(3)(np.zeros((2, 10), "float32"))
    built = layers.DepthwiseConv1D(3)
    built(np.zeros((2, 10, 5), "float32"))
    with pytest.raises(ValueError, match="axis -1"):
        built(np.zeros((2, 10, 4), "float32"))
