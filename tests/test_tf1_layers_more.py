"""``tf.compat.v1.layers`` conv2d, pooling, flatten, dropout and batch_normalization in TF1 graphs.

Convolution and pooling are checked against NumPy; batch normalization against TensorFlow 2.21's
``tf.compat.v1.layers.batch_normalization`` (tf_keras 2.21) on the same inputs: its outputs and moving
averages after one update (the fused 4-D path updates the moving variance with the unbiased variance).
"""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

v1 = tf.compat.v1


def _inputs():
    rng = np.random.RandomState(0)
    return rng.randn(4, 3, 3, 2).astype("float32").round(4), rng.randn(5, 3).astype("float32").round(4)


def _conv_reference(x, k, b, stride, padding, dilation=1):
    kh, kw, _, _ = k.shape
    eh, ew = (kh - 1) * dilation + 1, (kw - 1) * dilation + 1
    if padding == "same":
        oh, ow = -(-x.shape[1] // stride), -(-x.shape[2] // stride)
        ph, pw = max((oh - 1) * stride + eh - x.shape[1], 0), max((ow - 1) * stride + ew - x.shape[2], 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    oh, ow = (x.shape[1] - eh) // stride + 1, (x.shape[2] - ew) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, k.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride : i * stride + eh : dilation, j * stride : j * stride + ew : dilation, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", patch, k)
    return out + b


@pytest.mark.parametrize("stride, padding, dilation", [(1, "valid", 1), (2, "same", 1), (1, "same", 2)])
def test_conv2d_matches_numpy(stride, padding, dilation):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((8, 28, 28, 3)).astype("float32")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 28, 28, 3])
        y = v1.layers.conv2d(
            x,
            16,
            3,
            strides=stride,
            padding=padding.upper(),
            dilation_rate=dilation,
            bias_initializer=v1.random_normal_initializer(),
        )
        names = [v.name for v in v1.trainable_variables()]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            out, kernel, bias = sess.run([y, *v1.trainable_variables()], {x: xs})
    assert names == ["conv2d/kernel:0", "conv2d/bias:0"] and kernel.shape == (3, 3, 3, 16)
    np.testing.assert_allclose(out, _conv_reference(xs, kernel, bias, stride, padding, dilation), rtol=1e-4, atol=1e-4)


def test_conv2d_channels_first_reuse_and_activation():
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((2, 3, 8, 8)).astype("float32")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 3, 8, 8])
        first = v1.layers.conv2d(x, 4, (3, 3), data_format="channels_first", activation=tf.nn.relu, name="c")
        again = v1.layers.conv2d(x, 4, (3, 3), data_format="channels_first", activation="relu", name="c", reuse=True)
        assert first.shape.as_list() == [None, 4, 6, 6] and len(v1.trainable_variables()) == 2
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            a, b, kernel = sess.run([first, again, v1.trainable_variables()[0]], {x: xs})
    want = np.maximum(_conv_reference(xs.transpose(0, 2, 3, 1), kernel, 0.0, 1, "valid"), 0).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(a, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="padding"):
        v1.layers.conv2d(tf.zeros([1, 4, 4, 1]), 1, 2, padding="full")
    with pytest.raises(ValueError, match="ndim=4"):
        v1.layers.conv2d(tf.zeros([4, 4, 1]), 1, 2)


def test_pooling_and_flatten():
    rng = np.random.default_rng(2)
    xs = rng.standard_normal((32, 28, 28, 16)).astype("float32")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 28, 28, 16])
        mx = v1.layers.max_pooling2d(x, 2, 2)
        avg = v1.layers.average_pooling2d(x, (3, 3), (3, 3), padding="valid")
        flat = v1.layers.flatten(mx)
        assert flat.shape.as_list() == [None, 14 * 14 * 16]
        with v1.Session() as sess:
            m, a, f = sess.run([mx, avg, flat], {x: xs})
    np.testing.assert_array_equal(m, xs.reshape(32, 14, 2, 14, 2, 16).max(axis=(2, 4)))
    np.testing.assert_allclose(a, xs[:, :27, :27].reshape(32, 9, 3, 9, 3, 16).mean(axis=(2, 4)), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(f, m.reshape(32, -1))
    nchw = v1.layers.flatten(tf.constant(np.arange(8.0).reshape(1, 2, 2, 2)), data_format="channels_first")
    np.testing.assert_array_equal(nchw.numpy(), np.arange(8.0).reshape(1, 2, 2, 2).transpose(0, 2, 3, 1).reshape(1, 8))


def test_dropout_follows_training():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.ones([100, 100])
        training = v1.placeholder(tf.bool, [])
        off = v1.layers.dropout(x, 0.3)  # training=False by default, as in TF1
        on = v1.layers.dropout(x, 0.3, training=True)
        switch = v1.layers.dropout(x, 0.3, training=training)
        with v1.Session() as sess:
            a, b, c_on = sess.run([off, on, switch], {training: True})
            c_off = sess.run(switch, {training: False})
    np.testing.assert_array_equal(a, np.ones((100, 100)))
    np.testing.assert_array_equal(c_off, np.ones((100, 100)))
    for dropped in (b, c_on):
        assert set(np.unique(dropped)) <= {0.0, np.float32(1 / 0.7)}
        assert 0.25 < np.mean(dropped == 0) < 0.35
    with pytest.raises(ValueError, match="rate"):
        v1.layers.dropout(x, 1.5)


def test_batch_normalization_matches_tensorflow():
    x4_value, x2_value = _inputs()
    graph = tf.Graph()
    with graph.as_default():
        x4 = v1.placeholder(tf.float32, [None, 3, 3, 2])
        x2 = v1.placeholder(tf.float32, [None, 3])
        training = v1.placeholder(tf.bool, [])
        fused = v1.layers.batch_normalization(x4, training=True, momentum=0.9)
        plain = v1.layers.batch_normalization(x2, training=training)
        frozen = v1.layers.batch_normalization(x2, training=False, name="evalbn")
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        assert [u.name.rsplit("/", 1)[0] for u in updates] == [
            "batch_normalization/AssignMovingAvg",
            "batch_normalization/AssignMovingAvg_1",
            "batch_normalization_1/AssignMovingAvg",
            "batch_normalization_1/AssignMovingAvg_1",
        ]
        assert [v.name for v in v1.trainable_variables()] == [
            f"{s}/{n}:0" for s in ("batch_normalization", "batch_normalization_1", "evalbn") for n in ("gamma", "beta")
        ]
        moving = {v.op.name: v for v in v1.global_variables() if "moving" in v.name}
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            feed = {x4: x4_value, x2: x2_value, training: True}
            out4, out2, out_frozen, _ = sess.run([fused, plain, frozen, updates], feed)
            after_one = {k: sess.run(v) for k, v in moving.items()}
            inferred = sess.run(plain, {x2: x2_value, training: False})
            sess.run(updates, {x4: x4_value, x2: x2_value, training: False})  # not training: momentum 1
            after_frozen_step = sess.run(moving["batch_normalization_1/moving_mean"])
    # TensorFlow 2.21's values for the same inputs.
    np.testing.assert_allclose(
        out4.reshape(-1)[:6],
        [
            1.6125813722610474,
            0.4114263355731964,
            0.9026302099227905,
            2.351470708847046,
            1.7061387300491333,
            -1.0404186248779297,
        ],
        rtol=1e-5,
    )
    np.testing.assert_allclose(out2[0], [0.7445845007896423, -1.1761057376861572, 0.7397753596305847], rtol=1e-5)
    np.testing.assert_allclose(inferred[0], [1.1353484392166138, -1.2334794998168945, 0.4054845869541168], rtol=1e-5)
    np.testing.assert_allclose(out_frozen, x2_value / np.sqrt(1.0 + 1e-3), rtol=1e-6)
    np.testing.assert_allclose(
        after_one["batch_normalization/moving_mean"], [-0.001985561102628708, 0.0009841681458055973], rtol=1e-4
    )
    np.testing.assert_allclose(
        after_one["batch_normalization/moving_variance"], [1.025777816772461, 0.9924899339675903], rtol=1e-6
    )
    np.testing.assert_allclose(
        after_one["batch_normalization_1/moving_mean"],
        [0.005064200144261122, 0.0006244003889150918, -0.003398000029847026],
        rtol=1e-4,
    )
    np.testing.assert_allclose(
        after_one["batch_normalization_1/moving_variance"],
        [0.9972168803215027, 1.0021560192108154, 1.0000529289245605],
        rtol=1e-6,
    )
    np.testing.assert_array_equal(after_one["evalbn/moving_mean"], np.zeros(3))
    np.testing.assert_array_equal(after_frozen_step, after_one["batch_normalization_1/moving_mean"])


def test_batch_normalization_gradient_and_errors():
    def normalize(x):
        with v1.variable_scope("grad", reuse=v1.AUTO_REUSE):
            return v1.layers.batch_normalization(x, training=True, name="bn")

    check_gradient(normalize, np.random.default_rng(3).standard_normal((6, 4)))
    with pytest.raises(ValueError, match="undefined"):
        with tf.Graph().as_default():
            v1.layers.batch_normalization(v1.placeholder(tf.float32, [None, None]))
    with pytest.raises(NotImplementedError, match="renorm"):
        v1.layers.batch_normalization(tf.zeros([2, 2]), renorm=True)


def test_cnn_trains_with_update_ops():
    rng = np.random.default_rng(4)
    images = rng.standard_normal((64, 12, 12, 1)).astype("float32") * 2.0 + 3.0
    labels = (images[:, :6].mean(axis=(1, 2, 3)) > images[:, 6:].mean(axis=(1, 2, 3))).astype("int64")
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 12, 12, 1])
        y = v1.placeholder(tf.int64, [None])
        training = v1.placeholder(tf.bool, [])
        h = v1.layers.conv2d(x, 8, 3, padding="same")
        h = tf.nn.relu(v1.layers.batch_normalization(h, training=training))
        h = v1.layers.max_pooling2d(h, 2, 2)
        h = v1.layers.dropout(v1.layers.flatten(h), 0.2, training=training)
        logits = v1.layers.dense(h, 2)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        with tf.control_dependencies(v1.get_collection(v1.GraphKeys.UPDATE_OPS)):
            train = v1.train.AdamOptimizer(0.01).minimize(loss)
        moving_mean = [v for v in v1.global_variables() if v.op.name.endswith("moving_mean")][0]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            first = sess.run(loss, {x: images, y: labels, training: False})
            for _ in range(60):
                sess.run(train, {x: images, y: labels, training: True})
            last = sess.run(loss, {x: images, y: labels, training: False})
            assert np.abs(sess.run(moving_mean)).max() > 0.1  # the update ops ran with the train op
    assert last < 0.5 * first
