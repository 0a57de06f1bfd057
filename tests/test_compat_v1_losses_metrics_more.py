"""More of ``tf.compat.v1``'s losses, metrics and initializers: ``losses.cosine_distance`` and
``mean_pairwise_squared_error`` (eager and graph values as TensorFlow 2.21 gives them), the streaming metrics
``mean_iou``, ``mean_per_class_accuracy``, ``mean_tensor``, ``mean_relative_error``, ``mean_cosine_distance``,
``percentage_below`` and the per-threshold ones over two batches, and the orthogonal / identity /
uniform-unit-scaling / he / lecun initializers.

The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
LABELS = np.array([[0.0, 1, 3], [2, 3, 1]])
PREDS = np.array([[1.0, 1, 0], [2, 5, 2]])


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_mean_pairwise_squared_error_eagerly():
    assert v1.losses.mean_pairwise_squared_error(LABELS, PREDS).numpy() == pytest.approx(5.133333, rel=1e-6)
    weights = [[1.0], [2.0]]
    assert v1.losses.mean_pairwise_squared_error(LABELS, PREDS, weights=weights).numpy() == pytest.approx(12.666667)
    full = np.array([[1.0, 0, 1], [2, 2, 2]])
    assert v1.losses.mean_pairwise_squared_error(LABELS, PREDS, weights=full).numpy() == pytest.approx(44.0)
    scaled = v1.losses.mean_pairwise_squared_error(LABELS, PREDS, weights=tf.constant(2.0))
    assert scaled.numpy() == pytest.approx(10.266666, rel=1e-6)


def test_mean_pairwise_squared_error_in_a_graph(graph):
    loss = v1.losses.mean_pairwise_squared_error(LABELS, PREDS)
    assert v1.losses.get_losses() == [loss]
    with v1.Session() as sess:
        assert sess.run(loss) == pytest.approx(10.666667, rel=1e-6)


def test_cosine_distance():
    labels, preds = [[0.6, 0.8], [1.0, 0.0]], [[0.6, 0.8], [0.0, 1.0]]
    assert v1.losses.cosine_distance(labels, preds, axis=1).numpy() == pytest.approx(0.5)
    none = v1.losses.cosine_distance(labels, preds, axis=1, reduction=v1.losses.Reduction.NONE)
    np.testing.assert_allclose(none.numpy(), [[0.0], [1.0]], atol=1e-6)
    assert v1.losses.cosine_distance(labels, preds, dim=1, weights=[[1.0], [0.0]]).numpy() == pytest.approx(0.0)
    with pytest.raises(ValueError, match="You must specify argument `axis`"):
        v1.losses.cosine_distance([[1.0]], [[1.0]])


def test_streaming_metrics(graph):
    lab = v1.placeholder(tf.int64, [None])
    pred = v1.placeholder(tf.int64, [None])
    w = v1.placeholder(tf.float32, [None])
    f = v1.placeholder(tf.float32, [None])
    flags = v1.placeholder(tf.bool, [None])
    metrics = [
        v1.metrics.mean_iou(lab, pred, 4),
        v1.metrics.mean_iou(lab, pred, 4, weights=w),
        v1.metrics.mean_per_class_accuracy(lab, pred, 4),
        v1.metrics.mean_tensor(tf.reshape(f, [2, 2])),
        v1.metrics.mean_relative_error(f, f * 1.5, tf.ones_like(f) * 2.0),
        v1.metrics.mean_cosine_distance(tf.reshape(f, [2, 2]), tf.reshape(f, [2, 2]) * 0.5, 1),
        v1.metrics.percentage_below(f, 2.5),
        v1.metrics.true_positives_at_thresholds(flags, f / 4.0, [0.3, 0.6]),
        v1.metrics.precision_at_thresholds(flags, f / 4.0, [0.3, 0.6]),
        v1.metrics.recall_at_thresholds(flags, f / 4.0, [0.3, 0.6]),
    ]
    assert len(v1.local_variables()) == 17
    batches = [
        {
            lab: [0, 1, 1, 2],
            pred: [0, 1, 2, 2],
            w: [1.0, 2.0, 0.0, 1.0],
            f: [1.0, 2.0, 3.0, 4.0],
            flags: [False, True, True, False],
        },
        {
            lab: [3, 1, 0, 0],
            pred: [3, 0, 0, 1],
            w: [1.0] * 4,
            f: [0.5, 3.0, 3.5, 1.0],
            flags: [True, True, False, False],
        },
    ]
    with v1.Session() as sess:
        sess.run(v1.local_variables_initializer())
        first = sess.run([m[1] for m in metrics], batches[0])
        second = sess.run([m[1] for m in metrics], batches[1])
        values = sess.run([m[0] for m in metrics])
    np.testing.assert_allclose(first[0], [[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
    np.testing.assert_allclose(second[1], [[2, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    np.testing.assert_allclose(first[2], [1.0, 0.5, 1.0, 0.0])
    np.testing.assert_allclose(second[3], [[0.75, 2.5], [3.25, 2.5]])
    assert first[4] == pytest.approx(0.625) and first[5] == pytest.approx(-6.5) and first[6] == pytest.approx(0.5)
    np.testing.assert_allclose(first[7], [2.0, 1.0])
    np.testing.assert_allclose(first[8], [0.6666667, 0.5], rtol=1e-6)
    want = [0.5625, 0.75, 0.75, [[0.75, 2.5], [3.25, 2.5]], 0.5625, -5.5625, 0.5, [3.0, 2.0], [0.6, 0.5], [0.75, 0.5]]
    for got, expected in zip(values, want):
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_metrics_need_a_graph():
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        v1.metrics.mean_iou([0], [0], 2)


def test_initializers():
    q = v1.orthogonal_initializer(seed=1)([3, 5]).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-5)
    q = v1.initializers.orthogonal(gain=2.0, seed=2)([2, 3, 4]).numpy().reshape(6, 4)
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(4), atol=1e-4)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        v1.orthogonal_initializer()([3])
    np.testing.assert_allclose(v1.initializers.identity(2.0)([2, 3]).numpy(), [[2, 0, 0], [0, 2, 0]])
    with pytest.raises(ValueError, match="must be at least two-dimensional"):
        v1.initializers.identity()([2, 2, 2])
    u = v1.uniform_unit_scaling_initializer(factor=2.0, seed=3)([4, 5, 1000]).numpy()
    limit = 2.0 * np.sqrt(3.0 / 20.0)
    assert np.abs(u).max() <= limit and np.abs(u).max() > 0.95 * limit
    he = v1.initializers.he_normal(seed=4)([400, 300]).numpy()
    assert he.std() == pytest.approx(np.sqrt(2.0 / 400), rel=0.05)
    lecun = v1.initializers.lecun_uniform(seed=5)([400, 300]).numpy()
    assert np.abs(lecun).max() <= np.sqrt(3.0 / 400) and lecun.std() == pytest.approx(np.sqrt(1.0 / 400), rel=0.05)
    assert v1.initializers.he_uniform(seed=6)([100, 10]).numpy().max() <= np.sqrt(6.0 / 100)
    assert v1.initializers.lecun_normal(seed=7)([100, 10]).shape == (100, 10)
