"""``Bidirectional`` (merge modes, states, a given backward layer, weights) and ``TimeDistributed``
against the wrapped layers run by hand."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(23)


def _directions(bidi, x, **kwargs):
    """The forward output and the backward output put back in time order, from the wrapped layers."""
    fwd = bidi.forward_layer(x, **kwargs)
    bwd = bidi.backward_layer(x, **kwargs)
    if bidi.return_sequences:
        bwd = bwd.numpy()[:, ::-1]
    return np.asarray(fwd), np.asarray(bwd)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_merge_modes_combine_the_two_directions(merge_mode):
    x = RNG.standard_normal((32, 20, 16)).astype("float32")
    bidi = L.Bidirectional(L.LSTM(64, return_sequences=True), merge_mode=merge_mode)
    out = bidi(x)
    fwd, bwd = _directions(bidi, x)
    want = {
        "concat": lambda: np.concatenate([fwd, bwd], -1),
        "sum": lambda: fwd + bwd,
        "mul": lambda: fwd * bwd,
        "ave": lambda: (fwd + bwd) / 2,
        None: lambda: None,
    }[merge_mode]()
    if merge_mode is None:
        assert isinstance(out, tuple) and len(out) == 2
        np.testing.assert_allclose(out[0].numpy(), fwd, atol=1e-6)
        np.testing.assert_allclose(out[1].numpy(), bwd, atol=1e-6)
        assert bidi.compute_output_shape((None, 20, 16)) == [(None, 20, 64), (None, 20, 64)]
    else:
        np.testing.assert_allclose(out.numpy(), want, atol=1e-6)
        assert bidi.compute_output_shape((None, 20, 16))[-1] == (128 if merge_mode == "concat" else 64)


def test_layers_are_fresh_copies_with_keras_names_and_the_backward_one_runs_backwards():
    lstm = L.LSTM(4, name="enc")
    bidi = L.Bidirectional(lstm)
    assert bidi.forward_layer is not lstm and bidi.forward_layer.name == "forward_enc"
    assert bidi.backward_layer.name == "backward_enc" and bidi.backward_layer.go_backwards
    x = RNG.standard_normal((3, 5, 2)).astype("float32")
    out = bidi(x)
    assert not lstm.built and len(bidi.weights) == 6 and out.shape == (3, 8)
    assert [w.shape for w in bidi.get_weights()] == [(2, 16), (4, 16), (16,)] * 2


def test_return_state_and_initial_state():
    bidi = L.Bidirectional(L.LSTM(4, return_state=True))
    x = RNG.standard_normal((3, 5, 2)).astype("float32")
    out, fh, fc, bh, bc = bidi(x)
    assert out.shape == (3, 8)
    np.testing.assert_array_equal(out.numpy(), np.concatenate([fh.numpy(), bh.numpy()], -1))
    states = [RNG.standard_normal((3, 4)).astype("float32") for _ in range(4)]
    out2 = bidi(x, initial_state=states)[0].numpy()
    want_f = bidi.forward_layer(x, initial_state=states[:2])[0].numpy()
    want_b = bidi.backward_layer(x, initial_state=states[2:])[0].numpy()
    np.testing.assert_allclose(out2, np.concatenate([want_f, want_b], -1), atol=1e-6)
    shapes = bidi.compute_output_shape((None, 5, 2))
    assert shapes == ((None, 8), (None, 4), (None, 4), (None, 4), (None, 4))


def test_backward_layer_argument_and_weights_argument():
    forward, backward = L.GRU(3, return_sequences=True), L.SimpleRNN(3, return_sequences=True, go_backwards=True)
    bidi = L.Bidirectional(forward, backward_layer=backward, merge_mode="sum")
    x = RNG.standard_normal((2, 6, 4)).astype("float32")
    out = bidi(x)
    assert bidi.backward_layer is backward
    fwd, bwd = _directions(bidi, x)
    np.testing.assert_allclose(out.numpy(), fwd + bwd, atol=1e-6)
    weights = [RNG.standard_normal(w.shape).astype("float32") for w in bidi.get_weights()]
    again = L.Bidirectional(
        L.GRU(3, return_sequences=True),
        weights=weights,
        backward_layer=L.SimpleRNN(3, return_sequences=True, go_backwards=True),
    )
    again(x)
    for got, want in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    config = again.get_config()
    assert config["backward_layer"]["class_name"] == "SimpleRNN" and config["layer"]["class_name"] == "GRU"
    copy = L.Bidirectional.from_config(config)
    copy(x)
    copy.set_weights(weights)
    np.testing.assert_array_equal(copy(x).numpy(), again(x).numpy())
    with pytest.raises(AttributeError, match="Layer must be stateful"):
        again.reset_states()


def test_bidirectional_mask_and_compute_mask():
    x = RNG.standard_normal((4, 6, 3)).astype("float32")
    lengths = np.array([6, 4, 2, 1])
    mask = np.arange(6)[None] < lengths[:, None]
    bidi = L.Bidirectional(L.GRU(5))
    out = bidi(x, mask=tf.constant(mask)).numpy()
    for i, n in enumerate(lengths):
        np.testing.assert_allclose(out[i : i + 1], bidi(x[i : i + 1, :n]).numpy(), atol=2e-6)
    seq = L.Bidirectional(L.GRU(5, return_sequences=True))
    masked = seq(x, mask=tf.constant(mask))
    np.testing.assert_array_equal(masked._keras_mask.numpy(), mask)
    np.testing.assert_array_equal(masked.numpy()[~mask], 0.0)  # zero_output_for_mask, as Keras sets it
    assert bidi.compute_mask(x, tf.constant(mask)) is None


def test_time_distributed_applies_the_layer_at_every_step():
    x = RNG.standard_normal((32, 20, 16)).astype("float32")
    dense = L.Dense(8, activation="relu")
    td = L.TimeDistributed(dense)
    out = td(x)
    assert out.shape == (32, 20, 8) and td.compute_output_shape((None, 20, 16)) == (None, 20, 8)
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(out.numpy(), np.maximum(x @ kernel + bias, 0), atol=1e-5)
    traced = tf.function(lambda t: td(t))(tf.constant(x))
    np.testing.assert_allclose(traced.numpy(), out.numpy(), atol=1e-6)
    images = RNG.standard_normal((4, 5, 8, 8, 3)).astype("float32")
    conv_td = L.TimeDistributed(L.Conv2D(2, 3))
    got = conv_td(images)
    want = np.stack([conv_td.layer(images[:, t]).numpy() for t in range(5)], 1)
    np.testing.assert_allclose(got.numpy(), want, atol=1e-5)
    assert conv_td.compute_output_shape((None, 5, 8, 8, 3)) == (None, 5, 6, 6, 2)
    symbolic = L.TimeDistributed(L.Dense(3))(tf.keras.Input((7, 4)))
    assert tuple(symbolic.shape) == (None, 7, 3)


def test_time_distributed_passes_the_mask_on_and_round_trips():
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    hidden = L.Embedding(5, 4, mask_zero=True)(ids)
    td = L.TimeDistributed(L.Dense(2))
    out = td(hidden)
    np.testing.assert_array_equal(out._keras_mask.numpy(), ids != 0)
    copy = L.deserialize(L.serialize(td))
    assert copy.get_config()["layer"]["class_name"] == "Dense"
    with pytest.raises(ValueError, match="incompatible with the input shape"):
        td(hidden, mask=tf.constant(np.ones((2, 4), bool)))
