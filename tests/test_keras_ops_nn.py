"""``keras.ops.nn`` (keras.io examples call ``ops.nn.sigmoid``): activations, ``moments``, ``normalize`` and
``one_hot``. Expected values recorded with Keras 3.15 on TensorFlow 2.21."""

import numpy as np
import pytest

from ferroflow.keras import ops

X = np.array([[-3.0, -1.0, -0.25, 0.0, 0.5, 2.0, 7.0]], "float32")
KERAS = {
    "relu": [[0.0, 0.0, 0.0, 0.0, 0.5, 2.0, 7.0]],
    "relu6": [[0.0, 0.0, 0.0, 0.0, 0.5, 2.0, 6.0]],
    "sigmoid": [
        [
            0.047425899654626846,
            0.26894140243530273,
            0.43782350420951843,
            0.5,
            0.6224594116210938,
            0.8807970881462097,
            0.9990888833999634,
        ]
    ],
    "softplus": [
        [
            0.04858740046620369,
            0.3132616877555847,
            0.575939416885376,
            0.6931471824645996,
            0.9740769863128662,
            2.1269280910491943,
            7.000912189483643,
        ]
    ],
    "softsign": [[-0.75, -0.5, -0.20000000298023224, 0.0, 0.33333340287208557, 0.6666666865348816, 0.875]],
    "silu": [
        [
            -0.14227759838104248,
            -0.26894140243530273,
            -0.1094558984041214,
            0.0,
            0.3112297058105469,
            1.7615941762924194,
            6.993622303009033,
        ]
    ],
    "log_sigmoid": [
        [
            -3.0485873222351074,
            -1.31326162815094,
            -0.825939416885376,
            -0.6931471824645996,
            -0.4740769863128662,
            -0.12692800164222717,
            -0.0009115000138990581,
        ]
    ],
    "leaky_relu": [[-0.6000000238418579, -0.20000000298023224, -0.05000000074505806, 0.0, 0.5, 2.0, 7.0]],
    "hard_sigmoid": [[0.0, 0.33333340287208557, 0.45833340287208557, 0.5, 0.5833333134651184, 0.8333333134651184, 1.0]],
    "elu": [[-0.9502130150794983, -0.6321206092834473, -0.22119919955730438, 0.0, 0.5, 2.0, 7.0]],
    "selu": [
        [
            -1.6705687046051025,
            -1.1113307476043701,
            -0.38889020681381226,
            0.0,
            0.5253505110740662,
            2.1014020442962646,
            7.354907035827637,
        ]
    ],
    "gelu": [
        [
            -0.0036373999901115894,
            -0.15880799293518066,
            -0.1003246009349823,
            0.0,
            0.3457140028476715,
            1.9545978307724,
            7.0,
        ]
    ],
    "softmax": [
        [
            4.489999992074445e-05,
            0.00033209999673999846,
            0.0007029999978840351,
            0.000902600004337728,
            0.001488200039602816,
            0.006669600028544664,
            0.9898595809936523,
        ]
    ],
    "log_softmax": [
        [
            -10.010191917419434,
            -8.010191917419434,
            -7.260191917419434,
            -7.010191917419434,
            -6.510191917419434,
            -5.010191917419434,
            -0.010192099958658218,
        ]
    ],
}

KERAS["swish"] = KERAS["silu"]  # Keras records the same values: swish is silu under another name


@pytest.mark.parametrize("name", sorted(KERAS))
def test_activation_matches_keras(name):
    np.testing.assert_allclose(getattr(ops.nn, name)(X).numpy(), KERAS[name], rtol=2e-6, atol=1e-7)


def test_arguments_and_defaults_are_keras_ops_ones():
    # keras.ops.nn.gelu approximates by default; approximate=False is the exact one.
    np.testing.assert_allclose(
        ops.nn.gelu(X, approximate=False).numpy(),
        [
            [
                -0.00404970021918416,
                -0.15865519642829895,
                -0.1003234013915062,
                0.0,
                0.3457311987876892,
                1.9544998407363892,
                7.0,
            ]
        ],
        rtol=2e-6,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        ops.nn.leaky_relu(X, negative_slope=0.1).numpy(),
        [[-0.30000001192092896, -0.10000000149011612, -0.02500000037252903, 0.0, 0.5, 2.0, 7.0]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        ops.nn.elu(X, alpha=2.0).numpy(),
        [[-1.9004260301589966, -1.264241099357605, -0.44239839911460876, 0.0, 0.5, 2.0, 7.0]],
        rtol=1e-6,
    )
    assert ops.nn.sigmoid is ops.sigmoid and ops.nn.softmax is ops.softmax


def test_moments_normalize_one_hot():
    m, v = ops.nn.moments(np.arange(12, dtype="float32").reshape(3, 4), axes=[0])
    np.testing.assert_allclose(m.numpy(), [4.0, 5.0, 6.0, 7.0])
    np.testing.assert_allclose(v.numpy(), [10.666666984558105] * 4, rtol=1e-6)
    m, v = ops.nn.moments(np.arange(12, dtype="float32").reshape(3, 4), axes=[1], keepdims=True)
    assert tuple(m.shape) == (3, 1)
    np.testing.assert_allclose(v.numpy(), [[1.25], [1.25], [1.25]])
    np.testing.assert_array_equal(ops.nn.one_hot(np.array([0, 2]), 3).numpy(), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    a = np.array([[3.0, 4.0], [1.0, 0.0]], "float32")
    np.testing.assert_allclose(ops.nn.normalize(a).numpy(), [[0.6, 0.8], [1.0, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(ops.nn.normalize(a, axis=0, order=1).numpy(), [[0.75, 1.0], [0.25, 0.0]], rtol=1e-6)
    with pytest.raises(AttributeError):
        ops.nn.not_an_op  # noqa: B018
    assert "sigmoid" in dir(ops.nn) and "nn" in dir(ops)


def test_conv_matches_keras():
    k = np.random.default_rng(1).normal(size=(3, 3, 1, 2)).astype("float32")
    xin = np.random.default_rng(2).normal(size=(1, 5, 5, 1)).astype("float32")
    out = ops.conv(xin, k, strides=1, padding="valid")
    keras_out = [
        [-1.775650978088379, -1.706926941871643, 0.9933040142059326],
        [0.1270119994878769, 0.31838199496269226, 0.11020500212907791],
        [-0.5249099731445312, -1.7252540588378906, -0.09809599816799164],
    ]
    np.testing.assert_allclose(out.numpy()[0, :, :, 0], keras_out, rtol=1e-5, atol=1e-6)
    assert tuple(ops.conv(xin, k, strides=2, padding="same").shape) == (1, 3, 3, 2)
    # 1-D with a dilation: y[i] = x[i] + x[i + 2] + x[i + 4]
    x = np.arange(10, dtype="float32")
    y = ops.conv(x.reshape(1, 10, 1), np.ones((3, 1, 1), "float32"), dilation_rate=2)
    np.testing.assert_array_equal(y.numpy().ravel(), x[:6] + x[2:8] + x[4:10])
    with pytest.raises(ValueError, match="`padding` must be 'valid' or 'same'"):
        ops.conv(xin, k, padding="full")


def test_nn_ops_are_keras_ops_top_level_names():
    for name in ("conv", "moments", "normalize", "gelu", "leaky_relu", "elu", "relu6", "silu", "swish"):
        assert getattr(ops.nn, name) is getattr(ops, name), name
        assert name in dir(ops)


def test_one_hot_takes_uint8_and_int8_indices_as_tensorflow():
    # keras.io's MixUp example one-hot encodes MNIST's uint8 labels. TensorFlow: the same values.
    import ferroflow as tf

    np.testing.assert_array_equal(ops.one_hot(np.array([0, 2], "uint8"), 3).numpy(), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(tf.one_hot(np.array([1, -1], "int8"), 2).numpy(), [[0.0, 1.0], [0.0, 0.0]])
