"""``tf.compat.v1.nn.dynamic_rnn`` / ``static_rnn`` / ``bidirectional_dynamic_rnn`` semantics (sequence
lengths: zero outputs and a frozen state past each length; time-major layout; unknown time length), with a
plain cell object holding fixed weights, against a NumPy loop.

The file passes unchanged under TensorFlow 2.21 with the import swapped (the cell is duck-typed, as
TensorFlow's dynamic_rnn accepts)."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
rng = np.random.RandomState(0)
W = rng.randn(3, 4).astype(np.float32) * 0.5
U = rng.randn(4, 4).astype(np.float32) * 0.5
X = rng.randn(2, 5, 3).astype(np.float32)
LENGTHS = [5, 3]


class TanhCell:
    """``h' = tanh(x W + h U)``, output ``h'``: a cell as TF1's recurrent loops call it."""

    state_size = 4
    output_size = 4

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, 4], dtype=dtype)

    def __call__(self, inputs, state, scope=None):
        h = tf.tanh(tf.matmul(inputs, W) + tf.matmul(state, U))
        return h, h


def reference(x, lengths=None, reverse=False):
    batch, steps, _ = x.shape
    outs = np.zeros((batch, steps, 4), np.float32)
    final = np.zeros((batch, 4), np.float32)
    for b in range(batch):
        n = steps if lengths is None else lengths[b]
        seq = x[b, :n][::-1] if reverse else x[b, :n]
        h = np.zeros(4, np.float32)
        hs = []
        for t in range(n):
            h = np.tanh(seq[t] @ W + h @ U)
            hs.append(h)
        if reverse:
            hs = hs[::-1]
        outs[b, :n] = np.array(hs)
        final[b] = h
    return outs, final


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_dynamic_rnn_known_length(graph):
    x = v1.placeholder(tf.float32, [None, 5, 3])
    out, state = v1.nn.dynamic_rnn(TanhCell(), x, dtype=tf.float32)
    out_l, state_l = v1.nn.dynamic_rnn(TanhCell(), x, sequence_length=LENGTHS, dtype=tf.float32)
    assert out.shape.as_list() == [None, 5, 4]
    with v1.Session() as sess:
        got = sess.run([out, state, out_l, state_l], {x: X})
    want, want_state = reference(X)
    np.testing.assert_allclose(got[0], want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], want_state, rtol=1e-5, atol=1e-6)
    want_l, want_state_l = reference(X, LENGTHS)
    np.testing.assert_allclose(got[2], want_l, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], want_state_l, rtol=1e-5, atol=1e-6)


def test_dynamic_rnn_unknown_length_and_time_major(graph):
    x = v1.placeholder(tf.float32, [None, None, 3])
    lengths = v1.placeholder(tf.int32, [None])
    out, state = v1.nn.dynamic_rnn(TanhCell(), x, sequence_length=lengths, dtype=tf.float32)
    xt = v1.placeholder(tf.float32, [None, None, 3])
    out_t, state_t = v1.nn.dynamic_rnn(TanhCell(), xt, dtype=tf.float32, time_major=True)
    with v1.Session() as sess:
        got, got_state = sess.run([out, state], {x: X, lengths: LENGTHS})
        got_t, got_state_t = sess.run([out_t, state_t], {xt: X.transpose(1, 0, 2)})
    want, want_state = reference(X, LENGTHS)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-5, atol=1e-6)
    want_all, want_all_state = reference(X)
    np.testing.assert_allclose(got_t, want_all.transpose(1, 0, 2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state_t, want_all_state, rtol=1e-5, atol=1e-6)


def test_dynamic_rnn_needs_a_dtype_without_initial_state(graph):
    x = v1.placeholder(tf.float32, [None, 5, 3])
    with pytest.raises(ValueError, match="argument `dtype` must be specified"):
        v1.nn.dynamic_rnn(TanhCell(), x)
    out, state = v1.nn.dynamic_rnn(TanhCell(), x, initial_state=tf.zeros([2, 4]))
    with v1.Session() as sess:
        np.testing.assert_allclose(sess.run(state, {x: X}), reference(X)[1], rtol=1e-5, atol=1e-6)


def test_static_rnn(graph):
    steps = [v1.placeholder(tf.float32, [None, 3]) for _ in range(5)]
    outs, state = v1.nn.static_rnn(TanhCell(), steps, dtype=tf.float32, sequence_length=LENGTHS)
    assert isinstance(outs, list) and len(outs) == 5
    with v1.Session() as sess:
        got = sess.run(outs + [state], {p: X[:, t] for t, p in enumerate(steps)})
    want, want_state = reference(X, LENGTHS)
    np.testing.assert_allclose(np.stack(got[:5], 1), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[5], want_state, rtol=1e-5, atol=1e-6)


def test_bidirectional_dynamic_rnn(graph):
    x = v1.placeholder(tf.float32, [None, 5, 3])
    (out_fw, out_bw), (state_fw, state_bw) = v1.nn.bidirectional_dynamic_rnn(
        TanhCell(), TanhCell(), x, sequence_length=LENGTHS, dtype=tf.float32
    )
    with v1.Session() as sess:
        got = sess.run([out_fw, out_bw, state_fw, state_bw], {x: X})
    want_fw, want_state_fw = reference(X, LENGTHS)
    want_bw, want_state_bw = reference(X, LENGTHS, reverse=True)
    for a, b in zip(got, [want_fw, want_bw, want_state_fw, want_state_bw]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_dynamic_rnn_eagerly():
    out, state = v1.nn.dynamic_rnn(TanhCell(), tf.constant(X), sequence_length=LENGTHS, dtype=tf.float32)
    want, want_state = reference(X, LENGTHS)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.numpy(), want_state, rtol=1e-5, atol=1e-6)
