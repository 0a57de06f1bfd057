"""Crossentropy losses against NumPy versions of Keras 3's formulas; the logits path; gradients; label checks."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import losses
from ferroflow.framework.graph import Graph
from ferroflow.framework.ops import apply
from graph_runner import run_in_graph

EPS = 1e-7
rng = np.random.default_rng(2)


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def log_softmax(x):
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def ref_bce(t, p, from_logits=False, smoothing=0.0):
    t = t * (1 - smoothing) + 0.5 * smoothing
    if from_logits:
        return np.mean(np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p))), -1)
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), -1)


def ref_cce(t, p, from_logits=False, smoothing=0.0):
    t = t * (1 - smoothing) + smoothing / t.shape[-1]
    if from_logits:
        return -np.sum(t * log_softmax(p), -1)
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -np.sum(t * np.log(p), -1)


def ref_scce(labels, p, from_logits=False):
    labels = np.asarray(labels).reshape(-1).astype(np.int64)
    logits = p if from_logits else np.log(np.clip(p, EPS, 1 - EPS))
    return -log_softmax(logits)[np.arange(len(labels)), labels]


def probs(shape):
    return softmax(rng.standard_normal(shape) * 2).astype(np.float32)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_binary_crossentropy(from_logits, smoothing):
    t = rng.integers(0, 2, (8, 3)).astype(np.float32)
    p = rng.standard_normal((8, 3)).astype(np.float32) if from_logits else rng.random((8, 3)).astype(np.float32)
    want = ref_bce(t.astype(np.float64), p.astype(np.float64), from_logits, smoothing)
    fn = losses.binary_crossentropy
    np.testing.assert_allclose(fn(t, p, from_logits=from_logits, label_smoothing=smoothing).numpy(), want, rtol=1e-5)
    loss = losses.BinaryCrossentropy(from_logits=from_logits, label_smoothing=smoothing)
    w = rng.random(8).astype(np.float32)
    np.testing.assert_allclose(loss(t, p, sample_weight=w).numpy(), np.mean(want * w), rtol=1e-5)
    np.testing.assert_allclose(run_in_graph(lambda a, b: loss(a, b), t, p), np.mean(want), rtol=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_categorical_crossentropy(from_logits, smoothing):
    t = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 7)]
    p = rng.standard_normal((7, 5)).astype(np.float32) if from_logits else rng.random((7, 5)).astype(np.float32)
    want = ref_cce(t.astype(np.float64), p.astype(np.float64), from_logits, smoothing)
    got = losses.categorical_crossentropy(t, p, from_logits=from_logits, label_smoothing=smoothing)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    loss = losses.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=smoothing, reduction="sum")
    np.testing.assert_allclose(loss(t, p).numpy(), want.sum(), rtol=1e-5)
    np.testing.assert_allclose(run_in_graph(lambda a, b: loss(a, b), t, p), want.sum(), rtol=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_form", ["int32", "int64", "float32", "column"])
def test_sparse_categorical_crossentropy_label_forms(from_logits, label_form):
    labels = rng.integers(0, 4, 9)
    y = {"int32": labels.astype(np.int32), "int64": labels, "float32": labels.astype(np.float32),
         "column": labels.astype(np.int32)[:, None]}[label_form]
    p = rng.standard_normal((9, 4)).astype(np.float32) if from_logits else probs((9, 4))
    want = ref_scce(labels, p.astype(np.float64), from_logits)
    got = losses.sparse_categorical_crossentropy(y, p, from_logits=from_logits)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    w = rng.random(9).astype(np.float32)
    np.testing.assert_allclose(loss(y, p, sample_weight=w).numpy(), np.mean(want * w), rtol=1e-5)
    np.testing.assert_allclose(run_in_graph(lambda a, b: loss(a, b), y, p), np.mean(want), rtol=1e-5)


def test_sparse_crossentropy_ignore_class_averages_over_the_other_labels():
    labels = np.array([0, 2, -1, 1, -1], np.int32)
    p = probs((5, 3))
    per = ref_scce(np.where(labels < 0, 0, labels), p.astype(np.float64))
    valid = labels >= 0
    got = losses.sparse_categorical_crossentropy(labels, p, ignore_class=-1).numpy()
    np.testing.assert_allclose(got, np.where(valid, per, 0.0), rtol=1e-5)
    mean = losses.SparseCategoricalCrossentropy(ignore_class=-1)(labels, p).numpy()
    np.testing.assert_allclose(mean, per[valid].sum() / valid.sum(), rtol=1e-5)


def test_sparse_labels_out_of_range_name_the_bad_value():
    p = probs((3, 4))
    for bad in (4, -2):
        with pytest.raises(tf.errors.InvalidArgumentError, match=f"label value {bad} is outside the valid range"):
            losses.SparseCategoricalCrossentropy()(np.array([0, bad, 1]), p)


def test_sparse_label_shape_mismatch_is_explained():
    with pytest.raises(ValueError, match="target.shape"):
        losses.sparse_categorical_crossentropy(np.zeros((3, 2), np.int32), probs((3, 4)))


def _graph_with_softmax(logits, labels, loss, activation="softmax"):
    graph = Graph()
    with graph.as_default():
        x = apply("placeholder", [], {"dtype": "float32", "shape": [None, logits.shape[1]]})
        y = apply("placeholder", [], {"dtype": str(labels.dtype), "shape": [None] + list(labels.shape[1:])})
        probs_node = tf.nn.softmax(x) if activation == "softmax" else tf.sigmoid(x)
        out = loss(y, probs_node)
    value = graph._g.compile([out.node], [x.node, y.node]).run([logits, labels])[0].numpy()
    return graph, x, value


def test_sparse_crossentropy_on_a_softmax_node_uses_the_fused_logits_op():
    logits = (rng.standard_normal((6, 5)) * 3).astype(np.float32)
    labels = rng.integers(0, 5, 6).astype(np.int32)
    graph, x, value = _graph_with_softmax(logits, labels, losses.SparseCategoricalCrossentropy())
    fused = [t for t in graph.get_operations() if t.type == "SparseSoftmaxCrossEntropyWithLogits"]
    assert len(fused) == 1 and fused[0].inputs[0].node == x.node
    assert not any(t.type == "Log" for t in graph.get_operations())
    eager = losses.SparseCategoricalCrossentropy()(labels, softmax(logits.astype(np.float64)).astype(np.float32))
    np.testing.assert_allclose(value, float(eager), rtol=1e-4)
    np.testing.assert_allclose(value, ref_scce(labels, logits.astype(np.float64), True).mean(), rtol=1e-5)


def test_logits_path_is_exact_where_clipping_saturates():
    logits = np.array([[30.0, 0.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
    labels = np.array([1, 2], np.int32)
    exact = ref_scce(labels, logits.astype(np.float64), True)
    _, _, value = _graph_with_softmax(logits, labels, losses.SparseCategoricalCrossentropy(reduction="sum"))
    np.testing.assert_allclose(value, exact.sum(), rtol=1e-5)  # about 31.1; clipping caps at -log(1e-7) = 16.1
    onehot = np.eye(3, dtype=np.float32)[labels]
    _, _, value = _graph_with_softmax(logits, onehot, losses.CategoricalCrossentropy(reduction="sum"))
    np.testing.assert_allclose(value, exact.sum(), rtol=1e-5)


def test_binary_crossentropy_on_a_sigmoid_node_uses_the_logits():
    logits = np.array([[20.0], [-3.0], [0.5]], np.float32)
    t = np.array([[0.0], [1.0], [1.0]], np.float32)
    _, _, value = _graph_with_softmax(logits, t, losses.BinaryCrossentropy(), activation="sigmoid")
    np.testing.assert_allclose(value, ref_bce(t, logits.astype(np.float64), True).mean(), rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda logits, y: losses.SparseCategoricalCrossentropy()(y, tf.nn.softmax(logits)),
    lambda logits, y: losses.CategoricalCrossentropy()(tf.one_hot(y, 4), tf.nn.softmax(logits)),
    lambda logits, y: losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits),
])
def test_crossentropy_gradient_matches_finite_differences(make):
    logits0 = rng.standard_normal((3, 4))
    y = tf.constant(np.array([0, 3, 1], np.int32))
    x = tf.Variable(logits0.astype(np.float32))
    with tf.GradientTape() as tape:
        loss = make(x, y)
    grad = tape.gradient(loss, x).numpy()
    analytic = (softmax(logits0) - np.eye(4)[[0, 3, 1]]) / 3
    np.testing.assert_allclose(grad, analytic, atol=1e-5)
    h, numeric = 1e-2, np.zeros_like(logits0)
    for i in np.ndindex(*logits0.shape):
        d = np.zeros_like(logits0)
        d[i] = h
        up = float(make(tf.constant((logits0 + d).astype(np.float32)), y))
        down = float(make(tf.constant((logits0 - d).astype(np.float32)), y))
        numeric[i] = (up - down) / (2 * h)
    np.testing.assert_allclose(grad, numeric, atol=2e-3)


def test_symbolic_gradient_through_the_softmax_path_is_softmax_minus_onehot():
    logits = rng.standard_normal((4, 3)).astype(np.float32)
    labels = np.array([2, 0, 1, 1], np.int32)

    def fn(x, y):
        loss = losses.SparseCategoricalCrossentropy()(y, tf.nn.softmax(x))
        return [loss, tf.gradients(loss, [x])[0]]

    value, grad = run_in_graph(fn, logits, labels)
    np.testing.assert_allclose(grad, (softmax(logits.astype(np.float64)) - np.eye(3)[labels]) / 4, atol=1e-6)
    np.testing.assert_allclose(value, ref_scce(labels, logits.astype(np.float64), True).mean(), rtol=1e-5)
