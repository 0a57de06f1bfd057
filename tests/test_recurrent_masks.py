"""Masks in the recurrent layers: a padded, masked sequence gives the unpadded sequence's result, masked steps
carry the states and repeat (or zero) the output as Keras does, masks from Embedding and Masking, and the
masks the layers pass on."""

import numpy as np
import pytest

import ferroflow as tf
from recurrent_refs import lstm_step, run

L = tf.keras.layers
RNG = np.random.default_rng(8)


def _padded(batch=32, length=20, features=16):
    lengths = RNG.integers(1, length + 1, size=batch)
    lengths[0] = length
    x = RNG.standard_normal((batch, length, features)).astype("float32")
    mask = np.arange(length)[None, :] < lengths[:, None]
    return x, mask, lengths  # the padding holds noise: only the mask may hide it


@pytest.mark.parametrize(
    "make", [lambda **kw: L.LSTM(64, **kw), lambda **kw: L.GRU(64, **kw), lambda **kw: L.SimpleRNN(64, **kw)]
)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_padded_masked_sequences_give_the_unpadded_results(make, go_backwards):
    x, mask, lengths = _padded()
    layer = make(return_state=True, go_backwards=go_backwards)
    got = layer(x, mask=tf.constant(mask))
    for i in (0, 1, 7, 31):
        want = layer(x[i : i + 1, : lengths[i]])
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy()[i : i + 1], w.numpy(), atol=2e-5)
    unmasked = layer(x)[0].numpy()
    short = int(np.argmin(lengths))
    assert not np.allclose(unmasked[short], got[0].numpy()[short], atol=1e-4)  # the mask did something


def test_masked_steps_repeat_the_previous_output_or_zeros():
    x = RNG.standard_normal((3, 6, 4))
    mask = np.array([[1, 1, 0, 1, 0, 0], [0, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0]], bool)
    cell = L.LSTMCell(5, dtype="float64")
    layer = L.RNN(cell, return_sequences=True, return_state=True, dtype="float64")
    layer(x)
    w = cell.get_weights()
    zeros = [np.zeros((3, 5))] * 2
    for zero_output in (False, True):
        layer.zero_output_for_mask = zero_output
        last, seq, (h, c) = run(
            lambda xt, s: lstm_step(xt, s, *w), x, zeros, mask=mask, zero_output_for_mask=zero_output
        )
        out, got_h, got_c = layer(x, mask=tf.constant(mask))
        np.testing.assert_allclose(out.numpy(), seq, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(got_h.numpy(), h, rtol=1e-10)
        np.testing.assert_allclose(got_c.numpy(), c, rtol=1e-10)
    np.testing.assert_array_equal(out.numpy()[0, 2], np.zeros(5))  # zeroed where masked
    np.testing.assert_array_equal(out.numpy()[1, 0], np.zeros(5))  # a masked first step outputs zeros


def test_embedding_mask_reaches_the_lstm_in_a_sequential_model():
    ids = RNG.integers(1, 100, size=(32, 20))
    lengths = RNG.integers(3, 21, size=32)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    emb, lstm = L.Embedding(100, 16, mask_zero=True), L.LSTM(32)
    model = tf.keras.Sequential([tf.keras.Input((20,), dtype="int32"), emb, lstm])
    out = model(ids).numpy()
    for i in (0, 5, 17):
        want = lstm(emb(ids[i : i + 1, : lengths[i]])).numpy()
        np.testing.assert_allclose(out[i : i + 1], want, atol=2e-5)
    traced = model.predict(ids, verbose=0)
    np.testing.assert_allclose(traced, out, atol=2e-5)


def test_masking_layer_and_initial_state_keep_the_mask():
    x, mask, lengths = _padded(batch=6, length=8, features=4)
    x = np.where(mask[..., None], x, 0.0).astype("float32")  # Masking hides the all-zero steps
    inp = tf.keras.Input((8, 4))
    h0 = tf.keras.Input((5,))
    gru = L.GRU(5)
    model = tf.keras.Model([inp, h0], gru(L.Masking()(inp), initial_state=h0))
    state = RNG.standard_normal((6, 5)).astype("float32")
    out = model([x, state]).numpy()
    for i in range(6):
        want = gru(x[i : i + 1, : lengths[i]], initial_state=state[i : i + 1]).numpy()
        np.testing.assert_allclose(out[i : i + 1], want, atol=2e-6)


def test_compute_mask_keeps_the_mask_only_for_sequences():
    x, mask, _ = _padded(batch=4, length=5, features=3)
    m = tf.constant(mask)
    seq = L.LSTM(2, return_sequences=True)
    np.testing.assert_array_equal(seq.compute_mask(x, m).numpy(), mask)
    np.testing.assert_array_equal(seq(x, mask=m)._keras_mask.numpy(), mask)
    last = L.LSTM(2)
    assert last.compute_mask(x, m) is None
    assert getattr(last(x, mask=m), "_keras_mask", None) is None
    states = L.LSTM(2, return_sequences=True, return_state=True)
    out_mask, h_mask, c_mask = states.compute_mask(x, m)
    assert h_mask is None and c_mask is None
    np.testing.assert_array_equal(out_mask.numpy(), mask)
    assert L.GRU(2, return_state=True).compute_mask(x, m) == [None, None]
    # a stacked model: the first layer's sequence output carries the mask to the second
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]])
    emb = L.Embedding(10, 3, mask_zero=True)
    first = L.LSTM(4, return_sequences=True)
    hidden = first(emb(ids))
    np.testing.assert_array_equal(hidden._keras_mask.numpy(), ids != 0)
