"""tf.nn.nce_loss and tf.nn.sampled_softmax_loss: values and gradients against TensorFlow 2.21's outputs
(pasted) for given samples, the full softmax cross-entropy when every class is sampled, float64 finite
differences, and training in tf.function with the default log-uniform sampler."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

W = np.array(
    [
        [2.04, -2.56, 0.42, -0.57],
        [-0.45, -0.22, -2.02, -0.23],
        [-0.87, 3.32, 0.23, -0.35],
        [-0.28, -0.67, -1.06, -0.39],
        [0.48, -0.24, 0.96, -0.2],
        [0.02, 1.55, 0.55, -0.51],
        [-0.18, 0.54, 1.94, -0.27],
        [-0.24, 1.0, -0.89, -0.29],
        [0.88, 0.58, 0.09, 0.67],
        [-2.83, 1.02, -0.96, -1.67],
    ],
    np.float32,
)
B = np.array([-0.65, -0.17, 1.66, 0.66, -1.64, -0.01, -0.62, 0.15, -1.61, 0.24], np.float32)
X = np.array([[-0.8, -1.32, -0.25, 0.42], [1.14, 0.11, -0.55, -0.78], [0.75, 1.63, 0.27, -1.23]], np.float32)
LABELS = np.array([[1, 2], [3, 9], [0, 5]], np.int64)
SAMPLED = (
    tf.constant([2, 4, 9, 7, 0], tf.int64),
    tf.constant([[0.5, 0.4], [0.3, 0.2], [0.9, 0.25]]),
    tf.constant([0.4, 0.3, 0.2, 0.25, 0.9]),
)


@pytest.mark.parametrize(
    "remove, nce, softmax",
    [  # TensorFlow 2.21
        (False, [7.065713, 9.873756, 18.63296], [2.856641, 2.1378379, 6.728293]),
        (True, [6.827815, 8.858064, 18.543846], [2.843047, 2.0885162, 6.7282577]),
    ],
)
def test_values_match_tensorflow(remove, nce, softmax):
    got = tf.nn.nce_loss(W, B, LABELS, X, 5, 10, num_true=2, sampled_values=SAMPLED, remove_accidental_hits=remove)
    np.testing.assert_allclose(got.numpy(), nce, rtol=1e-5)
    got = tf.nn.sampled_softmax_loss(
        W, B, LABELS, X, 5, 10, num_true=2, sampled_values=SAMPLED, remove_accidental_hits=remove
    )
    np.testing.assert_allclose(got.numpy(), softmax, rtol=1e-5)


def test_one_true_class_and_sharded_weights():
    sampled = (SAMPLED[0], tf.constant([[0.5], [0.3], [0.9]]), SAMPLED[2])
    want = [1.394769, 1.1923989, 10.219695]  # TensorFlow 2.21
    got = tf.nn.sampled_softmax_loss(W, B, LABELS[:, :1], X, 5, 10, sampled_values=sampled)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    shards = tf.nn.sampled_softmax_loss([W[:5], W[5:]], [B[:5], B[5:]], LABELS[:, :1], X, 5, 10, sampled_values=sampled)
    np.testing.assert_allclose(shards.numpy(), want, rtol=1e-5)


def test_gradients_match_tensorflow_and_finite_differences():
    w, x = tf.Variable(W), tf.Variable(X)
    with tf.GradientTape() as tape:
        loss = tf.nn.sampled_softmax_loss(w, B, LABELS, x, 5, 10, num_true=2, sampled_values=SAMPLED)
        total = tf.reduce_sum(loss * [1.0, 2.0, 3.0])
    gw, gx = tape.gradient(total, [w, x])
    # TensorFlow 2.21 (rows 6 and 8 are neither true nor sampled)
    want_x = [
        [-0.674465, -1.266011, -0.096876, -0.722997],
        [2.806476, 0.535111, 1.149571, 1.166474],
        [-5.626219, 11.132099, -0.785179, 0.516122],
    ]
    np.testing.assert_allclose(gx.numpy(), want_x, rtol=1e-5, atol=1e-6)
    gw = tf.convert_to_tensor(gw).numpy()
    np.testing.assert_allclose(gw[2], [3.039189, 5.295798, 0.62708, -4.041589], rtol=1e-5)
    np.testing.assert_allclose(gw[9], [-1.413274, -0.729313, 0.373934, 0.882393], rtol=1e-5)
    np.testing.assert_array_equal(gw[[6, 8]], 0.0)
    for fn in (tf.nn.nce_loss, tf.nn.sampled_softmax_loss):
        loss = lambda w_, x_, f=fn: f(w_, B.astype(np.float64), LABELS, x_, 5, 10, num_true=2, sampled_values=SAMPLED)  # noqa: E731
        check_gradient(loss, W, X, wrt=0)
        check_gradient(loss, W, X, wrt=1)


def test_sampling_every_class_gives_the_full_softmax_cross_entropy():
    rng = np.random.default_rng(0)
    n, classes, dim = 32, 50, 16
    w, b = rng.standard_normal((classes, dim)), rng.standard_normal(classes)
    x = rng.standard_normal((n, dim))
    labels = rng.integers(0, classes, (n, 1))
    everything = tf.random.all_candidate_sampler(tf.constant(labels), 1, classes, True)
    got = tf.nn.sampled_softmax_loss(w, b, labels, x, classes, classes, sampled_values=everything).numpy()
    logits = x @ w.T + b
    full = np.log(np.exp(logits).sum(1)) - logits[np.arange(n), labels[:, 0]]
    np.testing.assert_allclose(got, full, rtol=1e-10)


def test_training_with_the_default_sampler_in_tf_function():
    rng = np.random.default_rng(1)
    classes, dim, n = 200, 8, 64
    centers = rng.standard_normal((classes, dim)).astype(np.float32)
    labels = rng.integers(0, 20, (n, 1)).astype(np.int64)
    x = (centers[labels[:, 0]] + 0.1 * rng.standard_normal((n, dim))).astype(np.float32)
    for loss_fn in (tf.nn.sampled_softmax_loss, tf.nn.nce_loss):
        w = tf.Variable(np.zeros((classes, dim), np.float32))
        b = tf.Variable(np.zeros(classes, np.float32))
        opt = tf.keras.optimizers.SGD(0.5)

        @tf.function
        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(w, b, labels, x, 16, classes))  # noqa: B023
            opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))  # noqa: B023
            return loss

        losses = [float(step()) for _ in range(80)]
        assert np.mean(losses[-5:]) < 0.7 * losses[0]
        if loss_fn is tf.nn.sampled_softmax_loss:  # its logits rank the true class first among all 200
            logits = x @ w.numpy().T + b.numpy()
            assert (logits.argmax(1) == labels[:, 0]).mean() > 0.8


def test_bad_labels():
    with pytest.raises(ValueError, match="num_true"):
        tf.nn.sampled_softmax_loss(W, B, LABELS, X, 5, 10, num_true=1, sampled_values=SAMPLED)
    with pytest.raises(TypeError, match="integer"):
        tf.nn.nce_loss(W, B, LABELS.astype(np.float32), X, 5, 10, num_true=2, sampled_values=SAMPLED)
