"""A TF1-style training script written against ``import tensorflow.compat.v1 as tf`` in a graph: logging,
variable scopes with a regularizer, ``nn.xw_plus_b``, ``nn.dropout`` on a ``keep_prob`` fed by
``placeholder_with_default``, losses with the regularization loss, a decayed learning rate on the global step,
an exponential moving average after each step, streaming metrics, asserts in control dependencies, ``where``
and ``to_float``. The file passes unchanged under TensorFlow 2.21 with the import swapped (the script uses only
functions both provide)."""

import numpy as np
import pytest

import ferroflow

tf = ferroflow.compat.v1


@pytest.fixture
def graph_mode():
    verbosity = tf.logging.get_verbosity()
    try:
        with tf.Graph().as_default():
            yield
    finally:
        tf.logging.set_verbosity(verbosity)


def test_tf1_training_script(graph_mode):
    tf.logging.set_verbosity(tf.logging.ERROR)
    tf.set_random_seed(1)
    rng = np.random.RandomState(0)
    data = rng.randn(200, 4).astype(np.float32)
    labels = (data[:, 0] + 0.5 * data[:, 1] > 0).astype(np.int64)

    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
    with tf.variable_scope("model", regularizer=lambda w: 1e-4 * tf.reduce_sum(tf.square(w))):
        w1 = tf.get_variable("w1", [4, 16], initializer=tf.truncated_normal_initializer(stddev=0.1))
        b1 = tf.get_variable("b1", [16], initializer=tf.zeros_initializer(), regularizer=tf.no_regularizer)
        hidden = tf.nn.relu(tf.nn.xw_plus_b(x, w1, b1))
        hidden = tf.nn.dropout(hidden, keep_prob)
        with tf.variable_scope("out"):
            w2 = tf.get_variable("kernel", [16, 2])
            b2 = tf.get_variable("bias", [2], initializer=tf.zeros_initializer())
        logits = tf.matmul(hidden, w2) + b2
    with tf.control_dependencies([tf.assert_non_negative(y), tf.assert_less(y, tf.constant(2, tf.int64))]):
        data_loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    total_loss = tf.losses.get_total_loss()
    global_step = tf.train.get_or_create_global_step()
    learning_rate = tf.train.exponential_decay(0.5, global_step, 50, 0.5, staircase=True)
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(total_loss, global_step=global_step)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=global_step)
    with tf.control_dependencies([train_op]):
        train_and_average = ema.apply(tf.trainable_variables())
    predictions = tf.argmax(logits, axis=1)
    accuracy, update_accuracy = tf.metrics.accuracy(labels=y, predictions=predictions)
    confident = tf.reduce_mean(tf.to_float(tf.where(tf.reduce_max(tf.nn.softmax(logits), 1) > 0.9)[:, 0] >= 0))

    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3  # all but b1
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        first = sess.run(data_loss, {x: data, y: labels})
        for _ in range(100):
            sess.run(train_and_average, {x: data, y: labels, keep_prob: 0.9})
        last, lr, step = sess.run([data_loss, learning_rate, global_step], {x: data, y: labels})
        sess.run(update_accuracy, {x: data, y: labels})
        acc = sess.run(accuracy)
        assert sess.run(confident, {x: data}) == 1.0
        averaged = sess.run(ema.average(w1))
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(data_loss, {x: data[:2], y: [0, 3]})
    assert step == 100 and lr == pytest.approx(0.125)
    assert last < 0.5 * first and acc > 0.9
    assert averaged.shape == (4, 16) and np.isfinite(averaged).all()
