"""SparseTensors in ``tf.data`` beyond the guide's cells: element specs, slicing, batching (with and without the
remainder, elements of different dense shapes), unbatching, ``map`` functions that take, return or build sparse
tensors, zips and tuples with dense components. Expected values are TensorFlow 2.21's; the file runs unchanged
under TensorFlow with the import swapped.
"""

import numpy as np

import ferroflow as tf


def _sp():
    return tf.sparse.SparseTensor([[0, 0], [0, 2], [2, 1], [3, 3]], [1.0, 2.0, 3.0, 4.0], [4, 4])


def _rows(ds):
    return [(e.indices.numpy().tolist(), e.values.numpy().tolist(), e.dense_shape.numpy().tolist()) for e in ds]


ROWS = [([[0], [2]], [1.0, 2.0], [4]), ([], [], [4]), ([[1]], [3.0], [4]), ([[3]], [4.0], [4])]


def test_from_tensor_slices_spec_and_rows():
    ds = tf.data.Dataset.from_tensor_slices(_sp())
    assert ds.element_spec == tf.SparseTensorSpec([4], tf.float32)
    assert repr(ds.element_spec) == "SparseTensorSpec(TensorShape([4]), tf.float32)"
    assert _rows(ds) == ROWS


def test_batch_keeps_or_drops_the_remainder_and_unbatch_restores_rows():
    ds = tf.data.Dataset.from_tensor_slices(_sp())
    assert ds.batch(3).element_spec == tf.SparseTensorSpec([None, 4], tf.float32)
    assert _rows(ds.batch(3)) == [
        ([[0, 0], [0, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 4]),
        ([[0, 3]], [4.0], [1, 4]),
    ]
    assert ds.batch(3, drop_remainder=True).element_spec == tf.SparseTensorSpec([3, 4], tf.float32)
    assert len(_rows(ds.batch(3, drop_remainder=True))) == 1
    assert ds.batch(3).unbatch().element_spec == tf.SparseTensorSpec([4], tf.float32)
    assert _rows(ds.batch(3).unbatch()) == ROWS


def test_map_sparse_to_dense_and_dense_to_sparse():
    ds = tf.data.Dataset.from_tensor_slices(_sp())
    dense = [e.numpy().tolist() for e in ds.map(tf.sparse.to_dense)]
    assert dense == [[1.0, 0.0, 2.0, 0.0], [0.0] * 4, [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 4.0]]
    rows = tf.data.Dataset.from_tensor_slices(np.array([[0, 1.0, 0], [2, 0, 3]], np.float32))
    sparse = rows.map(tf.sparse.from_dense)
    assert sparse.element_spec == tf.SparseTensorSpec([3], tf.float32)
    assert _rows(sparse) == [([[1]], [1.0], [3]), ([[0], [2]], [2.0, 3.0], [3])]
    assert _rows(sparse.batch(2)) == [([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])]


def test_map_on_batches():
    batches = tf.data.Dataset.from_tensor_slices(_sp()).batch(3)
    sums = [e.numpy().tolist() for e in batches.map(lambda s: tf.sparse.reduce_sum(s, axis=1))]
    assert sums == [[3.0, 0.0, 3.0], [4.0]]
    doubled = batches.map(lambda s: s * 2.0)
    assert doubled.element_spec == tf.SparseTensorSpec([None, 4], tf.float32)
    assert _rows(doubled) == [([[0, 0], [0, 2], [2, 1]], [2.0, 4.0, 6.0], [3, 4]), ([[0, 3]], [8.0], [1, 4])]


def test_map_builds_sparse_tensors_of_different_dense_shapes():
    ds = tf.data.Dataset.range(3).map(lambda i: tf.sparse.SparseTensor([[i]], [i], tf.stack([i + 1])))
    assert ds.element_spec == tf.SparseTensorSpec([None], tf.int64)
    assert _rows(ds) == [([[0]], [0], [1]), ([[1]], [1], [2]), ([[2]], [2], [3])]
    # a batch's dense shape is the largest of its elements'
    assert ds.batch(3).element_spec == tf.SparseTensorSpec([None, None], tf.int64)
    assert _rows(ds.batch(3)) == [([[0, 0], [1, 1], [2, 2]], [0, 1, 2], [3, 3])]


def test_sparse_with_dense_components():
    zipped = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(_sp()), tf.data.Dataset.range(4)))
    assert zipped.element_spec == (tf.SparseTensorSpec([4], tf.float32), tf.TensorSpec([], tf.int64))
    sliced = tf.data.Dataset.from_tensor_slices((_sp(), tf.range(4)))
    for ds in (zipped, sliced):
        got = [(tf.sparse.to_dense(s).numpy().tolist(), int(i)) for s, i in ds]
        assert got == [([1.0, 0.0, 2.0, 0.0], 0), ([0.0] * 4, 1), ([0.0, 3.0, 0.0, 0.0], 2), ([0.0, 0.0, 0.0, 4.0], 3)]
        summed = ds.map(lambda s, i: tf.sparse.reduce_sum(s) + tf.cast(i, tf.float32))
        assert [float(v) for v in summed] == [3.0, 1.0, 5.0, 7.0]


def test_from_tensors_shuffle_and_numpy_iterator():
    whole = tf.data.Dataset.from_tensors(_sp())
    assert whole.element_spec == tf.SparseTensorSpec([4, 4], tf.float32)
    assert _rows(whole) == [([[0, 0], [0, 2], [2, 1], [3, 3]], [1.0, 2.0, 3.0, 4.0], [4, 4])]
    ds = tf.data.Dataset.from_tensor_slices(_sp())
    totals = [float(t) for t in ds.shuffle(4, seed=1).batch(4).map(lambda s: tf.sparse.reduce_sum(s))]
    assert totals == [10.0]
    # TensorFlow 2.21's as_numpy_iterator gives a sparse leaf as its dense array
    first = list(ds.take(1).as_numpy_iterator())[0]
    np.testing.assert_array_equal(first, [1.0, 0.0, 2.0, 0.0])
