"""Long while loops writing a TensorArray inside tf.function: with the native write_row each write replaces one
row of the buffer in place, and the gradient keeps no per-iteration copy of the buffer, so n writes cost O(n)
time and memory. Gradients with
respect to a captured value against finite differences (float64) and, for n = 2000, a closed form."""

import time

import numpy as np

import ferroflow as tf
from gradcheck import numeric_gradient

RNG = np.random.default_rng(5)


def _rows_fn(n, width):
    """``f(v, w) -> (stack, sum(stack * w))`` where row i of the stack is ``sin(v) * i / n + v * v``."""

    @tf.function(
        input_signature=[tf.TensorSpec([width], "float64"), tf.TensorSpec([n, width], "float64")],
    )
    def run(v, w):
        with tf.GradientTape() as tape:
            tape.watch(v)
            ta = tf.TensorArray(tf.float64, size=n)

            def body(i, ta):
                row = tf.sin(v) * (tf.cast(i, tf.float64) / n) + v * v
                return i + 1, ta.write(i, row)

            _, ta = tf.while_loop(lambda i, _: i < n, body, (tf.constant(0), ta))
            stacked = ta.stack()
            loss = tf.reduce_sum(stacked * w)
        return stacked, loss, tape.gradient(loss, v)

    return run


def _expected(v, w, n):
    scale = np.arange(n)[:, None] / n
    rows = np.sin(v) * scale + v * v
    grad = np.sum(w * (np.cos(v) * scale + 2 * v), axis=0)
    return rows, grad


def test_gradient_of_loop_writes_matches_finite_differences():
    n, width = 12, 3
    v, w = RNG.standard_normal(width), RNG.standard_normal((n, width))
    run = _rows_fn(n, width)
    stacked, _, grad = run(tf.constant(v), tf.constant(w))
    rows, _ = _expected(v, w, n)
    np.testing.assert_allclose(stacked.numpy(), rows, rtol=1e-12)
    want = numeric_gradient(lambda x: run(tf.constant(x), tf.constant(w))[1].numpy(), v)
    np.testing.assert_allclose(grad.numpy(), want, rtol=1e-7, atol=1e-9)


def test_two_thousand_writes_run_and_differentiate():
    n, width = 2000, 16
    v, w = RNG.standard_normal(width), RNG.standard_normal((n, width))
    stacked, loss, grad = _rows_fn(n, width)(tf.constant(v), tf.constant(w))
    rows, want = _expected(v, w, n)
    np.testing.assert_allclose(stacked.numpy(), rows, rtol=1e-12)
    np.testing.assert_allclose(loss.numpy(), np.sum(rows * w), rtol=1e-10)
    np.testing.assert_allclose(grad.numpy(), want, rtol=1e-10)


def test_writes_in_a_loop_of_unknown_length():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], "float64")])
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            n = tf.shape(x)[0]
            ta = tf.TensorArray(tf.float64, size=n)

            def body(i, ta):
                return i + 1, ta.write(n - 1 - i, tf.tanh(tf.gather(x, i)) * 2.0)

            _, ta = tf.while_loop(lambda i, _: i < n, body, (tf.constant(0), ta))
            out = ta.stack()
            loss = tf.reduce_sum(out * out)
        return out, tape.gradient(loss, x)

    x = RNG.standard_normal((7, 3))
    out, grad = run(tf.constant(x))
    np.testing.assert_allclose(out.numpy(), 2 * np.tanh(x[::-1]), rtol=1e-12)
    np.testing.assert_allclose(grad.numpy(), 8 * np.tanh(x) * (1 - np.tanh(x) ** 2), rtol=1e-10)


def test_time_of_writes_grows_about_linearly():
    """Prints (does not assert) the time of n = 200 and n = 2000 writes with their gradient."""
    times = {}
    for n in (200, 2000):
        run = _rows_fn(n, 64)
        args = (tf.constant(RNG.standard_normal(64)), tf.constant(RNG.standard_normal((n, 64))))
        run(*args)  # trace
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            run(*args)
            best = min(best, time.perf_counter() - start)
        times[n] = best
    print(
        f"\nTensorArray loop writes with gradient: n=200 {times[200] * 1e3:.1f} ms, n=2000 "
        f"{times[2000] * 1e3:.1f} ms (ratio {times[2000] / times[200]:.1f})"
    )
