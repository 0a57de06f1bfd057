"""``tf.compat.v1.nn.rnn_cell``: TF1's cells (BasicRNNCell, GRUCell, BasicLSTMCell, LSTMCell with peepholes,
clipping and projection) against NumPy formulas with TensorFlow's gate order and initial biases, their
variable names under ``dynamic_rnn``, the wrappers (MultiRNNCell, DropoutWrapper, ResidualWrapper),
gradients against finite differences, and a TF1-style sequence classifier trained in a Session.

TensorFlow 2.21 with Keras 3 no longer ships these classes (they need tf_keras), so the references are
NumPy transcriptions of TF1's cell equations."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
rnn_cell = v1.nn.rnn_cell
rng = np.random.RandomState(0)
X = rng.randn(2, 4, 3)


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def run(sess, cell, fetch, feed):
    return sess.run(fetch, feed)


def weights(sess):
    return {v.name.split(":")[0]: sess.run(v) for v in v1.global_variables()}


def lstm_reference(x, kernel, bias, forget_bias=1.0, peep=None, proj=None, cell_clip=None):
    n = bias.shape[0] // 4
    m = proj.shape[1] if proj is not None else n
    c, h = np.zeros((x.shape[0], n)), np.zeros((x.shape[0], m))
    outs = []
    for t in range(x.shape[1]):
        z = np.concatenate([x[:, t], h], 1) @ kernel + bias
        i, j, f, o = np.split(z, 4, axis=1)
        if peep is not None:
            wf, wi, wo = peep
            c = sigmoid(f + forget_bias + wf * c) * c + sigmoid(i + wi * c) * np.tanh(j)
        else:
            c = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
        if cell_clip is not None:
            c = np.clip(c, -cell_clip, cell_clip)
        h = (sigmoid(o + wo * c) if peep is not None else sigmoid(o)) * np.tanh(c)
        if proj is not None:
            h = h @ proj
        outs.append(h)
    return np.stack(outs, 1), c, h


def test_basic_lstm_cell_under_dynamic_rnn(graph):
    x = v1.placeholder(tf.float64, [None, 4, 3])
    cell = rnn_cell.BasicLSTMCell(5, forget_bias=0.5)
    assert cell.state_size == (5, 5) and cell.output_size == 5
    out, state = v1.nn.dynamic_rnn(cell, x, dtype=tf.float64)
    assert isinstance(state, rnn_cell.LSTMStateTuple)
    names = [v.name.split(":")[0] for v in v1.trainable_variables()]
    assert names == ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"]
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        w = weights(sess)
        got, c, h = sess.run([out, state.c, state.h], {x: X})
    assert not w["rnn/basic_lstm_cell/bias"].any()
    want, want_c, want_h = lstm_reference(X, w["rnn/basic_lstm_cell/kernel"], w["rnn/basic_lstm_cell/bias"], 0.5)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    np.testing.assert_allclose(c, want_c, rtol=1e-10)
    np.testing.assert_allclose(h, want_h, rtol=1e-10)


def test_lstm_cell_peepholes_clip_projection(graph):
    x = v1.placeholder(tf.float64, [None, 4, 3])
    cell = rnn_cell.LSTMCell(
        5, use_peepholes=True, cell_clip=0.3, num_proj=2, initializer=v1.random_uniform_initializer(-0.5, 0.5, seed=3)
    )
    assert cell.state_size == (5, 2) and cell.output_size == 2
    out, state = v1.nn.dynamic_rnn(cell, x, dtype=tf.float64)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        w = weights(sess)
        got, c = sess.run([out, state.c], {x: X})
    p = "rnn/lstm_cell/"
    assert sorted(w) == sorted(
        p + k for k in ["kernel", "bias", "w_f_diag", "w_i_diag", "w_o_diag", "projection/kernel"]
    )
    peep = (w[p + "w_f_diag"], w[p + "w_i_diag"], w[p + "w_o_diag"])
    want, want_c, _ = lstm_reference(X, w[p + "kernel"], w[p + "bias"], 1.0, peep, w[p + "projection/kernel"], 0.3)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    np.testing.assert_allclose(c, want_c, rtol=1e-10)
    assert np.abs(c).max() <= 0.3 + 1e-12


def test_gru_and_basic_rnn_cells(graph):
    x = v1.placeholder(tf.float64, [None, 4, 3])
    gru_out, _ = v1.nn.dynamic_rnn(rnn_cell.GRUCell(3), x, dtype=tf.float64, scope="gru")
    rnn_out, _ = v1.nn.dynamic_rnn(rnn_cell.BasicRNNCell(3, activation=tf.nn.relu), x, dtype=tf.float64, scope="plain")
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        w = weights(sess)
        got_gru, got_rnn = sess.run([gru_out, rnn_out], {x: X})
    g = "gru/gru_cell/"
    assert (w[g + "gates/bias"] == 1.0).all() and not w[g + "candidate/bias"].any()
    h = np.zeros((2, 3))
    for t in range(4):
        ru = sigmoid(np.concatenate([X[:, t], h], 1) @ w[g + "gates/kernel"] + w[g + "gates/bias"])
        r, u = ru[:, :3], ru[:, 3:]
        cand = np.tanh(np.concatenate([X[:, t], r * h], 1) @ w[g + "candidate/kernel"] + w[g + "candidate/bias"])
        h = u * h + (1 - u) * cand
        np.testing.assert_allclose(got_gru[:, t], h, rtol=1e-10)
    h = np.zeros((2, 3))
    for t in range(4):
        k, b = w["plain/basic_rnn_cell/kernel"], w["plain/basic_rnn_cell/bias"]
        h = np.maximum(np.concatenate([X[:, t], h], 1) @ k + b, 0)
        np.testing.assert_allclose(got_rnn[:, t], h, rtol=1e-10)


def test_multi_rnn_cell_names_and_states(graph):
    x = v1.placeholder(tf.float32, [None, None, 3])
    cell = rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(4), rnn_cell.GRUCell(2)])
    assert cell.state_size == ((4, 4), 2) and cell.output_size == 2
    out, (lstm_state, gru_state) = v1.nn.dynamic_rnn(cell, x, sequence_length=[4, 2], dtype=tf.float32)
    names = [v.name.split(":")[0] for v in v1.trainable_variables()]
    assert names[0] == "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel"
    assert names[-1] == "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias"
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        got, hs = sess.run([out, gru_state], {x: X.astype(np.float32)})
    assert got.shape == (2, 4, 2) and not got[1, 2:].any()
    np.testing.assert_allclose(hs[1], got[1, 1], rtol=1e-6)
    np.testing.assert_allclose(hs[0], got[0, 3], rtol=1e-6)


def test_dropout_and_residual_wrappers(graph):
    x = v1.placeholder(tf.float32, [None, 4, 16])
    keep = v1.placeholder_with_default(1.0, [])
    base = rnn_cell.BasicRNNCell(16)
    cell = rnn_cell.ResidualWrapper(rnn_cell.DropoutWrapper(base, output_keep_prob=keep))
    out, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    ref_out, _ = v1.nn.dynamic_rnn(base, x, dtype=tf.float32)  # the same variables: the cell is built
    xs = np.random.RandomState(5).randn(2, 4, 16).astype(np.float32)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        full, plain = sess.run([out, ref_out], {x: xs})
        dropped = sess.run(out, {x: xs, keep: 0.5})
    np.testing.assert_allclose(full - xs, plain, rtol=1e-5, atol=1e-6)
    residual = dropped - xs  # output dropout only: each output is dropped (0) or kept and scaled by 1 / 0.5
    kept = np.isclose(residual, 2 * plain, rtol=1e-4, atol=1e-5)
    assert (kept | np.isclose(residual, 0, atol=1e-5)).all() and 0.25 < kept.mean() < 0.75
    with pytest.raises(ValueError, match="must be between 0 and 1"):
        rnn_cell.DropoutWrapper(base, input_keep_prob=1.5)


def test_state_is_tuple_false_and_zero_state(graph):
    cell = rnn_cell.BasicLSTMCell(3, state_is_tuple=False)
    assert cell.state_size == 6
    assert cell.zero_state(2, tf.float32).shape.as_list() == [2, 6]
    x = v1.placeholder(tf.float32, [None, 4, 3])
    _, state = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert state.shape.as_list()[-1] == 6


def test_lstm_gradient_matches_finite_differences(graph):
    x = tf.constant(X)
    cell = rnn_cell.LSTMCell(3, use_peepholes=True, initializer=v1.random_uniform_initializer(-0.4, 0.4, seed=1))
    out, _ = v1.nn.dynamic_rnn(cell, x, sequence_length=[4, 2], dtype=tf.float64)
    loss = v1.reduce_sum(out * out)
    kernel = v1.trainable_variables()[0]
    grad = v1.gradients(loss, kernel)[0]
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        k0, g = sess.run([kernel, grad])
        eps, numeric = 1e-6, np.zeros_like(k0)
        for idx in [(0, 0), (2, 5), (4, 11), (5, 3)]:
            for sign in (1, -1):
                k = k0.copy()
                k[idx] += sign * eps
                sess.run(kernel.assign(k))
                numeric[idx] += sign * sess.run(loss) / (2 * eps)
            assert g[idx] == pytest.approx(numeric[idx], rel=1e-5, abs=1e-8)


def test_sequence_classifier_trains(graph):
    rs = np.random.RandomState(2)
    seqs = rs.randn(32, 6, 2).astype(np.float32)
    labels = (seqs[:, :, 0].sum(1) > 0).astype(np.int64)
    x = v1.placeholder(tf.float32, [None, 6, 2])
    y = v1.placeholder(tf.int64, [None])
    _, state = v1.nn.dynamic_rnn(rnn_cell.BasicLSTMCell(8), x, dtype=tf.float32)
    logits = v1.layers.dense(state.h, 2)
    loss = tf.reduce_mean(v1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = v1.train.AdamOptimizer(0.05).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        first = sess.run(loss, {x: seqs, y: labels})
        for _ in range(60):
            sess.run(train, {x: seqs, y: labels})
        last = sess.run(loss, {x: seqs, y: labels})
    assert last < 0.3 * first


def test_cells_eagerly():
    cell = rnn_cell.GRUCell(2)
    out, state = cell(tf.constant(X[:, 0]), cell.zero_state(2, tf.float64))
    assert out.shape == (2, 2) and np.allclose(out.numpy(), state.numpy())
    assert len(cell.trainable_variables) == 4
