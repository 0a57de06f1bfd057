"""AutoGraph: ``while`` and ``for`` loops on tensors inside tf.function become ``tf.while_loop``s (with
``break``/``continue``, nesting, ifs inside), loops over Python values unroll, and variables first
assigned in a tensor loop are defined as TensorFlow defines them.

Every traced result equals the undecorated function run eagerly, and one trace serves all input values.
"""

import numpy as np
import pytest

import ferroflow as tf


def ops_of(fn, *specs):
    return [op.type for op in fn.get_concrete_function(*specs).graph.get_operations()]


def check_against_eager(fn, inputs, dtype=tf.int32):
    traced = tf.function(fn)
    for x in inputs:
        want = fn(tf.constant(x, dtype))
        got = traced(tf.constant(x, dtype))
        tf.nest.map_structure(lambda a, b: np.testing.assert_allclose(np.asarray(a), np.asarray(b)), got, want)
    assert traced.experimental_get_tracing_count() == 1
    return traced


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def test_while_on_a_tensor_with_an_if_inside():
    traced = check_against_eager(collatz_steps, [1, 6, 7, 27])
    assert "While" in ops_of(traced, tf.TensorSpec([], tf.int32))
    assert int(traced(tf.constant(27))) == 111


def sum_of_range(n):
    total = 0
    for i in tf.range(n):
        total += i * i
    return total


def test_for_over_tf_range_counts_like_python():
    check_against_eager(sum_of_range, [0, 1, 5, 100])

    def strided(n):
        acc = tf.constant(0)
        for i in tf.range(n, 0, -3):
            acc = acc * 10 + i
        return acc, i

    check_against_eager(strided, [1, 7, 10])


def test_builtin_range_and_len_of_tensors():
    def fn(n):
        s = 0
        for i in range(n):
            s += i
        return s, len(tf.range(n * 2))

    check_against_eager(fn, [0, 4, 9])


def test_for_over_the_rows_of_a_tensor():
    def row_sums(m):
        acc = tf.zeros([3])
        count = 0
        for row in m:
            acc += row
            count += 1
        return acc, count

    traced = tf.function(row_sums, input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    for rows in (0, 1, 4):
        m = tf.constant(np.arange(rows * 3, dtype=np.float32).reshape(rows, 3))
        got, want = traced(m), row_sums(m)
        np.testing.assert_allclose(got[0].numpy(), want[0].numpy())
        assert int(got[1]) == int(want[1]) == rows


def break_and_continue(n):
    s = 0
    for i in tf.range(100):
        if i % 3 == 0:
            continue
        if i > n:
            break
        s += i
    return s


def while_with_break(limit):
    i = tf.constant(0)
    found = -1
    while i < 50:
        i += 1
        if i * i > limit:
            found = i
            break
    return found, i


def test_break_and_continue_in_tensor_loops():
    check_against_eager(break_and_continue, [-1, 0, 5, 10, 200])
    check_against_eager(while_with_break, [0, 10, 99, 5000])


def nested_loops(n):
    total = 0
    for i in tf.range(n):
        j = 0
        while j < i:
            if (i + j) % 2 == 0:
                total += i * j
            j += 1
    return total


def test_nested_loops_with_if_inside():
    traced = check_against_eager(nested_loops, [0, 1, 4, 9])
    assert ops_of(traced, tf.TensorSpec([], tf.int32)).count("While") == 1  # the inner one is in the body


def test_loops_over_python_values_unroll():
    def fn(x):
        for w in [1.0, 2.0, 3.0]:
            x = x * w
        k = 0
        while k < 2:  # Python condition: a Python loop
            x = x + 1.0
            k += 1
        return x

    traced = check_against_eager(fn, [1.0, -2.0], dtype=tf.float32)
    ops = ops_of(traced, tf.TensorSpec([], tf.float32))
    assert "While" not in ops and ops.count("Mul") == 3


def test_python_loop_breaking_on_a_python_value_in_the_graph():
    def fn(x, items):
        out = x
        for k in items:
            if k < 0:
                break
            out = out * k
        else:
            out = out + 100.0
        return out

    traced = tf.function(fn)
    assert float(traced(tf.constant(1.0), (2.0, 3.0))) == 106.0
    assert float(traced(tf.constant(1.0), (2.0, -1.0, 5.0))) == 2.0


def test_while_else_and_python_loop_variables_become_tensors():
    def fn(x):
        n = 0  # a Python int, carried by the tensor loop as a tensor
        while x < 20.0:
            x = x * 2.0
            n += 1
        else:
            x = x + 0.5
        return x, n

    check_against_eager(fn, [1.0, 3.0, 25.0], dtype=tf.float32)


def first_assigned_in_loop(n):
    for i in tf.range(n):
        z = tf.cast(i, tf.float32) * 2.0
    return z


def test_variables_first_assigned_in_the_loop_are_defined():
    traced = check_against_eager(first_assigned_in_loop, [1, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="loop must iterate at least once to initialize z"):
        traced(tf.constant(0))


def used_before_defined(x):
    while x < 10:
        z = z + 1  # noqa: F821  (read before assignment, on purpose)
        x = x + 1
    return x, z


def test_loop_errors_name_the_line():
    with pytest.raises(ValueError) as info:
        tf.function(used_before_defined)(tf.constant(2))
    text = str(info.value)
    assert "'z' must be defined before the loop" in text and "is used before assignment" in text
    assert f"line {used_before_defined.__code__.co_firstlineno + 1}" in text

    def tensor_break_in_python_loop(x):
        while True:
            x += 1
            if x > 3:
                break
        return x

    with pytest.raises(NotImplementedError, match="started as non-Tensor, then changed to Tensor"):
        tf.function(tensor_break_in_python_loop)(tf.constant(0))

    def tensor_break_over_a_list(x):
        for k in [1, 2, 3]:
            if x > k:
                break
            x = x + 1
        return x

    with pytest.raises(NotImplementedError, match="not supported in Python for loops"):
        tf.function(tensor_break_over_a_list)(tf.constant(0))


def test_shape_invariants_and_maximum_iterations_from_set_loop_options():
    def grow(x):
        y = tf.zeros([1])
        while x < 3:
            tf.autograph.experimental.set_loop_options(shape_invariants=[(y, tf.TensorShape([None]))])
            x += 1
            y = tf.concat([y, y], 0)
        return y

    assert tf.function(grow)(tf.constant(0)).shape == (8,)
    with pytest.raises(ValueError, match="shape"):
        tf.function(lambda x: tf.autograph.to_graph(_grow_without_invariants)(x))(tf.constant(0))

    def capped(n):
        i = 0
        while i < n:
            tf.autograph.experimental.set_loop_options(maximum_iterations=5)
            i += 1
        return i

    assert int(tf.function(capped)(tf.constant(100))) == 5


def _grow_without_invariants(x):
    y = tf.zeros([1])
    while x < 3:
        x += 1
        y = tf.concat([y, y], 0)
    return y


def test_loop_over_a_realistic_batch():
    def normalize_rows(batch):
        out = tf.TensorArray(tf.float32, size=tf.shape(batch)[0])
        for i in tf.range(tf.shape(batch)[0]):
            row = tf.gather(batch, i)
            out = out.write(i, (row - tf.reduce_mean(row)) / (tf.math.reduce_std(row) + 1e-6))
        return out.stack()

    x = tf.constant(np.random.default_rng(0).normal(size=(32, 28 * 28)).astype(np.float32))
    np.testing.assert_allclose(tf.function(normalize_rows)(x).numpy(), normalize_rows(x).numpy(), rtol=1e-5, atol=1e-5)
