"""``tf.py_function`` / ``tf.numpy_function`` inside ``tf.function``: a native host-call node calls Python in
the middle of the run; py_function's gradient runs the function under a tape; errors map to TF's types."""

import threading

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


def test_numpy_function_runs_numpy_code_each_call():
    f = tf.function(lambda t: tf.numpy_function(np.sort, [t], tf.float32))
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.normal(size=(32, 128)).astype(np.float32)
        np.testing.assert_array_equal(f(tf.constant(x)).numpy(), np.sort(x))


def test_results_have_tout_dtypes_and_unknown_static_shapes():
    seen = {}

    @tf.function
    def f(t):
        total, biggest = tf.numpy_function(lambda a: (a.sum(), a.max()), [t], [tf.int64, tf.int64])
        seen["shape"] = total.shape
        return total + 1, biggest

    total, biggest = f(tf.constant(np.arange(5, dtype=np.int64)))
    assert int(total) == 11 and int(biggest) == 4 and total.dtype == tf.int64
    assert seen["shape"].rank is None


def test_py_function_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    a0 = rng.normal(size=(32, 16))
    b0 = rng.normal(size=(16,))
    w = rng.normal(size=(32, 16))

    def func(a, b):
        return tf.sin(a) * b + tf.reduce_sum(a * a, axis=0)

    @tf.function
    def loss_and_grads(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            y = tf.py_function(func, [a, b], tf.float64)
            loss = tf.reduce_sum(y * w)
        return loss, tape.gradient(loss, [a, b])

    def loss_np(a, b):
        y = np.sin(a) * b + np.sum(a * a, axis=0)
        return np.sum(y * w)

    loss, (ga, gb) = loss_and_grads(tf.constant(a0), tf.constant(b0))
    assert float(loss) == pytest.approx(loss_np(a0, b0), rel=1e-12)
    np.testing.assert_allclose(ga.numpy(), numeric_gradient(lambda a: loss_np(a, b0), a0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gb.numpy(), numeric_gradient(lambda b: loss_np(a0, b), b0), rtol=1e-6, atol=1e-6)


def test_gradient_reaches_a_variable_through_the_call():
    x = tf.Variable(3.0)

    @tf.function
    def grad():
        with tf.GradientTape() as tape:
            y = tf.py_function(lambda v: v * v * v, [x], tf.float32)
        return tape.gradient(y, x)

    assert float(grad()) == 27.0


def test_numpy_function_is_not_differentiable():
    x = tf.Variable(2.0)

    @tf.function
    def grad():
        with tf.GradientTape() as tape:
            y = tf.numpy_function(lambda v: v * v, [x.read_value()], tf.float32)
        return tape.gradient(y, x)

    assert grad() is None


@pytest.mark.parametrize(
    "exc, expected",
    [
        (ValueError("bad value"), tf.errors.InvalidArgumentError),
        (TypeError("bad type"), tf.errors.InvalidArgumentError),
        (StopIteration(), IndexError),
        (KeyError("missing"), tf.errors.UnknownError),
        (RuntimeError("broken"), tf.errors.UnknownError),
    ],
)
def test_exceptions_map_to_tensorflow_error_types(exc, expected):
    def raise_it(v):
        raise exc

    f = tf.function(lambda t: tf.py_function(raise_it, [t], tf.float32))
    with pytest.raises(expected, match=type(exc).__name__):
        f(tf.constant(1.0))


def test_wrong_results_are_invalid_arguments():
    wrong_dtype = tf.function(lambda t: tf.numpy_function(lambda a: a.astype(np.int32), [t], tf.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="0-th value returned .* is int32, but expects float"):
        wrong_dtype(tf.ones([2]))
    wrong_count = tf.function(lambda t: tf.numpy_function(lambda a: (a, a), [t], [tf.float32]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned 2 values, but Tout has 1"):
        wrong_count(tf.ones([2]))


def test_calls_without_results_run_for_their_effect_every_time():
    seen = []

    @tf.function
    def f(t):
        tf.numpy_function(lambda a: seen.append(a.tolist()), [t], None)
        return t * 2

    for k in range(3):
        f(tf.constant([float(k)]))
    assert seen == [[0.0], [1.0], [2.0]]


def test_calls_inside_a_while_loop_body():
    calls = []

    def step(i, acc):
        calls.append(int(i))
        return acc + float(i) ** 2

    @tf.function
    def f(n):
        def body(i, acc):
            acc = tf.py_function(step, [i, acc], tf.float32)
            acc.set_shape([])
            return i + 1, acc

        return tf.while_loop(lambda i, acc: i < n, body, [tf.constant(0), tf.constant(0.0)])[1]

    assert float(f(tf.constant(5))) == 30.0
    assert calls == [0, 1, 2, 3, 4]


def test_the_call_waits_for_control_dependencies():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        with tf.control_dependencies([v.assign(5.0)]):
            return tf.numpy_function(lambda a: a + 1, [tf.constant(0.0)], tf.float32), v.read_value()

    out, _ = f()
    assert float(out) == 1.0 and float(v.numpy()) == 5.0


def test_concurrent_callers_do_not_deadlock():
    f = tf.function(lambda t: tf.numpy_function(lambda a: a * 2, [t], tf.float32) + 1.0)
    f(tf.ones([4]))
    results, errors = [], []

    def worker(k):
        try:
            for _ in range(20):
                results.append(float(tf.reduce_sum(f(tf.fill([4], float(k))))))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads) and not errors
    assert sorted(set(results)) == [4.0, 12.0, 20.0, 28.0]


def test_compat_v1_py_func_in_tf_function():
    f = tf.function(lambda t: tf.compat.v1.py_func(np.cumsum, [t], tf.float64))
    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0, 3.0], tf.float64)).numpy(), [1.0, 3.0, 6.0])


@pytest.mark.parametrize(
    "error",
    [tf.errors.OutOfRangeError, tf.errors.CancelledError, tf.errors.AbortedError, tf.errors.ResourceExhaustedError],
)
def test_tensorflow_errors_raised_in_the_call_reach_the_caller_as_themselves(error):
    # A queue that is closed or exhausted inside a graph raises these; the caller must see the very class
    # (the core's error kinds cannot name them all), with the message the function gave.
    def raise_it(v):
        raise error(None, None, "the queue is closed")

    f = tf.function(lambda t: tf.py_function(raise_it, [t], tf.float32))
    with pytest.raises(error, match="the queue is closed") as e:
        f(tf.constant(1.0))
    assert type(e.value) is error


def test_stop_iteration_in_the_call_is_tensorflow_out_of_range():
    def exhausted(v):
        raise StopIteration

    f = tf.function(lambda t: tf.py_function(exhausted, [t], tf.float32))
    with pytest.raises(tf.errors.OutOfRangeError):
        f(tf.constant(1.0))
