"""Keras metrics updated, read and reset inside ``tf.function``, as custom training loops use them.

Every built-in metric with state: a traced ``update_state`` must add to the state at each run (not once at
trace time), ``result()`` in the function is a graph tensor, and after several calls the value equals the
eager metric's on the same batches.
"""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

M = tf.keras.metrics
N, C = 8, 3


def _batch(kind: str, seed: int) -> tuple:
    """(y_true, y_pred) of one batch for metrics taking ``kind`` of inputs."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, C, size=N)
    probs = rng.dirichlet(np.ones(C), size=N).astype(np.float32)
    if kind == "values":
        return None, rng.normal(size=N).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, size=(N, 1)).astype(np.float32), rng.uniform(size=(N, 1)).astype(np.float32)
    if kind == "equal":
        return labels.astype(np.float32), rng.integers(0, C, size=N).astype(np.float32)
    if kind == "categorical":
        return np.eye(C, dtype=np.float32)[labels], probs
    if kind == "sparse":
        return labels.astype(np.int32), probs
    if kind == "classes":
        return labels.astype(np.int32), rng.integers(0, C, size=N).astype(np.int32)
    if kind == "hinge":
        return rng.choice([-1.0, 1.0], size=(N, 2)).astype(np.float32), rng.normal(size=(N, 2)).astype(np.float32)
    if kind == "positive":
        return rng.uniform(0.5, 2.0, size=(N, 2)).astype(np.float32), rng.uniform(0.5, 2.0, size=(N, 2)).astype(
            np.float32
        )
    assert kind == "regression", kind
    y = rng.normal(size=(N, 2)).astype(np.float32)
    return y, (y + 0.5 * rng.normal(size=(N, 2))).astype(np.float32)


CASES = [
    ("Mean", lambda: M.Mean(), "values"),
    ("Sum", lambda: M.Sum(), "values"),
    ("Accuracy", lambda: M.Accuracy(), "equal"),
    ("BinaryAccuracy", lambda: M.BinaryAccuracy(), "binary"),
    ("CategoricalAccuracy", lambda: M.CategoricalAccuracy(), "categorical"),
    ("SparseCategoricalAccuracy", lambda: M.SparseCategoricalAccuracy(), "sparse"),
    ("TopKCategoricalAccuracy", lambda: M.TopKCategoricalAccuracy(k=2), "categorical"),
    ("SparseTopKCategoricalAccuracy", lambda: M.SparseTopKCategoricalAccuracy(k=2), "sparse"),
    ("BinaryCrossentropy", lambda: M.BinaryCrossentropy(), "binary"),
    ("CategoricalCrossentropy", lambda: M.CategoricalCrossentropy(), "categorical"),
    ("SparseCategoricalCrossentropy", lambda: M.SparseCategoricalCrossentropy(), "sparse"),
    ("KLDivergence", lambda: M.KLDivergence(), "categorical"),
    ("Poisson", lambda: M.Poisson(), "positive"),
    ("Hinge", lambda: M.Hinge(), "hinge"),
    ("SquaredHinge", lambda: M.SquaredHinge(), "hinge"),
    ("CategoricalHinge", lambda: M.CategoricalHinge(), "categorical"),
    ("MeanSquaredError", lambda: M.MeanSquaredError(), "regression"),
    ("MeanAbsoluteError", lambda: M.MeanAbsoluteError(), "regression"),
    ("MeanAbsolutePercentageError", lambda: M.MeanAbsolutePercentageError(), "positive"),
    ("MeanSquaredLogarithmicError", lambda: M.MeanSquaredLogarithmicError(), "positive"),
    ("RootMeanSquaredError", lambda: M.RootMeanSquaredError(), "regression"),
    ("LogCoshError", lambda: M.LogCoshError(), "regression"),
    ("CosineSimilarity", lambda: M.CosineSimilarity(), "regression"),
    ("MeanMetricWrapper", lambda: M.MeanMetricWrapper(M.binary_accuracy, threshold=0.3), "binary"),
    ("R2Score", lambda: M.R2Score(), "regression"),
    ("PearsonCorrelation", lambda: M.PearsonCorrelation(), "regression"),
    ("ConcordanceCorrelation", lambda: M.ConcordanceCorrelation(), "regression"),
    ("AUC", lambda: M.AUC(num_thresholds=50), "binary"),
    ("AUC-PR", lambda: M.AUC(num_thresholds=50, curve="PR"), "binary"),
    ("Precision", lambda: M.Precision(), "binary"),
    ("Recall", lambda: M.Recall(thresholds=0.3), "binary"),
    ("TruePositives", lambda: M.TruePositives(), "binary"),
    ("FalsePositives", lambda: M.FalsePositives(), "binary"),
    ("TrueNegatives", lambda: M.TrueNegatives(), "binary"),
    ("FalseNegatives", lambda: M.FalseNegatives(), "binary"),
    ("PrecisionAtRecall", lambda: M.PrecisionAtRecall(0.5, num_thresholds=50), "binary"),
    ("RecallAtPrecision", lambda: M.RecallAtPrecision(0.5, num_thresholds=50), "binary"),
    ("SensitivityAtSpecificity", lambda: M.SensitivityAtSpecificity(0.5, num_thresholds=50), "binary"),
    ("SpecificityAtSensitivity", lambda: M.SpecificityAtSensitivity(0.5, num_thresholds=50), "binary"),
    ("F1Score", lambda: M.F1Score(), "categorical"),
    ("FBetaScore-macro", lambda: M.FBetaScore(average="macro", beta=2.0, threshold=0.4), "categorical"),
    ("MeanIoU", lambda: M.MeanIoU(num_classes=C), "classes"),
    ("IoU", lambda: M.IoU(num_classes=C, target_class_ids=[0, 2]), "classes"),
    ("BinaryIoU", lambda: M.BinaryIoU(threshold=0.5), "binary"),
    ("OneHotIoU", lambda: M.OneHotIoU(num_classes=C, target_class_ids=[1]), "categorical"),
    ("OneHotMeanIoU", lambda: M.OneHotMeanIoU(num_classes=C), "categorical"),
]


def _update(metric, y, p, w):
    if y is None:
        return metric.update_state(p, sample_weight=w)
    return metric.update_state(y, p, sample_weight=w)


@pytest.mark.filterwarnings("ignore:You are passing weight as")
@pytest.mark.parametrize("make,kind", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_traced_updates_accumulate_like_eager_updates(make, kind):
    traced, eager = make(), make()
    returned = []

    @tf.function
    def step(y, p, w):
        update = _update(traced, y, p, w)
        returned.append(update is not None)
        out = traced.result()
        assert out.graph is not None and out.dtype == tf.float32  # a tensor of the traced graph
        return out, update if update is not None else tf.constant(0)

    weights = [None, np.array([1, 2, 0, 1, 3, 1, 1, 2], np.float32), None, None]
    for i, w in enumerate(weights):
        y, p = _batch(kind, seed=10 + i)
        got, got_update = step(y, p, w)
        want_update = _update(eager, y, p, w)
        want = eager.result()
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6, err_msg=f"call {i}")
        # Keras 3: None, except the IoU metrics' confusion matrix so far.
        assert returned[-1] == (want_update is not None)
        if want_update is not None:
            assert got_update.dtype == want_update.dtype
            np.testing.assert_array_equal(got_update.numpy(), want_update.numpy())
    # The state the traced function built is the metric's own: read eagerly it is the same value.
    np.testing.assert_allclose(np.asarray(traced.result()), np.asarray(eager.result()), rtol=1e-5, atol=1e-6)
    assert traced.variables and all(not v.trainable for v in traced.variables)


def test_call_returns_the_running_result_and_each_run_of_one_trace_accumulates():
    train_loss = M.Mean(name="train_loss")
    traces = []

    @tf.function
    def step(x):
        traces.append(1)
        out = train_loss(x)  # the quickstart's `train_loss(loss)`
        assert out.graph is not None and out.shape == () and out.dtype == tf.float32
        return out

    got = [float(step(tf.constant([v, v + 1.0]))) for v in range(5)]
    assert len(traces) == 1
    # Running means of 0.5, 1.5, ..., 4.5 over the calls so far.
    np.testing.assert_allclose(got, [0.5, 1.0, 1.5, 2.0, 2.5], rtol=1e-6)
    assert float(train_loss.result()) == pytest.approx(2.5)


def test_eager_updates_before_and_after_the_traced_ones_share_one_state():
    m = M.Sum()
    m.update_state([1.0, 2.0])

    @tf.function
    def add(x):
        m.update_state(x)

    add(tf.constant([10.0]))
    m.update_state(100.0)
    add(tf.constant([1000.0]))
    assert float(m.result()) == 1113.0


def test_reset_state_between_epochs_outside_and_inside_the_function():
    acc = M.SparseCategoricalAccuracy()
    y = np.array([0, 1, 2, 1], np.int32)
    right = np.eye(3, dtype=np.float32)[y]
    wrong = np.eye(3, dtype=np.float32)[(y + 1) % 3]

    @tf.function
    def step(labels, predictions):
        acc.update_state(labels, predictions)
        return acc.result()

    @tf.function
    def reset():
        acc.reset_state()
        return acc.result()

    assert float(step(y, right)) == 1.0 and float(step(y, wrong)) == 0.5
    acc.reset_state()  # eagerly, between epochs
    assert float(acc.result()) == 0.0
    assert float(step(y, wrong)) == 0.0 and float(step(y, right)) == 0.5
    assert float(reset()) == 0.0  # in the graph, read after the reset in program order
    assert float(acc.result()) == 0.0
    assert float(step(y, right)) == 1.0

    @tf.function
    def epoch(labels, predictions):
        acc.reset_state()
        before = acc.result()
        acc.update_state(labels, predictions)
        return before, acc.result()

    before, after = epoch(y, wrong)
    assert float(before) == 0.0 and float(after) == 0.0
    before, after = epoch(y, right)
    assert float(before) == 0.0 and float(after) == 1.0


def test_result_inside_the_function_follows_program_order_and_keeps_its_shape():
    f1, eager = M.F1Score(), M.F1Score()  # average=None: one score per class

    @tf.function
    def step(y, p):
        before = f1.result()
        f1.update_state(y, p)
        return before, f1.result()

    y, p = _batch("categorical", seed=3)
    with pytest.raises(ValueError, match="before any update_state"):
        step(y, p)  # its state is sized by the first batch (TensorFlow fails too)
    for metric in (f1, eager):
        metric.update_state(y, p)
    for seed in (4, 5):
        y, p = _batch("categorical", seed=seed)
        before, after = step(y, p)
        assert before.shape == after.shape == (C,)
        np.testing.assert_allclose(before.numpy(), eager.result().numpy(), rtol=1e-6)
        eager.update_state(y, p)
        np.testing.assert_allclose(after.numpy(), eager.result().numpy(), rtol=1e-6)


def test_updates_inside_a_gradient_tape_leave_the_gradients_alone():
    w = tf.Variable(2.0)
    m = M.Mean()

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = w * x
            m.update_state(loss)
        return tape.gradient(loss, w)

    assert float(step(tf.constant(3.0))) == 3.0 and float(step(tf.constant(5.0))) == 5.0
    assert float(m.result()) == 8.0


def test_errors_at_trace_time_are_those_of_tensorflow():
    acc = M.SparseCategoricalAccuracy()

    @tf.function
    def mismatched(y, p):
        acc.update_state(y, p)

    # TensorFlow: ValueError "Dimensions must be equal, but are 2 and 3".
    with pytest.raises(ValueError):
        mismatched(tf.constant([0, 1]), tf.constant([[0.1, 0.9], [0.3, 0.7], [0.5, 0.5]]))
    mean = M.Mean()

    @tf.function
    def weighted(x, w):
        mean.update_state(x, sample_weight=w)

    with pytest.raises(ValueError, match="sample_weight"):
        weighted(tf.constant([[1.0, 2.0]]), tf.constant([[[1.0, 2.0, 3.0]]]))

    @tf.function
    def missing(y):
        acc.update_state(y)

    with pytest.raises(TypeError):
        missing(tf.constant([0]))
    # A failed trace leaves the state as it was.
    assert float(acc.result()) == 0.0 and float(mean.result()) == 0.0


def test_a_metric_built_during_a_trace_starts_empty_and_accumulates_per_run():
    made = []

    @tf.function
    def step(x):
        if not made:  # built once, at trace time, as Keras code that creates metrics lazily does
            made.append(M.Mean())
        made[0].update_state(x)
        return made[0].result()

    assert float(step(tf.constant([2.0]))) == 2.0 and float(step(tf.constant([4.0]))) == 3.0
    made[0].reset_state()
    assert float(made[0].result()) == 0.0 and float(step(tf.constant([5.0]))) == 5.0
    # Built in a trace but used only eagerly: its totals stay plain (no graph op was added for its __init__).
    holder = []

    @tf.function
    def build(x):
        holder.append(M.AUC(num_thresholds=5))
        return x

    build(tf.constant(1.0))
    holder[0].update_state([0, 1], [0.2, 0.8])
    assert holder[0].variables == [] and float(holder[0].result()) == 1.0
