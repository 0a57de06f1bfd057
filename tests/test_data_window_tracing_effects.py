"""Side effects and errors of functions over ``window``'s elements: Python code runs once, when the pipeline is
built, ``tf.print`` at each element; in tf.function the functions are traced with the function. Outputs, values and
messages are those TensorFlow 2.21 gives."""

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
