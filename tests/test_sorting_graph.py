"""sort, argsort, top_k, unique and unique_with_counts inside tf.function (native ops), against NumPy, with
realistic sizes, sizes known only at run time, gradients against finite differences, and a compiled fit."""

import functools

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


def _both(fn, *args):
    """``fn`` eagerly and traced with unknown shapes; both results as NumPy (checked equal)."""
    eager = tf.nest.map_structure(lambda t: t.numpy(), fn(*args))
    specs = [tf.TensorSpec([None] * np.ndim(a), tf.constant(a).dtype) for a in args]
    traced = tf.function(fn, input_signature=specs)(*args)
    traced = tf.nest.map_structure(lambda t: t.numpy(), traced)
    for e, t in zip(tf.nest.flatten(eager), tf.nest.flatten(traced)):
        np.testing.assert_array_equal(e, t)
    return eager


def test_sort_and_argsort_match_numpy_stable_order():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 20, size=(64, 300)).astype(np.float32)  # many ties
    for direction in ("ASCENDING", "DESCENDING"):
        key = -x if direction == "DESCENDING" else x
        want = np.argsort(key, axis=-1, kind="stable")
        got = _both(functools.partial(tf.argsort, direction=direction), x)
        np.testing.assert_array_equal(got, want)
        got = _both(functools.partial(tf.sort, direction=direction), x)
        np.testing.assert_array_equal(got, np.take_along_axis(x, want, -1))
    got = _both(lambda t: tf.sort(t, axis=0), x)
    np.testing.assert_array_equal(got, np.sort(x, axis=0))


def test_integer_and_nan_inputs():
    ints = np.array([[5, -3, 7, -3], [0, 0, 9, 1]], np.int64)
    np.testing.assert_array_equal(_both(tf.sort, ints), np.sort(ints, axis=-1))
    nan = np.array([2.0, np.nan, -1.0], np.float64)
    np.testing.assert_array_equal(_both(tf.argsort, nan), [2, 0, 1])


def test_top_k_values_indices_and_ties():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 1000)).astype(np.float32)
    values, indices = _both(lambda t: tuple(tf.math.top_k(t, k=5)), x)
    want = np.argsort(-x, axis=-1, kind="stable")[:, :5]
    np.testing.assert_array_equal(indices, want)
    np.testing.assert_array_equal(values, np.take_along_axis(x, want, -1))
    assert indices.dtype == np.int32
    v, i = tf.math.top_k(tf.constant([1.0, 3.0, 3.0, 2.0]), k=2)
    assert i.numpy().tolist() == [1, 2] and v.numpy().tolist() == [3.0, 3.0]


def test_top_k_and_sort_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    x0 = rng.normal(size=(4, 9))
    w = rng.normal(size=(4, 3))

    @tf.function
    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(tf.math.top_k(x, k=3).values * w) + tf.reduce_sum(tf.sort(x, axis=0) ** 2 * x0)
        return tape.gradient(loss, x)

    def loss_np(x):
        top = -np.sort(-x, axis=-1)[:, :3]
        return np.sum(top * w) + np.sum(np.sort(x, axis=0) ** 2 * x0)

    np.testing.assert_allclose(grads(tf.constant(x0)).numpy(), numeric_gradient(loss_np, x0), rtol=1e-6, atol=1e-8)


def test_unique_and_counts_in_graphs():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 50, size=5000).astype(np.int32)
    y, idx = _both(lambda t: tuple(tf.unique(t)), x)
    _, first = np.unique(x, return_index=True)
    order = np.sort(first)
    np.testing.assert_array_equal(y, x[order])
    np.testing.assert_array_equal(y[idx], x)
    y2, idx2, count = _both(lambda t: tuple(tf.unique_with_counts(t, out_idx=tf.int64)), x)
    np.testing.assert_array_equal(count, [np.sum(x == v) for v in y2])
    assert idx2.dtype == np.int64
    words = tf.constant(["b", "a", "b", "c"])
    yw, iw = tf.function(tf.unique)(words)
    assert yw.numpy().tolist() == [b"b", b"a", b"c"] and iw.numpy().tolist() == [0, 1, 0, 2]


def test_bad_inputs():
    with pytest.raises(tf.errors.InvalidArgumentError, match="1D"):
        tf.unique(tf.zeros([2, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="k=5"):
        tf.math.top_k(tf.zeros([3]), k=5)
    with pytest.raises(ValueError, match="direction"):
        tf.sort(tf.zeros([3]), direction="UP")
    with pytest.raises(TypeError, match="numeric"):
        tf.function(tf.sort)(tf.constant(["a", "b"]))


def test_top_k_in_a_compiled_model():
    """A Keras model whose loss uses top_k trains under fit's compiled step."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(256, 20)).astype(np.float32)
    y = (x[:, :3].sum(axis=1, keepdims=True) > 0).astype(np.float32)

    def loss(y_true, y_pred):
        per = tf.abs(y_true - y_pred)[:, 0]
        return tf.reduce_mean(tf.math.top_k(per, k=64).values)  # the hardest quarter of the batch

    model = tf.keras.Sequential(
        [tf.keras.Input((20,)), tf.keras.layers.Dense(16, "relu"), tf.keras.layers.Dense(1, "sigmoid")]
    )
    model.compile("adam", loss)
    history = model.fit(x, y, batch_size=256, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
