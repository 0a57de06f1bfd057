"""``tf.compat.v1.nn``: TF1's signatures of ``tf.nn`` (``dropout(x, keep_prob)``, ``conv2d(input, filter)``,
``max_pool(value)``, ``depthwise_conv2d(rate)``, ``softmax(dim)``, ``moments(keep_dims)``), TF1's labels
gradient stop in ``softmax_cross_entropy_with_logits``, "mod" partitioned embeddings, ``xw_plus_b``, and the
classic TF1 tutorial network built with them in a Session.

Each TF1 call is checked against the TF2 function it maps to (or NumPy); the file passes unchanged under
TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
rng = np.random.RandomState(0)
X = rng.randn(1, 5, 5, 2).astype(np.float32)
W = rng.randn(3, 3, 2, 3).astype(np.float32)


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=kw.get("rtol", 1e-5), atol=kw.get("atol", 1e-5))


def test_convolutions_take_filter_value_and_rate():
    close(v1.nn.conv2d(X, filter=W, strides=[1, 1, 1, 1], padding="SAME"), tf.nn.conv2d(X, W, 1, "SAME"))
    close(v1.nn.conv2d(X, W, [1, 1, 1, 1], "VALID", True, "NHWC"), tf.nn.conv2d(X, W, 1, "VALID"))
    close(
        v1.nn.convolution(X, W, "VALID", dilation_rate=[2, 2]),
        tf.nn.convolution(X, W, padding="VALID", dilations=[2, 2]),
    )
    dw = rng.randn(3, 3, 2, 1).astype(np.float32)
    close(
        v1.nn.depthwise_conv2d(X, dw, [1, 1, 1, 1], "SAME", rate=[2, 2]),
        tf.nn.depthwise_conv2d(X, dw, [1, 1, 1, 1], "SAME", dilations=[2, 2]),
    )
    pw = rng.randn(1, 1, 2, 3).astype(np.float32)
    close(
        v1.nn.separable_conv2d(X, dw, pw, [1, 1, 1, 1], "VALID", rate=[1, 1]),
        tf.nn.separable_conv2d(X, dw, pw, [1, 1, 1, 1], "VALID"),
    )
    wt = rng.randn(3, 3, 4, 2).astype(np.float32)
    close(
        v1.nn.conv2d_transpose(value=X, filter=wt, output_shape=[1, 10, 10, 4], strides=[1, 2, 2, 1]),
        tf.nn.conv2d_transpose(X, wt, [1, 10, 10, 4], [1, 2, 2, 1]),
    )
    w1 = rng.randn(2, 2, 4).astype(np.float32)
    close(v1.nn.conv1d(value=X[0], filters=w1, stride=1, padding="SAME"), tf.nn.conv1d(X[0], w1, 1, "SAME"))
    with pytest.raises(ValueError, match="Cannot specify both 'filter' and 'filters'"):
        v1.nn.conv2d(X, filter=W, strides=1, padding="SAME", filters=W)


def test_pools_take_value():
    out = v1.nn.max_pool(value=X, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    close(out, tf.nn.max_pool(X, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"))
    close(v1.nn.avg_pool(X, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"), tf.nn.avg_pool(X, 2, 1, "VALID"))
    close(
        v1.nn.pool(X, [2, 2], "AVG", "VALID", dilation_rate=[2, 2]),
        tf.nn.pool(X, [2, 2], "AVG", padding="VALID", dilations=[2, 2]),
    )


def test_dropout_keep_prob():
    ones = tf.ones([1, 4])
    close(v1.nn.dropout(ones, 1.0), np.ones((1, 4)))
    out = v1.nn.dropout(tf.ones([200, 100]), keep_prob=0.8, seed=1).numpy()
    assert set(np.unique(out)) <= {0.0, 1.25}
    assert abs((out == 0).mean() - 0.2) < 0.03
    with pytest.raises(ValueError, match="Cannot specify both 'keep_prob' and 'rate'"):
        v1.nn.dropout(ones, keep_prob=0.5, rate=0.5)
    with pytest.raises(ValueError, match="`rate` must be provided"):
        v1.nn.dropout(ones)


def test_dropout_keep_prob_placeholder_in_a_session(graph):
    x = v1.placeholder(tf.float32, [None, 1000])
    keep_prob = v1.placeholder(tf.float32)
    y = v1.nn.dropout(x, keep_prob)
    grad = v1.gradients(v1.reduce_sum(y), x)[0]
    with v1.Session() as sess:
        kept = sess.run(y, {x: np.ones((1, 1000)), keep_prob: 1.0})
        half, g = sess.run([y, grad], {x: np.ones((2, 1000)), keep_prob: 0.5})
    assert kept.tolist() == np.ones((1, 1000)).tolist()
    assert set(np.unique(half)) <= {0.0, 2.0} and abs((half == 0).mean() - 0.5) < 0.05
    np.testing.assert_array_equal(g, half)


def test_softmax_cross_entropy_v1_stops_the_labels_gradient():
    labels = tf.constant([[0.2, 0.8], [0.5, 0.5]])
    logits = tf.constant([[1.0, 2.0], [0.0, 3.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(labels)
        loss_v1 = v1.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss_v2 = v1.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    close(loss_v1, [0.5132617, 1.5485873])
    close(loss_v2, loss_v1)
    assert tape.gradient(loss_v1, labels) is None
    close(tape.gradient(loss_v2, labels), [[1.3132616, 0.31326166], [3.0485873, 0.04858733]])
    close(v1.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=0), [0.71928316, 1.2072402])


def test_softmax_dim_moments_keep_dims_and_weighted_ce():
    close(v1.nn.softmax([[1.0, 2.0], [3.0, 5.0]], dim=0), [[0.11920291, 0.04742587], [0.880797, 0.95257413]])
    mean, var = v1.nn.moments(tf.constant([[1.0, 2.0], [3.0, 5.0]]), [0], keep_dims=True)
    close(mean, [[2.0, 3.5]])
    close(var, [[1.0, 2.25]])
    close(
        v1.nn.weighted_cross_entropy_with_logits(targets=[1.0, 0.0], logits=[0.5, -0.5], pos_weight=2.0),
        [0.948154, 0.474077],
    )


def test_xw_plus_b_and_relu_layer():
    x, w, b = [[1.0, 2.0]], [[1.0, 0.0], [0.0, -1.0]], [0.5, 0.5]
    close(v1.nn.xw_plus_b(x, w, b), [[1.5, -1.5]])
    close(v1.nn.relu_layer(x, w, b), [[1.5, 0.0]])


def test_embedding_lookup_mod_and_div_partitions():
    shards = [tf.constant(np.arange(6.0).reshape(3, 2)), tf.constant(np.arange(6.0, 10.0).reshape(2, 2))]
    ids = [0, 1, 2, 3, 4]
    mod = v1.nn.embedding_lookup(shards, ids)
    assert mod.numpy().tolist() == [[0.0, 1.0], [6.0, 7.0], [2.0, 3.0], [8.0, 9.0], [4.0, 5.0]]
    div = v1.nn.embedding_lookup(shards, ids, partition_strategy="div")
    assert div.numpy().tolist() == np.arange(10.0).reshape(5, 2).tolist()
    one = v1.nn.embedding_lookup(tf.constant(np.eye(3)), [[2, 0]])
    assert one.shape == (1, 2, 3)


def test_ctc_loss_v1_defaults():
    labels = tf.SparseTensor(indices=[[0, 0], [0, 1], [1, 0]], values=[1, 2, 1], dense_shape=[2, 2])
    inputs = tf.constant(np.random.RandomState(0).randn(4, 2, 4).astype(np.float32))
    expected = tf.nn.ctc_loss(labels, inputs, None, [4, 3], blank_index=-1)
    close(v1.nn.ctc_loss(labels, inputs, [4, 3]), expected)


def test_v1_nn_in_top_k_order_and_other_names_are_tf2s():
    preds = np.array([[0.1, 0.9, 0.0], [0.8, 0.15, 0.05]], np.float32)
    assert v1.nn.in_top_k(preds, [1, 1], 1).numpy().tolist() == [True, False]
    assert v1.nn.relu is tf.nn.relu
    assert {"rnn_cell", "dynamic_rnn", "xw_plus_b", "conv2d"} <= set(dir(v1.nn))


def test_deep_mnist_style_network_trains_in_a_session(graph):
    rs = np.random.RandomState(1)
    images = rs.rand(16, 8, 8, 1).astype(np.float32)
    labels = np.eye(2, dtype=np.float32)[(images.mean(axis=(1, 2, 3)) > 0.5).astype(int)]
    x = v1.placeholder(tf.float32, [None, 8, 8, 1])
    y_ = v1.placeholder(tf.float32, [None, 2])
    keep_prob = v1.placeholder(tf.float32)
    w_conv = tf.Variable(v1.truncated_normal([3, 3, 1, 4], stddev=0.1, seed=1))
    b_conv = tf.Variable(tf.constant(0.1, shape=[4]))
    h = tf.nn.relu(v1.nn.conv2d(x, w_conv, strides=[1, 1, 1, 1], padding="SAME") + b_conv)
    h = v1.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    flat = tf.reshape(h, [-1, 4 * 4 * 4])
    flat = v1.nn.dropout(flat, keep_prob, seed=2)
    w_fc = tf.Variable(v1.truncated_normal([64, 2], stddev=0.1, seed=3))
    b_fc = tf.Variable(tf.constant(0.1, shape=[2]))
    logits = v1.nn.xw_plus_b(flat, w_fc, b_fc)
    loss = tf.reduce_mean(v1.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train = v1.train.AdamOptimizer(1e-2).minimize(loss)
    correct = tf.equal(v1.argmax(logits, 1), v1.argmax(y_, 1))
    accuracy = tf.reduce_mean(v1.to_float(correct))
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        first = sess.run(loss, {x: images, y_: labels, keep_prob: 1.0})
        for _ in range(60):
            sess.run(train, {x: images, y_: labels, keep_prob: 0.9})
        last, acc = sess.run([loss, accuracy], {x: images, y_: labels, keep_prob: 1.0})
    assert last < first * 0.7
    assert acc >= 0.75
