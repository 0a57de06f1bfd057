"""``tf.compat.v1.layers``: conv1d / conv3d / conv2d_transpose / conv3d_transpose / separable_conv1d/2d and the
1-D / 3-D pools (values against the ``tf.nn`` ops run with the layers' own variables, or NumPy; Keras's
output sizes; channels_first), and the layer classes (``Dense``, ``Conv2D``, ``BatchNormalization`` ...:
variables made on the first call and reused after, TF1 names, ``kernel`` / ``bias`` / ``updates``).

TensorFlow 2.21 with Keras 3 no longer ships tf.compat.v1.layers (it needs tf_keras); the references are
the tf.nn ops and NumPy."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
rng = np.random.RandomState(0)


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def run(fetches, feed=None):
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        return sess.run(fetches, feed)


def var(name):
    return next(v for v in v1.global_variables() if v.name.split(":")[0] == name)


def test_conv1d_conv3d_against_tf_nn(graph):
    x1 = tf.constant(rng.randn(2, 6, 3).astype(np.float32))
    x3 = tf.constant(rng.randn(1, 4, 5, 4, 2).astype(np.float32))
    y1 = v1.layers.conv1d(x1, 4, 3, strides=2, padding="same", bias_initializer=v1.constant_initializer(0.5))
    y3 = v1.layers.conv3d(x3, 3, (2, 3, 2), dilation_rate=(1, 2, 1), activation=tf.nn.relu)
    ref1 = tf.nn.conv1d(x1, var("conv1d/kernel"), 2, "SAME") + var("conv1d/bias")
    ref3 = tf.nn.relu(tf.nn.conv3d(x3, var("conv3d/kernel"), [1] * 5, "VALID", dilations=[1, 1, 2, 1, 1]))
    got1, want1, got3, want3 = run([y1, ref1, y3, ref3])
    assert var("conv1d/kernel").shape == (3, 3, 4) and var("conv3d/kernel").shape == (2, 3, 2, 2, 3)
    assert got1.shape == (2, 3, 4) and got3.shape == (1, 3, 1, 3, 3)
    np.testing.assert_allclose(got1, want1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got3, want3, rtol=1e-5, atol=1e-6)


def test_transposed_convolutions_sizes_and_values(graph):
    x = v1.placeholder(tf.float32, [None, 4, 5, 2])
    same = v1.layers.conv2d_transpose(x, 3, 3, strides=2, padding="same", name="same")
    valid = v1.layers.conv2d_transpose(x, 3, (3, 2), strides=(2, 3), name="valid")
    assert same.shape.as_list() == [None, 8, 10, 3] and valid.shape.as_list() == [None, 9, 15, 3]
    assert var("same/kernel").shape == (3, 3, 3, 2)
    ref = tf.nn.conv2d_transpose(x, var("same/kernel"), tf.stack([tf.shape(x)[0], 8, 10, 3]), [1, 2, 2, 1])
    ref = ref + var("same/bias")
    x3 = tf.constant(rng.randn(1, 2, 3, 2, 2).astype(np.float32))
    y3 = v1.layers.conv3d_transpose(x3, 4, 2, strides=2)
    values = rng.randn(2, 4, 5, 2).astype(np.float32)
    got, want, got3 = run([same, ref, y3], {x: values})
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert got3.shape == (1, 4, 6, 4, 4)


def test_separable_convolutions(graph):
    x = tf.constant(rng.randn(2, 5, 5, 3).astype(np.float32))
    y = v1.layers.separable_conv2d(x, 4, 3, depth_multiplier=2, padding="same")
    ref = tf.nn.separable_conv2d(
        x, var("separable_conv2d/depthwise_kernel"), var("separable_conv2d/pointwise_kernel"), [1, 1, 1, 1], "SAME"
    )
    x1 = tf.constant(rng.randn(2, 7, 3).astype(np.float32))
    y1 = v1.layers.separable_conv1d(x1, 2, 3)
    ref1 = tf.nn.separable_conv2d(
        x1[:, None],
        var("separable_conv1d/depthwise_kernel")[None],
        var("separable_conv1d/pointwise_kernel")[None],
        [1, 1, 1, 1],
        "VALID",
    )[:, 0]
    assert var("separable_conv2d/depthwise_kernel").shape == (3, 3, 3, 2)
    assert var("separable_conv2d/pointwise_kernel").shape == (1, 1, 6, 4)
    assert var("separable_conv1d/pointwise_kernel").shape == (1, 3, 2)
    got, want, got1, want1 = run([y, ref, y1, ref1])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got1, want1, rtol=1e-5, atol=1e-5)


def test_pools_1d_3d_and_channels_first(graph):
    a = rng.randn(2, 6, 3).astype(np.float32)
    b = rng.randn(1, 4, 4, 4, 2).astype(np.float32)
    m1 = v1.layers.max_pooling1d(a, 2, 2)
    a1 = v1.layers.average_pooling1d(a, 3, 1)
    m3 = v1.layers.max_pooling3d(b, 2, 2)
    first = v1.layers.average_pooling3d(b.transpose(0, 4, 1, 2, 3), 2, 2, data_format="channels_first")
    conv_first = v1.layers.conv1d(a.transpose(0, 2, 1), 2, 3, data_format="channels_first", name="cf")
    conv_last = tf.nn.conv1d(a, var("cf/kernel"), 1, "VALID") + var("cf/bias")
    got = run([m1, a1, m3, first, conv_first, conv_last])
    np.testing.assert_allclose(got[0], a.reshape(2, 3, 2, 3).max(2), rtol=1e-6)
    np.testing.assert_allclose(got[1], np.stack([a[:, i : i + 3].mean(1) for i in range(4)], 1), rtol=1e-5)
    np.testing.assert_allclose(got[2], b.reshape(1, 2, 2, 2, 2, 2, 2, 2).max(axis=(2, 4, 6)), rtol=1e-6)
    mean3 = b.reshape(1, 2, 2, 2, 2, 2, 2, 2).mean(axis=(2, 4, 6))
    np.testing.assert_allclose(got[3], mean3.transpose(0, 4, 1, 2, 3), rtol=1e-5)
    np.testing.assert_allclose(got[4], got[5].transpose(0, 2, 1), rtol=1e-5, atol=1e-6)


def test_layer_classes_build_once_and_reuse(graph):
    x = v1.placeholder(tf.float32, [None, 4, 4, 2])
    conv = v1.layers.Conv2D(3, 2, padding="same", activation=tf.nn.relu)
    first, second = conv(x), conv(x * 2.0)
    other = v1.layers.Conv2D(3, 2)
    other(x)
    assert conv.name == "conv2d" and other.name == "conv2d_1"
    assert [v.name.split(":")[0] for v in conv.trainable_variables] == ["conv2d/kernel", "conv2d/bias"]
    assert conv.kernel is var("conv2d/kernel") and conv.bias is var("conv2d/bias")
    assert len(v1.trainable_variables()) == 4
    dense = v1.layers.Dense(5, use_bias=False)
    out = dense(v1.layers.Flatten()(first))
    assert dense.bias is None and dense.kernel.shape == (48, 5) and out.shape.as_list() == [None, 5]
    values = rng.rand(2, 4, 4, 2).astype(np.float32)
    a, b = run([first, second], {x: values})
    np.testing.assert_allclose(b, 2 * a, rtol=1e-5, atol=1e-6)  # relu(2 W x + b) with a zero bias


def test_batch_normalization_and_dropout_classes(graph):
    x = v1.placeholder(tf.float32, [None, 3])
    training = v1.placeholder_with_default(False, [])
    bn = v1.layers.BatchNormalization(momentum=0.5)
    bn(x, training=training)
    assert [v.name.split(":")[0] for v in bn.variables] == [
        "batch_normalization/gamma",
        "batch_normalization/beta",
        "batch_normalization/moving_mean",
        "batch_normalization/moving_variance",
    ]
    assert len(bn.updates) == 2 and len(bn.trainable_variables) == 2
    drop = v1.layers.Dropout(0.5, seed=1)
    dropped = drop(tf.ones([1000]), training=True)
    kept = drop(tf.ones([4]))
    values = np.array([[1.0, 2.0, 3.0], [3.0, 6.0, 9.0]], np.float32)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(bn.updates, {x: values, training: True})
        mean = sess.run(bn.moving_mean)
        d, k = sess.run([dropped, kept])
    np.testing.assert_allclose(mean, 0.5 * values.mean(0), rtol=1e-6)
    assert set(np.unique(d)) <= {0.0, 2.0} and 0.4 < (d == 0).mean() < 0.6 and k.tolist() == [1.0] * 4


def test_classes_train_a_small_cnn(graph):
    rs = np.random.RandomState(3)
    images = rs.rand(32, 6, 6, 1).astype(np.float32)
    labels = (images[:, :3].mean(axis=(1, 2, 3)) > images[:, 3:].mean(axis=(1, 2, 3))).astype(np.int64)
    x = v1.placeholder(tf.float32, [None, 6, 6, 1])
    y = v1.placeholder(tf.int64, [None])
    h = v1.layers.Conv2D(
        4, 3, padding="same", activation=tf.nn.relu, kernel_initializer=v1.glorot_uniform_initializer(seed=1)
    )(x)
    h = v1.layers.MaxPooling2D(2, 2)(h)
    logits = v1.layers.Dense(2, kernel_initializer=v1.glorot_uniform_initializer(seed=2))(v1.layers.Flatten()(h))
    loss = tf.reduce_mean(v1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = v1.train.AdamOptimizer(0.05).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        first = sess.run(loss, {x: images, y: labels})
        for _ in range(80):
            sess.run(train, {x: images, y: labels})
        last = sess.run(loss, {x: images, y: labels})
    assert last < 0.5 * first
