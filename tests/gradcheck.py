"""Checks an op's gradient against central finite differences of the op itself, in float64."""

import numpy as np

import ferroflow as tf


def numeric_gradient(f, x, eps=1e-6):
    """d sum(f(x)) / dx by central differences, one element at a time."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        g[i] = (np.sum(f(up)) - np.sum(f(down))) / (2 * eps)
    return g


def check_gradient(fn, *inputs, wrt=0, rtol=1e-5, atol=1e-7, seed=0):
    """Compares the tape's gradient of ``sum(fn(*inputs) * w)`` (``w`` random, so every output element
    matters differently) with respect to ``inputs[wrt]`` against finite differences."""
    inputs = [np.asarray(x, dtype=np.float64) if np.asarray(x).dtype.kind == "f" else x for x in inputs]
    out_shape = np.shape(np.asarray(fn(*[tf.constant(x) for x in inputs])))
    w = np.random.default_rng(seed).standard_normal(out_shape)

    def weighted(x):
        args = [tf.constant(v) for v in inputs]
        args[wrt] = tf.constant(x)
        return np.sum(np.asarray(fn(*args)) * w)

    x = tf.constant(inputs[wrt])
    args = [tf.constant(v) for v in inputs]
    args[wrt] = x
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(fn(*args) * w)
    got = tape.gradient(y, x)
    want = numeric_gradient(weighted, inputs[wrt])
    got = np.zeros_like(want) if got is None else got.numpy()
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def check_values(fn, ref, builders, dtype, float32_tol=1e-6):
    """One op-table row: ``fn`` on inputs made by ``builders`` in ``dtype`` equals the NumPy reference ``ref``,
    run eagerly (keeping the dtype) and traced by ``tf.function``."""
    inputs = [b(dtype) for b in builders]
    want = ref(*inputs)
    tol = float32_tol if dtype == np.float32 else 1e-12
    eager = fn(*[tf.constant(x) for x in inputs])
    assert eager.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(eager.numpy(), want, rtol=tol, atol=tol)
    traced = tf.function(fn)(*[tf.constant(x) for x in inputs])
    np.testing.assert_allclose(traced.numpy(), want, rtol=tol, atol=tol)


def check_gradients(fn, builders, skip=()):
    """One op-table row: the gradient with respect to each input (but the indices in ``skip``) in float64
    against finite differences."""
    inputs = [b(np.float64) for b in builders]
    for wrt in range(len(inputs)):
        if wrt not in skip:
            check_gradient(fn, *inputs, wrt=wrt)
