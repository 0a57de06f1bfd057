"""Datasets of ragged and sparse elements in tf.function: ``for x in dataset`` and ``dataset.reduce`` as loops of
the graph, run at each call (so datasets over the function's arguments and variables give each call's result).

Expected values are TensorFlow 2.21's results for the same programs."""

import numpy as np

import ferroflow as tf


def _rt():
    return tf.ragged.constant([[1, 2], [3], [4, 5, 6], []])


def _sp():
    return tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 4])


def _graph_loop(fn, *args) -> bool:
    """Whether the traced function pulls its elements at run time (an iterator node in its graph)."""
    graph = fn.get_concrete_function(*args).graph
    return any("Iterator" in op.name for op in graph.get_operations())


def test_for_over_ragged_slices():
    @tf.function
    def loop_sum(scale):
        total = tf.constant(0)
        for x in tf.data.Dataset.from_tensor_slices(_rt()):
            total += tf.reduce_sum(x) * scale
        return total

    assert int(loop_sum(tf.constant(1))) == 21
    assert int(loop_sum(tf.constant(3))) == 63


def test_for_over_ragged_argument_slices():
    @tf.function
    def a(rt):
        t = tf.constant(0)
        for x in tf.data.Dataset.from_tensor_slices(rt):
            t += tf.reduce_sum(x)
        return t

    assert int(a(tf.ragged.constant([[1, 2], [3]]))) == 6
    assert int(a(tf.ragged.constant([[1, 2], [3], [10]]))) == 16


def test_ragged_elements_mapped_from_dense_arguments():
    @tf.function
    def b(x):
        ds = tf.data.Dataset.from_tensor_slices(x).map(
            lambda r: tf.RaggedTensor.from_tensor(tf.expand_dims(r, 0), padding=0)
        )
        t = tf.constant(0)
        for e in ds:
            t += tf.reduce_sum(e)
        return t

    assert int(b(tf.constant([[1, 0, 2], [3, 0, 0]]))) == 6
    assert int(b(tf.constant([[5, 5, 0]]))) == 10


def test_reduce_over_ragged_argument():
    @tf.function
    def r(rt, k):
        return tf.data.Dataset.from_tensor_slices(rt).reduce(tf.constant(0), lambda acc, x: acc + tf.reduce_sum(x) * k)

    assert int(r(tf.ragged.constant([[1, 2], [3]]), tf.constant(1))) == 6
    assert int(r(tf.ragged.constant([[1, 2], [3], [4, 4]]), tf.constant(2))) == 28

    @tf.function
    def rb(rt):
        return (
            tf.data.Dataset.from_tensor_slices(rt)
            .ragged_batch(2)
            .reduce(
                tf.constant(0, tf.int64),
                lambda acc, b: acc + b.nrows() * 10 + tf.cast(tf.reduce_max(b.row_lengths()), tf.int64),
            )
        )

    assert int(rb(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))) == 35
    assert int(rb(tf.ragged.constant([[1], [2]]))) == 21


def test_for_over_sparse_argument_rows():
    @tf.function
    def s(sp, k):
        t = tf.zeros([3])
        for row in tf.data.Dataset.from_tensor_slices(sp):
            t += tf.sparse.to_dense(row) * k
        return t

    sp1 = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 3])
    sp2 = tf.sparse.SparseTensor([[0, 1], [0, 2]], [5.0, 7.0], [2, 3])
    assert s(sp1, tf.constant(1.0)).numpy().tolist() == [1.0, 3.0, 2.0]
    assert s(sp2, tf.constant(2.0)).numpy().tolist() == [0.0, 10.0, 14.0]


def test_for_over_ragged_batch():
    @tf.function
    def batched(k):
        ds = tf.data.Dataset.from_tensor_slices(_rt()).ragged_batch(2)
        total = tf.constant(0, tf.int64)
        rows = tf.constant(0, tf.int64)
        for b in ds:
            total += tf.cast(tf.reduce_sum(b * k), tf.int64)
            rows += b.nrows()
        return total, rows

    assert [int(t) for t in batched(tf.constant(1))] == [21, 4]
    assert [int(t) for t in batched(tf.constant(2))] == [42, 4]
    assert _graph_loop(batched, tf.constant(1))


def test_reduce_over_ragged_batches():
    @tf.function
    def red(k):
        ds = tf.data.Dataset.from_tensor_slices(_rt()).ragged_batch(3)
        return ds.reduce(tf.constant(0), lambda s, b: s + tf.cast(b.nrows(), tf.int32) * k + tf.reduce_sum(b))

    assert int(red(tf.constant(1))) == 25
    assert int(red(tf.constant(2))) == 29
    assert _graph_loop(red, tf.constant(1))


def test_reduce_reads_variable_at_each_call():
    v = tf.Variable(2)

    @tf.function
    def red_var():
        ds = tf.data.Dataset.from_tensor_slices(_rt()).ragged_batch(2).map(lambda b: b * v)
        return ds.reduce(tf.constant(0), lambda s, b: s + tf.reduce_sum(b))

    assert int(red_var()) == 42
    v.assign(5)
    assert int(red_var()) == 105


def test_for_over_sparse_rows():
    @tf.function
    def sloop(k):
        ds = tf.data.Dataset.from_tensor_slices(_sp())
        total = tf.zeros([4])
        for row in ds:
            total += tf.sparse.to_dense(row) * k
        return total

    assert sloop(tf.constant(1.0)).numpy().tolist() == [1.0, 3.0, 2.0, 0.0]
    assert sloop(tf.constant(2.0)).numpy().tolist() == [2.0, 6.0, 4.0, 0.0]
    dense = tf.sparse.to_dense(_sp()).numpy()
    np.testing.assert_array_equal(sloop(tf.constant(1.0)).numpy(), dense.sum(axis=0))


def test_reduce_over_sparse_batches():
    @tf.function
    def sred(k):
        ds = tf.data.Dataset.from_tensor_slices(_sp()).batch(2)
        return ds.reduce(tf.constant(0.0), lambda s, b: s + tf.reduce_sum(b.values) * k)

    assert float(sred(tf.constant(1.0))) == 6.0
    assert float(sred(tf.constant(10.0))) == 60.0
    assert _graph_loop(sred, tf.constant(1.0))


def test_for_with_break_over_ragged():
    @tf.function
    def first_long(n):
        ds = tf.data.Dataset.from_tensor_slices(_rt())
        found = tf.constant(-1, tf.int64)
        i = tf.constant(0, tf.int64)
        for x in ds:
            if tf.size(x, out_type=tf.int64) >= n:
                found = i
                break
            i += 1
        return found

    assert int(first_long(tf.constant(2, tf.int64))) == 0
    assert int(first_long(tf.constant(3, tf.int64))) == 2
    assert int(first_long(tf.constant(4, tf.int64))) == -1


def test_for_over_dict_of_ragged_sparse_and_dense_batches():
    sp = tf.sparse.SparseTensor([[0, 1], [2, 0], [3, 3]], [1.0, 2.0, 3.0], [4, 4])

    @tf.function
    def f(w):
        ds = tf.data.Dataset.from_tensor_slices({"r": _rt(), "y": [1.0, 2.0, 3.0, 4.0], "s": sp}).batch(3)
        t = tf.constant(0.0)
        for e in ds:
            t += tf.cast(tf.reduce_sum(e["r"]), tf.float32) * w + tf.reduce_sum(e["y"]) + tf.sparse.reduce_sum(e["s"])
        return t

    assert float(f(tf.constant(1.0))) == 37.0
    assert float(f(tf.constant(2.0))) == 58.0
