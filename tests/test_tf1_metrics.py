"""tf.compat.v1.metrics: streaming (value, update_op) pairs checked against NumPy over several batches,
weights, their LOCAL_VARIABLES, resetting with local_variables_initializer, and eager errors."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

RNG = np.random.default_rng(7)
BATCHES = [
    (RNG.integers(0, 3, size=32), RNG.integers(0, 3, size=32), RNG.uniform(0, 2, size=32).astype(np.float32))
    for _ in range(4)
]


def _stream(build, feed_batches):
    """Runs update_op on each batch, then value; returns (update outputs, final value)."""
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        preds = v1.placeholder(tf.int64, [None])
        weights = v1.placeholder(tf.float32, [None])
        value, update = build(labels, preds, weights)
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            ups = [sess.run(update, {labels: lab, preds: p, weights: w}) for lab, p, w in feed_batches]
            return ups, sess.run(value)


def _cumulative(stat):
    out = []
    for i in range(1, len(BATCHES) + 1):
        lab, p, w = (np.concatenate(parts) for parts in zip(*BATCHES[:i]))
        out.append(stat(lab.astype(np.float64), p.astype(np.float64), w.astype(np.float64)))
    return out


@pytest.mark.parametrize(
    "name, build, stat",
    [
        ("accuracy", lambda lab, p, w: v1.metrics.accuracy(lab, p), lambda lab, p, w: np.mean(lab == p)),
        (
            "weighted accuracy",
            lambda lab, p, w: v1.metrics.accuracy(lab, p, weights=w),
            lambda lab, p, w: np.sum((lab == p) * w) / np.sum(w),
        ),
        (
            "mean",
            lambda lab, p, w: v1.metrics.mean(tf.cast(lab, tf.float32) * 1.5),
            lambda lab, p, w: np.mean(lab * 1.5),
        ),
        (
            "weighted mean",
            lambda lab, p, w: v1.metrics.mean(lab, weights=w),
            lambda lab, p, w: np.sum(lab * w) / np.sum(w),
        ),
        (
            "rmse",
            lambda lab, p, w: v1.metrics.root_mean_squared_error(lab, p),
            lambda lab, p, w: np.sqrt(np.mean((lab - p) ** 2)),
        ),
        ("mse", lambda lab, p, w: v1.metrics.mean_squared_error(lab, p), lambda lab, p, w: np.mean((lab - p) ** 2)),
        (
            "mae",
            lambda lab, p, w: v1.metrics.mean_absolute_error(lab, p, weights=w),
            lambda lab, p, w: np.sum(np.abs(lab - p) * w) / np.sum(w),
        ),
        (
            "precision",
            lambda lab, p, w: v1.metrics.precision(lab > 0, p > 0),
            lambda lab, p, w: np.sum((lab > 0) & (p > 0)) / np.sum(p > 0),
        ),
        (
            "recall",
            lambda lab, p, w: v1.metrics.recall(lab > 0, p > 0),
            lambda lab, p, w: np.sum((lab > 0) & (p > 0)) / np.sum(lab > 0),
        ),
    ],
)
def test_streaming_values_match_numpy(name, build, stat):
    ups, final = _stream(build, BATCHES)
    want = _cumulative(stat)
    np.testing.assert_allclose(ups, want, rtol=1e-5)
    np.testing.assert_allclose(final, want[-1], rtol=1e-5)


def test_local_variables_names_collections_and_reset():
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        preds = v1.placeholder(tf.int64, [None, 1])  # a trailing size-1 axis is squeezed, as in TF1
        acc, acc_up = v1.metrics.accuracy(labels, preds, metrics_collections=["m"], updates_collections=["u"])
        _, rmse_up = v1.metrics.root_mean_squared_error(labels, preds)
        v1.metrics.mean(tf.constant(1.0))
        v1.metrics.mean(tf.constant(1.0))
        names = [v.op.name for v in v1.local_variables()]
        assert names == [
            "accuracy/total",
            "accuracy/count",
            "root_mean_squared_error/total",
            "root_mean_squared_error/count",
            "mean/total",
            "mean/count",
            "mean_1/total",
            "mean_1/count",
        ]
        assert v1.get_collection(v1.GraphKeys.METRIC_VARIABLES) == v1.local_variables()
        assert v1.global_variables() == [] and v1.trainable_variables() == []
        assert v1.get_collection("m") == [acc] and v1.get_collection("u") == [acc_up]
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            assert sess.run(acc) == 0.0  # no batch yet: 0, not NaN
            assert sess.run(acc_up, {labels: [1, 2, 3, 4], preds: [[1], [2], [0], [0]]}) == 0.5
            assert sess.run(acc_up, {labels: [1, 1], preds: [[1], [1]]}) == pytest.approx(4 / 6)
            sess.run(v1.local_variables_initializer())
            assert sess.run(acc) == 0.0
            assert sess.run(acc_up, {labels: [5], preds: [[5]]}) == 1.0
            assert sess.run(rmse_up, {labels: [0, 0], preds: [[3], [4]]}) == pytest.approx(np.sqrt(12.5))


def test_metrics_need_a_graph():
    for metric in (v1.metrics.accuracy, v1.metrics.root_mean_squared_error):
        with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
            metric([1], [1])
    with pytest.raises(RuntimeError, match="tf.metrics.mean is not supported"):
        v1.metrics.mean([1.0])
