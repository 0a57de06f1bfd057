"""``tf.IndexedSlices``, ``tf.IndexedSlicesSpec`` and ``tf.sparse.mask``: expected values are what TensorFlow
2.21 gives for the same calls."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ferroflow as tf


def _slices():
    # Row 0 named twice: densifying adds the two rows.
    return tf.IndexedSlices(
        tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), tf.constant([0, 2, 0]), tf.constant([4, 2])
    )


def test_attributes():
    x = _slices()
    assert x.dtype == tf.float32
    assert x.shape.as_list() == [4, 2]
    assert x.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert x.values.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert x.indices.numpy().tolist() == [0, 2, 0]
    assert x.dense_shape.numpy().tolist() == [4, 2]
    assert isinstance(x, tf.IndexedSlices) and not isinstance(x, tf.Tensor)
    no_shape = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1], tf.int64))
    assert no_shape.dense_shape is None and no_shape.shape.rank is None
    with pytest.raises(AttributeError):
        x.name  # noqa: B018 (a tensor's name is undefined eagerly)


def test_str():
    x = tf.IndexedSlices(tf.constant([1.0, 2.0]), tf.constant([0, 1]), tf.constant([3]))
    assert str(x) == (
        "IndexedSlices(indices=tf.Tensor([0 1], shape=(2,), dtype=int32), values=tf.Tensor([1. 2.], shape=(2,), "
        "dtype=float32), dense_shape=tf.Tensor([3], shape=(1,), dtype=int32))"
    )
    y = tf.IndexedSlices(tf.constant([[7.0]]), tf.constant([3]))
    assert str(y) == (
        "IndexedSlices(indices=tf.Tensor([3], shape=(1,), dtype=int32), "
        "values=tf.Tensor([[7.]], shape=(1, 1), dtype=float32))"
    )


def test_convert_to_tensor_adds_repeated_rows():
    dense = tf.convert_to_tensor(_slices())
    np.testing.assert_array_equal(dense.numpy(), [[6.0, 8.0], [0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])
    assert tf.convert_to_tensor(_slices(), dtype=tf.float32).dtype == tf.float32


def test_convert_to_tensor_errors():
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` int32 for IndexedSlices"):
        tf.convert_to_tensor(_slices(), dtype=tf.int32)
    y = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]))
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices for argument `value` without"):
        tf.convert_to_tensor(y)


def test_large_dense_shape_warns_when_traced():
    @tf.function
    def big(v, i):
        return tf.convert_to_tensor(tf.IndexedSlices(v, i, tf.constant([100000000, 2])))

    @tf.function
    def small(v, i):
        return tf.convert_to_tensor(tf.IndexedSlices(v, i, tf.constant([1000, 2])))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        big.get_concrete_function(tf.TensorSpec([None, 2]), tf.TensorSpec([None], tf.int32))
        small.get_concrete_function(tf.TensorSpec([None, 2]), tf.TensorSpec([None], tf.int32))
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert messages == [
        "Converting sparse IndexedSlices to a dense Tensor with 200000000 elements. "
        "This may consume a large amount of memory."
    ]


def test_neg():
    n = -_slices()
    assert isinstance(n, tf.IndexedSlices)
    assert n.values.numpy().tolist() == [[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0]]
    assert n.indices.numpy().tolist() == [0, 2, 0]
    assert n.dense_shape.numpy().tolist() == [4, 2]


def test_spec():
    assert repr(tf.IndexedSlicesSpec()) == (
        "IndexedSlicesSpec(TensorShape(None), tf.float32, tf.int64, None, TensorShape([None]))"
    )
    assert repr(_slices()._type_spec) == (
        "IndexedSlicesSpec(TensorShape([4, 2]), tf.float32, tf.int32, tf.int32, TensorShape([3]))"
    )
    y = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1], tf.int64))
    assert repr(y._type_spec) == (
        "IndexedSlicesSpec(TensorShape([None, 2]), tf.float32, tf.int64, None, TensorShape([1]))"
    )
    spec = tf.IndexedSlicesSpec([None, 2], tf.float32, tf.int32, tf.int32)
    assert [(s.shape.as_list(), s.dtype) for s in spec._component_specs] == [
        ([None, 2], tf.float32),
        ([None], tf.int32),
        ([2], tf.int32),
    ]
    assert spec.value_type is tf.IndexedSlices
    assert spec.is_compatible_with(_slices())
    assert not tf.IndexedSlicesSpec([None, 3], tf.float32, tf.int32, tf.int32).is_compatible_with(_slices())
    # The default indices dtype is int64.
    assert not tf.IndexedSlicesSpec([None, 2]).is_compatible_with(_slices())


def test_function_input_signature():
    spec = tf.IndexedSlicesSpec([None, 2], tf.float32, tf.int32, tf.int32)
    seen = []

    @tf.function(input_signature=[spec])
    def double_dense(s):
        seen.append((s.values.shape.as_list(), s.indices.shape.as_list()))
        return tf.convert_to_tensor(s) * 2.0

    np.testing.assert_array_equal(double_dense(_slices()).numpy(), [[12, 16], [0, 0], [6, 8], [0, 0]])
    assert seen == [([None, 2], [None])]


def test_function_returns_indexed_slices():
    @tf.function
    def scaled(s):
        return tf.IndexedSlices(s.values * 2.0, s.indices, s.dense_shape)

    r = scaled(_slices())
    assert isinstance(r, tf.IndexedSlices)
    assert r.values.numpy().tolist() == [[2.0, 4.0], [6.0, 8.0], [10.0, 12.0]]
    assert r.indices.numpy().tolist() == [0, 2, 0]
    assert r.dense_shape.numpy().tolist() == [4, 2]

    @tf.function
    def negated(s):
        return -s

    r = negated(tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1], tf.int64)))
    assert r.values.numpy().tolist() == [[-1.0, -2.0]] and r.indices.numpy().tolist() == [1]
    assert r.dense_shape is None


def test_nest_expand_composites():
    y = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1], tf.int64))
    assert tf.nest.flatten(y) == [y]
    flat = tf.nest.flatten({"b": y, "a": 1}, expand_composites=True)
    assert flat[0] == 1
    assert flat[1].numpy().tolist() == [[1.0, 2.0]] and flat[2].numpy().tolist() == [1]
    packed = tf.nest.pack_sequence_as(y, [tf.constant([[7.0]]), tf.constant([3])], expand_composites=True)
    assert isinstance(packed, tf.IndexedSlices)
    assert packed.values.numpy().tolist() == [[7.0]] and packed.indices.numpy().tolist() == [3]
    assert packed.dense_shape is None
    doubled = tf.nest.map_structure(lambda t: t * 2, [_slices()], expand_composites=True)[0]
    assert doubled.values.numpy().tolist() == [[2.0, 4.0], [6.0, 8.0], [10.0, 12.0]]
    assert doubled.indices.numpy().tolist() == [0, 4, 0] and doubled.dense_shape.numpy().tolist() == [8, 4]


def test_sparse_mask():
    m = tf.sparse.mask(_slices(), tf.constant([0]))
    assert isinstance(m, tf.IndexedSlices)
    assert m.values.numpy().tolist() == [[3.0, 4.0]]
    assert m.indices.numpy().tolist() == [2] and m.indices.dtype == tf.int32
    assert m.dense_shape.numpy().tolist() == [4, 2]
    a = tf.IndexedSlices(tf.constant([1.0, 2.0, 3.0]), tf.constant([5, 3, 9], tf.int64), tf.constant([10], tf.int64))
    m = tf.sparse.mask(a, [9, 4])
    assert m.values.numpy().tolist() == [1.0, 2.0]
    assert m.indices.numpy().tolist() == [5, 3] and m.indices.dtype == tf.int64
    assert m.dense_shape.numpy().tolist() == [10]


def test_sparse_mask_in_function():
    @tf.function
    def masked(s, drop):
        return tf.sparse.mask(s, drop)

    m = masked(_slices(), tf.constant([2]))
    assert m.values.numpy().tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert m.indices.numpy().tolist() == [0, 0]
    assert m.dense_shape.numpy().tolist() == [4, 2]


def test_dir_of_tf():
    names = dir(tf)
    assert "IndexedSlices" in names and "IndexedSlicesSpec" in names
    assert "mask" in dir(tf.sparse)


def test_nest_expand_sparse_and_ragged():
    s = tf.SparseTensor([[0, 1]], [5.0], [2, 3])
    r = tf.ragged.constant([[1, 2], [3]])
    flat = tf.nest.flatten([s, r], expand_composites=True)
    assert [t.numpy().tolist() for t in flat] == [[[0, 1]], [5.0], [2, 3], [1, 2, 3], [0, 2, 3]]
    s2, r2 = tf.nest.pack_sequence_as([s, r], flat, expand_composites=True)
    assert tf.sparse.to_dense(s2).numpy().tolist() == [[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]
    assert r2.to_list() == [[1, 2], [3]]


def _ones_slices(n, rows):
    return tf.IndexedSlices(tf.ones([n, 2]), tf.range(n), tf.constant([rows, 2]))


@pytest.mark.parametrize("reduce_retracing, traces", [(False, 5), (True, 3)])
def test_function_retracing(reduce_retracing, traces):
    @tf.function(reduce_retracing=reduce_retracing)
    def dense(s):
        return tf.convert_to_tensor(s)

    for n, rows in [(2, 5), (3, 5), (4, 5), (4, 6), (1, 7)]:
        got = dense(_ones_slices(n, rows)).numpy()
        np.testing.assert_array_equal(got, np.concatenate([np.ones([n, 2]), np.zeros([rows - n, 2])]))
    assert dense.experimental_get_tracing_count() == traces
    assert dense.pretty_printed_concrete_signatures().splitlines()[1] == (
        "  s (POSITIONAL_OR_KEYWORD): IndexedSlicesSpec(TensorShape([5, 2]), tf.float32, tf.int32, tf.int32, "
        "TensorShape([2]))"
    )


def test_compat_v1_convert_to_tensor_or_indexed_slices():
    x = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]), tf.constant([3, 2]))
    assert tf.compat.v1.convert_to_tensor_or_indexed_slices(x) is x
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` int32 for `value`"):
        tf.compat.v1.convert_to_tensor_or_indexed_slices(x, dtype=tf.int32)
    t = tf.compat.v1.convert_to_tensor_or_indexed_slices([1, 2], dtype=tf.int64)
    assert t.dtype == tf.int64 and t.numpy().tolist() == [1, 2]
