"""Side effects and errors of functions over ``window``'s elements: Python code runs once, when the pipeline is
built, ``tf.print`` at each element; in tf.function the functions are traced with the function. Outputs, values and
messages are those TensorFlow 2.21 gives."""

import numpy as np
import pytest

import ferroflow as tf

R = tf.data.Dataset.range


def zero():
    return tf.constant(0, tf.int64)


def add(a, b):
    return a + b


def printed(capfd):
    out, err = capfd.readouterr()
    return [line for line in (out + err).splitlines() if line]


def test_python_print_at_trace_tf_print_per_element(capfd):
    def fn(w):
        print("traced-map")
        s = w.reduce(zero(), add)
        tf.print("sum", s)
        return s

    ds = R(7).window(3).map(fn)
    assert printed(capfd) == ["traced-map"]
    assert [int(x) for x in ds] == [3, 12, 6]
    assert [int(x) for x in ds] == [3, 12, 6]
    assert printed(capfd) == ["sum 3", "sum 12", "sum 6"] * 2


def test_tf_print_in_map_over_window_elements(capfd):
    def fm(w):
        print("traced-flat")
        return w.map(lambda x: (tf.print("el", x), x)[1]).batch(3)

    ds = R(5).window(2).flat_map(fm)
    assert printed(capfd) == ["traced-flat"]
    assert [b.numpy().tolist() for b in ds] == [[0, 1], [2, 3], [4]]
    assert printed(capfd) == ["el 0", "el 1", "el 2", "el 3", "el 4"]


def test_window_functions_in_tf_function():
    calls = []

    def fn(w):
        calls.append(1)
        return w.map(lambda x: x * 2).reduce(zero(), add)

    @tf.function
    def g(n, k):
        ds = R(n).window(3).map(fn).filter(lambda s: s > k)
        s = tf.constant(0, tf.int64)
        for x in ds:
            s = s * 100 + x
        return s

    assert int(g(tf.constant(7, tf.int64), tf.constant(0, tf.int64))) == 62412
    assert int(g(tf.constant(10, tf.int64), tf.constant(7, tf.int64))) == 244218
    assert len(calls) == 1

    @tf.function
    def h(n):
        ds = R(n).window(2).map(lambda w: w.map(lambda x: x + n)).flat_map(lambda d: d.batch(2))
        s = tf.constant(0, tf.int64)
        for b in ds:
            s = s * 100 + tf.reduce_sum(b)
        return s

    assert int(h(tf.constant(5, tf.int64))) == 111509
    assert int(h(tf.constant(3, tf.int64))) == 705


def test_element_specs():
    ds = R(6).window(3).map(lambda w: (w.reduce(zero(), add), w.batch(2)))
    assert ds.element_spec == (
        tf.TensorSpec([], tf.int64),
        tf.data.DatasetSpec(tf.TensorSpec([None], tf.int64), tf.TensorShape([])),
    )
    assert int(ds.cardinality()) == 2
    ds = (
        tf.data.Dataset.from_tensor_slices(([1.0, 2, 3], [[1, 2], [3, 4], [5, 6]]))
        .window(2)
        .map(lambda a, b: {"a": a.batch(2), "b": b.reduce(tf.zeros([2], tf.int32), add)})
    )
    assert ds.element_spec == {
        "a": tf.data.DatasetSpec(tf.TensorSpec([None], tf.float32), tf.TensorShape([])),
        "b": tf.TensorSpec([2], tf.int32),
    }
    assert [(a.numpy().tolist(), b.tolist()) for a, b in ((list(e["a"])[0], e["b"].numpy()) for e in ds)] == [
        ([1.0, 2.0], [4, 6]),
        ([3.0], [5, 6]),
    ]


def test_errors():
    with pytest.raises(ValueError) as e:
        R(6).window(3).filter(lambda w: w.reduce(zero(), add))
    assert str(e.value) == (
        "Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return type is "
        "TensorSpec(shape=(), dtype=tf.int64, name=None)."
    )
    with pytest.raises(TypeError) as e:
        R(6).group_by_window(lambda x: x % 2, lambda k, d: k, window_size=2)
    assert str(e.value) == (
        "Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` object but its return type "
        "is TensorSpec(shape=(), dtype=tf.int64, name=None)."
    )


def test_reductions_of_window_elements():
    pairs = tf.data.Dataset.from_tensor_slices((np.arange(6), np.arange(6) * 10)).window(3)
    # the reduce function uses a tensor computed from the element's other component
    ds = pairs.map(lambda a, b: a.reduce(zero(), lambda s, x: s + x * b.reduce(zero(), add)))
    assert [int(x) for x in ds] == [90, 1440]
    ds = pairs.map(lambda a, b: a.reduce(b.reduce(zero(), add), add))  # an initial state computed from b
    assert [int(x) for x in ds] == [33, 132]
    ds = R(7).window(3).map(lambda w: w.reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x * 2]], 0)))
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)
    assert [x.numpy().tolist() for x in ds] == [[0, 2, 4], [6, 8, 10], [12]]
    ds = R(7).window(3).map(lambda w: w.reduce((zero(), tf.constant(1.0)), lambda s, x: (s[0] + x, s[1] * 2.0)))
    assert [(int(a), float(b)) for a, b in ds] == [(3, 8.0), (12, 8.0), (6, 2.0)]
    calls = []

    def f(x):
        calls.append(1)
        return x * 2

    ds = R(8).window(2).window(2).map(lambda ww: ww.reduce(zero(), lambda s, w: s + w.map(f).reduce(zero(), add)))
    assert [int(x) for x in ds] == [12, 44]
    assert len(calls) == 1


def test_tf_print_and_errors_in_reductions_of_window_elements(capfd):
    ds = R(4).window(2).map(lambda w: w.reduce(zero(), lambda s, x: (tf.print("x", x), s + x)[1]))
    assert [int(x) for x in ds] == [1, 5]
    assert printed(capfd) == ["x 0", "x 1", "x 2", "x 3"]
    ds = (
        R(4)
        .window(2)
        .map(lambda w: w.reduce(zero(), lambda s, x: s + tf.reduce_sum(tf.ensure_shape(tf.fill([x], x), [1]))))
    )
    with pytest.raises(tf.errors.InvalidArgumentError):
        list(ds)


def test_reductions_of_window_elements_read_function_tensors_and_variables():
    @tf.function
    def h(n):
        ds = R(7).window(3).map(lambda w: w.map(lambda x: x + n).reduce(zero(), lambda s, x: s + x * n))
        s = tf.constant(0, tf.int64)
        for x in ds:
            s = s * 1000 + x
        return s

    assert int(h(tf.constant(2, tf.int64))) == 18036016
    assert int(h(tf.constant(3, tf.int64))) == 36063027
    v = tf.Variable(tf.constant(5, tf.int64))
    ds = R(5).window(2).map(lambda w: w.reduce(zero(), lambda s, x: s + x * v))
    assert [int(x) for x in ds] == [5, 25, 20]
    v.assign(7)
    assert [int(x) for x in ds] == [7, 35, 28]


def test_reductions_of_datasets_built_from_the_element():
    # the same graph reductions serve datasets a map function builds from its element's tensors
    ds = R(5).map(lambda x: R(x).reduce(zero(), add))
    assert [int(v) for v in ds] == [0, 0, 1, 3, 6]
    ds = R(1, 4).map(lambda x: tf.data.Dataset.from_tensor_slices(tf.range(x)).map(lambda y: y * 2).reduce(zero(), add))
    assert [int(v) for v in ds] == [0, 2, 6]
