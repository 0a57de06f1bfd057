"""Keras 3's 3-D layers and ``Conv1DTranspose``: output shapes, values, ``get_config`` round trips, training."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(11)


@pytest.mark.parametrize(
    "layer, shape, want",
    [
        (lambda: L.Conv3D(4, 3), (2, 5, 6, 7, 3), (2, 3, 4, 5, 4)),
        (lambda: L.Conv3D(4, (3, 2, 3), strides=2, padding="same"), (2, 5, 6, 7, 3), (2, 3, 3, 4, 4)),
        (lambda: L.Conv3D(6, 2, groups=3, dilation_rate=2), (1, 5, 5, 5, 3), (1, 3, 3, 3, 6)),
        (lambda: L.Conv3D(4, 2, data_format="channels_first"), (2, 3, 5, 6, 7), (2, 4, 4, 5, 6)),
        (lambda: L.Conv3DTranspose(4, 3, strides=2, padding="same"), (2, 5, 6, 7, 3), (2, 10, 12, 14, 4)),
        (lambda: L.Conv3DTranspose(2, 3, strides=(2, 1, 2)), (1, 3, 4, 2, 3), (1, 7, 6, 5, 2)),
        (lambda: L.Conv3DTranspose(2, 3, strides=2, output_padding=1), (1, 3, 4, 2, 3), (1, 8, 10, 6, 2)),
        (lambda: L.Conv1DTranspose(4, 3, strides=2, output_padding=1), (2, 5, 3), (2, 12, 4)),
        (lambda: L.Conv1DTranspose(4, 3, strides=2, padding="same"), (2, 5, 3), (2, 10, 4)),
        (lambda: L.Conv1DTranspose(4, 2, data_format="channels_first"), (2, 3, 5), (2, 4, 6)),
        (lambda: L.MaxPooling3D(), (2, 5, 6, 7, 3), (2, 2, 3, 3, 3)),
        (lambda: L.AveragePooling3D(3, strides=2, padding="same"), (2, 5, 6, 7, 3), (2, 3, 3, 4, 3)),
        (lambda: L.MaxPool3D((1, 2, 2), data_format="channels_first"), (2, 3, 5, 6, 7), (2, 3, 5, 3, 3)),
        (lambda: L.GlobalMaxPooling3D(), (2, 5, 6, 7, 3), (2, 3)),
        (lambda: L.GlobalAveragePooling3D(keepdims=True), (2, 5, 6, 7, 3), (2, 1, 1, 1, 3)),
        (lambda: L.GlobalAvgPool3D(data_format="channels_first"), (2, 3, 5, 6, 7), (2, 3)),
        (lambda: L.ZeroPadding3D(), (2, 5, 6, 7, 3), (2, 7, 8, 9, 3)),
        (lambda: L.ZeroPadding3D(((1, 0), (0, 2), (3, 1))), (2, 5, 6, 7, 3), (2, 6, 8, 11, 3)),
        (lambda: L.Cropping3D(), (2, 5, 6, 7, 3), (2, 3, 4, 5, 3)),
        (
            lambda: L.Cropping3D(((1, 1), (2, 2), (0, 3)), data_format="channels_first"),
            (2, 3, 5, 6, 7),
            (2, 3, 3, 2, 4),
        ),
        (lambda: L.UpSampling3D(), (2, 2, 3, 1, 3), (2, 4, 6, 2, 3)),
        (lambda: L.UpSampling3D((1, 2, 3), data_format="channels_first"), (2, 3, 2, 3, 1), (2, 3, 2, 6, 3)),
    ],
)
def test_output_shapes_and_config_round_trip(layer, shape, want):
    built = layer()
    y = built(RNG.standard_normal(shape).astype(np.float32))
    assert y.shape == want
    assert built.compute_output_shape(shape) == want
    assert built.compute_output_shape((None,) + shape[1:]) == (None,) + want[1:]
    config = built.get_config()
    again = type(built).from_config(config)
    assert again.get_config() == config
    rebuilt = L.deserialize(L.serialize(built))
    assert type(rebuilt) is type(built) and rebuilt.get_config() == config


def test_configs_follow_keras():
    conv = L.Conv3D(4, 3).get_config()
    assert conv["kernel_size"] == (3, 3, 3) and conv["strides"] == (1, 1, 1) and conv["groups"] == 1
    assert conv["dilation_rate"] == (1, 1, 1) and conv["padding"] == "valid"
    up = L.Conv3DTranspose(4, 3).get_config()
    assert "groups" not in up and up["output_padding"] is None and up["dilation_rate"] == (1, 1, 1)
    one = L.Conv1DTranspose(4, 3, output_padding=0).get_config()
    assert one["kernel_size"] == (3,) and one["output_padding"] == (0,) and "groups" not in one
    assert L.MaxPooling3D().get_config()["pool_size"] == (2, 2, 2)
    assert L.AveragePooling3D(2).get_config()["strides"] == (2, 2, 2)
    assert L.ZeroPadding3D().get_config()["padding"] == ((1, 1), (1, 1), (1, 1))
    assert L.ZeroPadding3D(2).get_config()["padding"] == ((2, 2), (2, 2), (2, 2))
    assert L.Cropping3D().get_config()["cropping"] == ((1, 1), (1, 1), (1, 1))
    assert L.UpSampling3D().get_config()["size"] == (2, 2, 2)
    assert L.GlobalMaxPooling3D().get_config()["keepdims"] is False
    aliases = {
        "Convolution3D": "Conv3D",
        "Convolution3DTranspose": "Conv3DTranspose",
        "Convolution1DTranspose": "Conv1DTranspose",
        "MaxPool3D": "MaxPooling3D",
        "AvgPool3D": "AveragePooling3D",
        "GlobalMaxPool3D": "GlobalMaxPooling3D",
        "GlobalAvgPool3D": "GlobalAveragePooling3D",
    }
    for alias, name in aliases.items():
        assert getattr(L, alias) is getattr(L, name) and alias in dir(L)


def test_layer_values():
    x = RNG.standard_normal((2, 4, 5, 6, 3))
    conv = L.Conv3D(4, 3, padding="same", bias_initializer="ones", dtype="float64")
    y = conv(x)
    want = tf.nn.conv3d(x, conv.kernel, 1, "SAME").numpy() + 1
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12)
    first = L.Conv3D(4, 3, padding="same", data_format="channels_first", dtype="float64")
    first(np.moveaxis(x, -1, 1))
    first.kernel.assign(conv.kernel)
    np.testing.assert_allclose(np.moveaxis(first(np.moveaxis(x, -1, 1)).numpy(), 1, -1), want - 1, rtol=1e-12)

    up = L.Conv3DTranspose(2, 2, strides=2, use_bias=False, dtype="float64")
    z = up(x)
    np.testing.assert_allclose(
        z.numpy(), tf.nn.conv3d_transpose(x, up.kernel, [2, 8, 10, 12, 2], 2, "VALID").numpy(), rtol=1e-12
    )
    seq = RNG.standard_normal((2, 5, 3))
    up1 = L.Conv1DTranspose(2, 3, strides=2, use_bias=False, dtype="float64")
    got = up1(seq).numpy()
    k = up1.kernel.numpy()  # (3, filters, in): each step spreads seq[t] @ k[j].T onto output 2t + j
    want1 = np.zeros((2, 11, 2))
    for t in range(5):
        for j in range(3):
            want1[:, 2 * t + j] += seq[:, t] @ k[j].T
    np.testing.assert_allclose(got, want1, rtol=1e-12)

    np.testing.assert_array_equal(L.UpSampling3D((2, 1, 3), dtype="float64")(x).numpy(), x.repeat(2, 1).repeat(3, 3))
    np.testing.assert_array_equal(
        L.ZeroPadding3D((1, 2, 0), dtype="float64")(x).numpy(), np.pad(x, [(0, 0), (1, 1), (2, 2), (0, 0), (0, 0)])
    )
    np.testing.assert_array_equal(L.Cropping3D(((1, 0), (0, 2), (1, 1)), dtype="float64")(x).numpy(), x[:, 1:, :3, 1:5])
    np.testing.assert_allclose(
        L.AveragePooling3D(2, padding="same", dtype="float64")(x).numpy(), tf.nn.avg_pool3d(x, 2, 2, "SAME").numpy()
    )
    np.testing.assert_allclose(L.GlobalMaxPooling3D(dtype="float64")(x).numpy(), x.max(axis=(1, 2, 3)))


def test_a_small_3d_convnet_learns():
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 4, 8, 8, 1)).astype(np.float32)
    y = x[:, :2].mean(axis=(1, 2, 3, 4))[:, None] * 4  # the mean of the first two slices, learnable by every path
    model = tf.keras.Sequential(
        [
            L.Input((4, 8, 8, 1)),
            L.Conv3D(4, 3, padding="same"),
            L.MaxPooling3D((1, 2, 2)),
            L.Conv3DTranspose(4, 2, strides=(1, 2, 2)),
            L.ZeroPadding3D(1),
            L.Cropping3D(1),
            L.AveragePooling3D(2),
            L.UpSampling3D((1, 1, 1)),
            L.GlobalAveragePooling3D(),
            L.Dense(1),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=30, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 0.5 * before


def test_conv1d_transpose_in_a_model_with_an_unknown_batch():
    tf.keras.utils.set_random_seed(1)
    inputs = L.Input((6, 2))
    outputs = L.Conv1DTranspose(1, 3, strides=2, padding="same")(L.Conv1D(4, 3, strides=2, padding="same")(inputs))
    model = tf.keras.Model(inputs, outputs)
    assert model.output_shape == (None, 6, 1)
    x = np.random.default_rng(1).standard_normal((16, 6, 2)).astype(np.float32)
    target = x[..., :1] - x[..., 1:]
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, target, epochs=20, batch_size=8, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match="ndim=5, found ndim=4"):
        L.Conv3D(2, 2)(np.zeros((1, 4, 4, 3), np.float32))
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        L.MaxPooling3D()(np.zeros((1, 4, 4, 3), np.float32))
    with pytest.raises(TypeError):
        L.AveragePooling3D()  # Keras 3 has no default pool_size here
    with pytest.raises(ValueError, match="must be one of \\('valid', 'same'\\)"):
        L.Conv1DTranspose(2, 2, padding="causal")
    with pytest.raises(ValueError, match="must be greater than output padding"):
        L.Conv3DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="`kernel_size` argument must be a tuple of 3 integers"):
        L.Conv3D(2, (3, 3))
    with pytest.raises(ValueError, match="`size` argument must be a tuple of 3 integers"):
        L.UpSampling3D((2, 2))
    with pytest.raises(ValueError, match="removes all of axis 1"):
        L.Cropping3D(((2, 2), (0, 0), (0, 0)))(np.zeros((1, 4, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match="divisible by the number of groups"):
        L.Conv3D(4, 2, groups=2)(np.zeros((1, 3, 3, 3, 3), np.float32))
