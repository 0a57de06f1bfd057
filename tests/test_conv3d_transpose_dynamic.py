"""``tf.nn.conv3d_transpose`` and the transposed convolution layers when sizes are known only when the graph
runs: ``output_shape`` computed from ``tf.shape`` inside ``tf.function`` with unknown batch, depth, height and
width, values against the NumPy definition, gradients against finite differences, TensorFlow's static shapes
and run-time size errors; ``Conv1DTranspose``/``Conv2DTranspose``/``Conv3DTranspose`` in models whose inputs
have unknown spatial sizes, predicting and training on several sizes."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient
from test_conv3d_ops import np_conv3d_transpose

RNG = np.random.default_rng(14)
UNKNOWN = tf.TensorSpec([None, None, None, None, 3], tf.float64)


def doubled(x, channels):
    s = tf.shape(x)
    return tf.stack([s[0], s[1] * 2, s[2] * 2, s[3] * 2, channels])


def test_output_shape_from_tf_shape_matches_the_definition_for_several_sizes():
    f = RNG.standard_normal((3, 2, 3, 4, 3))
    shapes = []

    @tf.function(input_signature=[UNKNOWN])
    def up(x):
        y = tf.nn.conv3d_transpose(x, f, doubled(x, 4), [1, 2, 2, 2, 1], "SAME")
        shapes.append(y.shape.as_list())
        return y

    for size in [(2, 3, 4, 4, 3), (1, 2, 5, 3, 3), (3, 1, 1, 2, 3)]:
        x = RNG.standard_normal(size)
        want = np_conv3d_transpose(x, f, [2 * d for d in size[1:4]], (2, 2, 2))
        np.testing.assert_allclose(up(x).numpy(), want, rtol=1e-10, atol=1e-10)
    assert shapes == [[None, None, None, None, 4]]  # traced once, as TensorFlow: nothing known but channels


def test_realistic_batch_in_float32_valid_padding_and_dilations():
    f = RNG.standard_normal((3, 3, 3, 8, 16)).astype("float32")

    @tf.function(input_signature=[tf.TensorSpec([None, None, None, None, 16], tf.float32)])
    def up(x):
        s = tf.shape(x)
        out = tf.stack([s[0], s[1] * 2 + 1, s[2] + 4, s[3] + 4, 8])  # VALID: (n - 1) * stride + dilated kernel
        return tf.nn.conv3d_transpose(x, f, out, [1, 2, 1, 1, 1], "VALID", dilations=[1, 1, 2, 2, 1])

    x = RNG.standard_normal((32, 6, 6, 6, 16)).astype("float32")
    want = np_conv3d_transpose(x.astype("float64"), f.astype("float64"), (13, 10, 10), (2, 1, 1), (1, 2, 2), "VALID")
    got = up(x)
    assert got.dtype == tf.float32 and got.shape == (32, 13, 10, 10, 8)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)


def test_known_sizes_in_a_list_stay_in_the_static_shape_and_ncdhw():
    f = RNG.standard_normal((2, 3, 3, 4, 3))

    @tf.function(input_signature=[tf.TensorSpec([2, 3, None, None, None], tf.float64)])
    def up(x):  # channels first
        s = tf.shape(x)
        y = tf.nn.conv3d_transpose(x, f, [2, 4, 6, s[3] * 2, s[4] * 2], [1, 1, 2, 2, 2], data_format="NCDHW")
        assert y.shape.as_list() == [2, 4, 6, None, None]
        return y

    x = RNG.standard_normal((2, 3, 3, 4, 5))
    want = np_conv3d_transpose(np.moveaxis(x, 1, -1), f, (6, 8, 10), (2, 2, 2))
    np.testing.assert_allclose(np.moveaxis(up(x).numpy(), 1, -1), want, rtol=1e-10, atol=1e-10)
    by_rank = tf.function(lambda x: tf.nn.conv_transpose(x, f, doubled(x, 4), 2), input_signature=[UNKNOWN])
    y = RNG.standard_normal((1, 2, 3, 2, 3))
    np.testing.assert_allclose(by_rank(y).numpy(), np_conv3d_transpose(y, f, (4, 6, 4), (2, 2, 2)), atol=1e-10)


def test_gradients_inside_tf_function_match_finite_differences():
    y, f = RNG.standard_normal((2, 2, 3, 2, 3)), RNG.standard_normal((3, 2, 2, 2, 3))
    w = RNG.standard_normal((2, 3, 6, 4, 2))  # output depth 3: 2 * 2 - 1, SAME

    @tf.function(input_signature=[UNKNOWN, tf.TensorSpec([3, 2, 2, 2, 3], tf.float64)])
    def grads(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            s = tf.shape(a)
            out = tf.nn.conv3d_transpose(a, b, tf.stack([s[0], s[1] * 2 - 1, s[2] * 2, s[3] * 2, 2]), 2)
            loss = tf.reduce_sum(out * w)
        return tape.gradient(loss, [a, b])

    def weighted(a, b):
        return np.sum(np_conv3d_transpose(a, b, (3, 6, 4), (2, 2, 2)) * w)

    ga, gb = grads(y, f)
    np.testing.assert_allclose(ga.numpy(), numeric_gradient(lambda a: weighted(a, f), y), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(gb.numpy(), numeric_gradient(lambda b: weighted(y, b), f), rtol=1e-6, atol=1e-7)


def test_sizes_that_do_not_fit_fail_when_the_graph_runs():
    f = RNG.standard_normal((2, 2, 2, 4, 3))

    @tf.function(input_signature=[UNKNOWN])
    def up(x):
        s = tf.shape(x)
        return tf.nn.conv3d_transpose(x, f, tf.stack([s[0], 6, s[2] * 2, s[3] * 2, 4]), 2)

    assert up(RNG.standard_normal((1, 3, 2, 2, 3))).shape == (1, 6, 4, 4, 4)
    with pytest.raises(tf.errors.InvalidArgumentError):
        up(RNG.standard_normal((1, 4, 2, 2, 3)))  # a conv3d of depth 6 with stride 2 gives 3, not 4
    with pytest.raises(ValueError, match="5 dimensions"):
        tf.function(lambda x: tf.nn.conv3d_transpose(x, f, tf.shape(x)[:4], 2), input_signature=[UNKNOWN])(
            RNG.standard_normal((1, 3, 2, 2, 3))
        )


LAYERS = [
    (lambda: tf.keras.layers.Conv1DTranspose(4, 3, strides=2, output_padding=1), (None, 3), 1),
    (lambda: tf.keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same"), (None, None, 3), 2),
    (lambda: tf.keras.layers.Conv3DTranspose(4, 3, strides=2, padding="same"), (None, None, None, 3), 3),
    (lambda: tf.keras.layers.Conv3DTranspose(2, 2, strides=(1, 2, 2), output_padding=(0, 1, 1)), (5, None, None, 3), 3),
]


@pytest.mark.parametrize("make, input_shape, rank", LAYERS)
def test_transposed_layers_take_inputs_of_unknown_spatial_size(make, input_shape, rank):
    layer = make()
    inputs = tf.keras.Input(input_shape)
    outputs = layer(inputs)
    assert outputs.shape == layer.compute_output_shape((None, *input_shape))
    model = tf.keras.Model(inputs, outputs)
    for batch, size in [(2, 4), (3, 6)]:
        x = RNG.random((batch, *[d or size for d in input_shape])).astype("float32")
        got = model.predict(x, verbose=0)
        assert got.shape == layer.compute_output_shape(x.shape)
        np.testing.assert_allclose(got, layer(x).numpy(), rtol=1e-5, atol=1e-5)
    if rank == 3:  # the layer's kernel through the NumPy definition (SAME or Keras's output_padding)
        out = layer.compute_output_shape(x.shape)[1:4]
        want = np_conv3d_transpose(x.astype("float64"), layer.kernel.numpy().astype("float64"), out, layer.strides)
        if layer.padding == "valid":  # output_padding: VALID's sizes plus the extra row, filled by a stride
            full = [(d - 1) * s + k for d, s, k in zip(x.shape[1:4], layer.strides, layer.kernel_size)]
            want = np.zeros((x.shape[0], *out, layer.filters))
            tail = np_conv3d_transpose(
                x.astype("float64"), layer.kernel.numpy().astype("float64"), full, layer.strides, padding="VALID"
            )
            want[:, : full[0], : full[1], : full[2]] = tail
        np.testing.assert_allclose(got, want + layer.bias.numpy(), rtol=1e-4, atol=1e-4)
    model.compile("adam", "mse")
    target = model.predict(x, verbose=0) * 0.5
    losses = model.fit(x, target, epochs=3, batch_size=2, verbose=0).history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
