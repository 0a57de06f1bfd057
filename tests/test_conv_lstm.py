"""ConvLSTM1D/2D/3D forward values against a NumPy reference of Keras's equations (tests/conv_lstm_ref.py):
padding, strides, dilation, channels_first, go_backwards, return_state, masks, initial and stateful states,
sequences of unknown length (the while loop) and inside tf.function; shapes and per-gate dropout masks."""

import numpy as np
import pytest

import ferroflow as tf
from conv_lstm_ref import conv, conv_lstm, sigmoid

L = tf.keras.layers
RNG = np.random.default_rng(5)


def _randomize(layer, scale=0.5):
    layer.set_weights([RNG.uniform(-scale, scale, w.shape).astype(w.dtype.name) for w in layer.weights])
    return [w.numpy().astype(np.float64) for w in layer.weights]


CASES = {
    "2d_valid": (L.ConvLSTM2D, dict(filters=3, kernel_size=3), (2, 4, 7, 6, 2), {}),
    "2d_same_strides": (
        L.ConvLSTM2D,
        dict(filters=2, kernel_size=(3, 2), strides=(2, 1), padding="same"),
        (2, 3, 7, 6, 2),
        dict(strides=(2, 1), padding="same"),
    ),
    "2d_dilated": (
        L.ConvLSTM2D,
        dict(filters=2, kernel_size=2, dilation_rate=2),
        (2, 3, 6, 6, 1),
        dict(dilation=(2, 2)),
    ),
    "1d_same": (L.ConvLSTM1D, dict(filters=3, kernel_size=3, padding="same"), (2, 5, 8, 2), dict(padding="same")),
    "3d_valid": (L.ConvLSTM3D, dict(filters=2, kernel_size=2), (2, 3, 4, 3, 4, 2), {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_numpy_reference(name):
    cls, kwargs, shape, ref_kwargs = CASES[name]
    layer = cls(return_sequences=True, return_state=True, **kwargs)
    x = RNG.standard_normal(shape).astype("float32")
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    seq, h, c = (t.numpy() for t in layer(x))
    want_seq, want_h, want_c = conv_lstm(x, kernel, recurrent, bias, **ref_kwargs)
    np.testing.assert_allclose(seq, want_seq, atol=2e-5)
    np.testing.assert_allclose(h, want_h, atol=2e-5)
    np.testing.assert_allclose(c, want_c, atol=2e-5)
    assert layer.compute_output_shape(shape) == (seq.shape, h.shape, c.shape)


def test_channels_first_go_backwards_no_bias_and_activations():
    layer = L.ConvLSTM2D(
        3,
        3,
        padding="same",
        data_format="channels_first",
        use_bias=False,
        go_backwards=True,
        activation="relu",
        recurrent_activation="hard_sigmoid",
        return_sequences=True,
    )
    x = RNG.standard_normal((2, 4, 2, 5, 6)).astype("float32")
    layer(x)
    kernel, recurrent = _randomize(layer)
    hard_sigmoid = lambda v: np.clip(v / 6.0 + 0.5, 0.0, 1.0)  # noqa: E731 - Keras 3's hard_sigmoid
    relu = lambda v: np.maximum(v, 0.0)  # noqa: E731
    want, _, _ = conv_lstm(
        x, kernel, recurrent, None, padding="same", go_backwards=True, activation=relu,
        recurrent_activation=hard_sigmoid, channels_first=True,
    )  # fmt: skip
    got = layer(x).numpy()
    assert got.shape == (2, 4, 3, 5, 6)
    np.testing.assert_allclose(got, want, atol=2e-5)


def test_weights_layout_and_unit_forget_bias():
    layer = L.ConvLSTM2D(4, (3, 2))
    layer.build((None, 5, 8, 8, 3))
    assert [w.name.split("/")[-1] for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2, 3, 16), (3, 2, 4, 16), (16,)]
    np.testing.assert_array_equal(layer.cell.bias.numpy(), np.repeat([0.0, 1.0, 0.0, 0.0], 4))
    plain = L.ConvLSTM1D(2, 3, unit_forget_bias=False, bias_initializer="ones")
    plain.build((None, 5, 8, 3))
    np.testing.assert_array_equal(plain.cell.bias.numpy(), np.ones(8))
    assert layer.name.startswith("conv_lstm2d") and layer.cell.name == "conv_lstm_cell"


def test_mask_keeps_states_and_padded_equals_unpadded():
    layer = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True, return_state=True)
    x = RNG.standard_normal((3, 5, 4, 4, 2)).astype("float32")
    layer(x)
    weights = _randomize(layer)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 1, 1, 0]], dtype=bool)
    seq, h, c = (t.numpy() for t in layer(x, mask=tf.constant(mask)))
    want_seq, want_h, want_c = conv_lstm(x, *weights, padding="same", mask=mask)
    np.testing.assert_allclose(seq, want_seq, atol=2e-5)
    np.testing.assert_allclose(h, want_h, atol=2e-5)
    # sample 1 padded after 3 steps gives the final state of its first 3 steps alone
    _, h3, c3 = (t.numpy() for t in layer(x[1:2, :3]))
    np.testing.assert_allclose(h[1:2], h3, atol=1e-6)
    np.testing.assert_allclose(c[1:2], c3, atol=1e-6)
    assert layer.compute_mask(x, tf.constant(mask))[1:] == [None, None]


def test_mask_from_a_previous_layer_flows_through():
    inp = tf.keras.Input((4, 5, 5, 1))
    out = L.ConvLSTM2D(2, 3, return_sequences=True)(inp)
    model = tf.keras.Model(inp, out)
    x = RNG.standard_normal((2, 4, 5, 5, 1)).astype("float32")
    mask = tf.constant([[True, True, False, False], [True, True, True, True]])
    layer = model.layers[-1]
    weights = [w.numpy().astype(np.float64) for w in layer.weights]
    np.testing.assert_allclose(layer(x, mask=mask).numpy(), conv_lstm(x, *weights, mask=mask.numpy())[0], atol=2e-5)
    assert layer.compute_mask(x, mask) is mask


def test_initial_state_and_stateful():
    x = RNG.standard_normal((2, 6, 5, 5, 2)).astype("float32")
    layer = L.ConvLSTM2D(3, 3, padding="same", return_state=True)
    layer(x)
    weights = _randomize(layer)
    h0, c0 = RNG.standard_normal((2, 2, 5, 5, 3)).astype("float32")
    _, h, c = (t.numpy() for t in layer(x, initial_state=[h0, c0]))
    _, want_h, want_c = conv_lstm(x, *weights, padding="same", initial=(h0, c0))
    np.testing.assert_allclose(h, want_h, atol=2e-5)
    np.testing.assert_allclose(c, want_c, atol=2e-5)
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layer(x, initial_state=[h0])

    stateful = L.ConvLSTM2D(3, 3, padding="same", stateful=True)
    stateful(x[:, :3])
    stateful.set_weights(layer.get_weights())
    stateful.reset_state()
    stateful(x[:, :3])
    # the second half continues from the states the first half left: the whole sequence's last output
    np.testing.assert_allclose(stateful(x[:, 3:]).numpy(), conv_lstm(x, *weights, padding="same")[1], atol=2e-5)
    assert [tuple(s.shape) for s in stateful.states] == [(2, 5, 5, 3), (2, 5, 5, 3)]
    stateful.reset_state()
    assert not np.any(stateful.states[0].numpy())


def test_unknown_length_runs_the_while_loop_and_equals_unrolled():
    layer = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True, go_backwards=True)
    x = RNG.standard_normal((2, 5, 4, 4, 2)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 1], [1, 1, 1, 0, 0]], dtype=bool)
    want = layer(x, mask=mask).numpy()
    weights = [w.numpy().astype(np.float64) for w in layer.weights]
    np.testing.assert_allclose(want, conv_lstm(x, *weights, padding="same", go_backwards=True, mask=mask)[0], atol=2e-5)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 4, 4, 2]), tf.TensorSpec([None, None], tf.bool)])
    def run(seq, m):
        return layer(seq, mask=m)

    np.testing.assert_allclose(run(x, mask).numpy(), want, atol=1e-6)
    np.testing.assert_allclose(run(x[:, :3], mask[:, :3]).numpy(), layer(x[:, :3], mask=mask[:, :3]).numpy(), atol=1e-6)
    model = tf.keras.Sequential([tf.keras.Input((None, 4, 4, 2)), L.ConvLSTM2D(2, 3)])
    assert model(x).shape == (2, 2, 2, 2) and model.output_shape == (None, 2, 2, 2)


def test_inside_tf_function_equals_eager():
    layer = L.ConvLSTM1D(3, 2, return_state=True)
    x = RNG.standard_normal((4, 3, 6, 2)).astype("float32")
    eager = [t.numpy() for t in layer(x)]
    traced = [t.numpy() for t in tf.function(lambda v: layer(v))(x)]
    for a, b in zip(eager, traced):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_dropout_masks_one_per_gate_and_inference_unaffected():
    layer = L.ConvLSTM2D(2, 3, padding="same", dropout=0.5, recurrent_dropout=0.5, seed=3)
    x = RNG.standard_normal((2, 3, 4, 4, 2)).astype("float32")
    inference = layer(x).numpy()
    weights = [w.numpy().astype(np.float64) for w in layer.weights]
    np.testing.assert_allclose(inference, conv_lstm(x, *weights, padding="same")[1], atol=2e-5)
    assert not np.allclose(layer(x, training=True).numpy(), inference)
    # one step of the cell by itself, with its masks: each gate sees its own masked input and state
    cell = layer.cell
    h = RNG.standard_normal((2, 4, 4, 2)).astype("float32")
    c = RNG.standard_normal((2, 4, 4, 2)).astype("float32")
    out, _ = cell(tf.constant(x[:, 0]), [tf.constant(h), tf.constant(c)], training=True)
    masks = [m.numpy() for m in cell.get_dropout_mask(x[:, 0])]
    rmasks = [m.numpy() for m in cell.get_recurrent_dropout_mask(h)]
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()
    assert len(masks) == 4 and not all(np.array_equal(masks[0], m) for m in masks[1:])
    kernel, recurrent, bias = weights
    z = [
        conv(x[:, 0] * masks[k], kernel[..., 2 * k : 2 * k + 2], padding="same")
        + conv(h * rmasks[k], recurrent[..., 2 * k : 2 * k + 2], padding="same")
        + bias[2 * k : 2 * k + 2]
        for k in range(4)
    ]
    want = sigmoid(z[3]) * np.tanh(sigmoid(z[1]) * c + sigmoid(z[0]) * np.tanh(z[2]))
    np.testing.assert_allclose(out.numpy(), want, atol=2e-5)


def test_dropout_of_one_is_ignored_as_in_keras():
    # Keras's ConvLSTMCell applies dropout only for rates strictly between 0 and 1.
    layer = L.ConvLSTM1D(2, 3, dropout=1.0, recurrent_dropout=1.0)
    x = RNG.standard_normal((2, 3, 5, 1)).astype("float32")
    np.testing.assert_allclose(layer(x, training=True).numpy(), layer(x).numpy())


def test_bad_inputs():
    with pytest.raises(ValueError, match="expected ndim=5"):
        L.ConvLSTM2D(2, 3)(np.zeros((2, 3, 4, 4), "float32"))
    with pytest.raises(ValueError, match="static input shapes for the spatial dimension"):
        L.ConvLSTM2D(2, 3).build((None, 3, None, 4, 2))
    with pytest.raises(ValueError, match="channel dimension"):
        L.ConvLSTM2D(2, 3).build((None, 3, 4, 4, None))
    with pytest.raises(ValueError, match="`padding` argument"):
        L.ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="`kernel_size` argument must be a tuple of 3"):
        L.ConvLSTM3D(2, (3, 3))
    with pytest.raises(ValueError, match="not compatible with `dilation_rate > 1`"):
        L.ConvLSTM1D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="`data_format` argument"):
        L.ConvLSTM2D(2, 3, data_format="NHWC")
    with pytest.raises(ValueError, match="filters"):
        L.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="Cannot unroll"):
        layer = L.ConvLSTM1D(2, 3, unroll=True)
        tf.function(layer, input_signature=[tf.TensorSpec([2, None, 5, 1])])(np.zeros((2, 3, 5, 1), "float32"))


def test_a_mask_that_is_not_batch_by_time_is_refused():
    x = np.zeros((2, 3, 4, 4, 1), "float32")
    with pytest.raises(
        ValueError, match=r"mask of shape \(batch, timesteps\), received a mask of shape \(2, 3, 4, 4\)"
    ):
        L.ConvLSTM2D(2, 3)(x, mask=np.ones((2, 3, 4, 4), bool))
    with pytest.raises(ValueError, match="takes a mask of shape"):  # Masking's mask of a 5-D input
        tf.keras.Sequential([tf.keras.Input((3, 4, 4, 1)), L.Masking(), L.ConvLSTM2D(2, 3)])
