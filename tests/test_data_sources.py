"""tf.data sources and the Dataset protocol: element specs, iteration, cardinality, options (TensorFlow 2 semantics)."""

import collections
import os

import numpy as np
import pytest

import ferroflow as tf

D = tf.data.Dataset


def values(ds):
    return [v.tolist() if isinstance(v, np.ndarray) else v for v in ds.as_numpy_iterator()]


def spec(shape, dtype):
    return tf.TensorSpec(shape, dtype)


# -- from_tensor_slices / from_tensors


def test_from_tensor_slices_tuple_specs_and_tensors():
    ds = D.from_tensor_slices(([1, 2, 3], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert ds.element_spec == (spec([], tf.int32), spec([2], tf.float32))
    elements = list(ds)
    assert len(elements) == 3
    a, b = elements[1]
    assert isinstance(a, tf.Tensor) and isinstance(b, tf.Tensor)
    assert a.numpy() == 2 and b.numpy().tolist() == [3.0, 4.0]
    assert a.dtype == tf.int32 and b.shape == [2]


def test_from_tensor_slices_dict_namedtuple_and_list_leaf():
    ds = D.from_tensor_slices({"a": [1, 2], "b": np.array([[1.0], [2.0]])})
    assert ds.element_spec == {"a": spec([], tf.int32), "b": spec([1], tf.float64)}
    assert values(ds.map(lambda d: d["a"] * 10)) == [10, 20]
    Point = collections.namedtuple("Point", "x y")
    ds = D.from_tensor_slices(Point(np.arange(3), np.arange(3) * 2))
    first = next(iter(ds))
    assert isinstance(first, Point) and int(first.y) == 0
    # A list is one tensor (sliced), not a structure.
    assert D.from_tensor_slices([[1, 2], [3, 4]]).element_spec == spec([2], tf.int32)


def test_from_tensor_slices_errors():
    with pytest.raises(ValueError):
        D.from_tensor_slices(([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError):
        D.from_tensor_slices(5)


def test_from_tensors_and_tensor_inputs():
    ds = D.from_tensors(tf.constant([[1, 2], [3, 4]]))
    assert ds.element_spec == spec([2, 2], tf.int32)
    assert values(ds) == [[[1, 2], [3, 4]]]
    assert len(ds) == 1
    assert values(D.from_tensor_slices(tf.constant([5.0, 6.0]))) == [5.0, 6.0]


# -- range


@pytest.mark.parametrize(
    "args, expected",
    [
        ((5,), [0, 1, 2, 3, 4]),
        ((2, 5), [2, 3, 4]),
        ((1, 5, 2), [1, 3]),
        ((1, 5, -3), []),
        ((5, 1, -2), [5, 3]),
        ((10, 0, -3), [10, 7, 4, 1]),
        ((0,), []),
    ],
)
def test_range(args, expected):
    ds = D.range(*args)
    assert values(ds) == expected
    assert int(ds.cardinality()) == len(expected)
    assert ds.element_spec == spec([], tf.int64)


def test_range_dtype_and_errors():
    ds = D.range(3, dtype=tf.int32)
    assert ds.element_spec.dtype == tf.int32
    assert next(iter(ds)).dtype == tf.int32
    assert D.range(2, dtype=tf.float32).element_spec.dtype == tf.float32
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(0, 5, 0)
    with pytest.raises(ValueError):
        D.range(1, 2, 3, 4)


# -- from_generator


def test_from_generator_output_signature_and_fresh_generator_each_iteration():
    calls = []

    def gen():
        calls.append(1)
        for i in range(3):
            yield i, [float(i)] * i

    ds = D.from_generator(gen, output_signature=(spec([], tf.int64), spec([None], tf.float32)))
    assert ds.element_spec == (spec([], tf.int64), spec([None], tf.float32))
    assert [(int(a), b.numpy().tolist()) for a, b in ds] == [(0, []), (1, [1.0]), (2, [2.0, 2.0])]
    list(ds)
    assert len(calls) == 2
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_from_generator_output_types_shapes_and_args():
    ds = D.from_generator(lambda: iter([(1, [1.0])]), output_types=(tf.int32, tf.float32))
    assert [s.shape.rank for s in ds.element_spec] == [None, None]
    ds = D.from_generator(lambda: iter([(1, [1.0])]), output_types=(tf.int32, tf.float32), output_shapes=((), (None,)))
    assert ds.element_spec == (spec([], tf.int32), spec([None], tf.float32))
    ds = D.from_generator(lambda n: iter(range(n)), output_types=tf.int64, args=(3,))
    assert values(ds) == [0, 1, 2]


@pytest.mark.parametrize(
    "items, signature, match",
    [
        ([[1, 2], [1, 2, 3]], spec([2], tf.int32), "shape"),
        ([1, 2], (spec([], tf.int32), spec([], tf.int32)), "structure"),
        ([[1.5], "x"], spec([None], tf.float32), "expected type"),
    ],
)
def test_from_generator_bad_elements(items, signature, match):
    ds = D.from_generator(lambda: iter(items), output_signature=signature)
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        list(ds)


# -- zip / concatenate


def test_zip_tuple_varargs_and_nested():
    a, b = D.range(2), D.range(10, 13)
    assert values(D.zip((a, b))) == [(0, 10), (1, 11)]
    assert values(D.zip(a, b)) == [(0, 10), (1, 11)]
    nested = D.zip({"a": D.range(2), "b": (D.range(3), D.range(4))})
    assert values(nested) == [{"a": 0, "b": (0, 0)}, {"a": 1, "b": (1, 1)}]
    assert int(nested.cardinality()) == 2
    with pytest.raises(TypeError):
        D.zip((a, [1, 2]))


def test_concatenate_types_and_shapes():
    ds = D.range(3).concatenate(D.range(10, 12))
    assert values(ds) == [0, 1, 2, 10, 11]
    assert int(ds.cardinality()) == 5
    relaxed = D.from_tensors([1, 2]).concatenate(D.from_tensors([1, 2, 3]))
    assert relaxed.element_spec == spec([None], tf.int32)
    assert D.range(3).concatenate(D.range(3).batch(2)).element_spec.shape.rank is None
    with pytest.raises(TypeError):
        D.range(3).concatenate(D.range(3, dtype=tf.int32))


# -- iteration protocol


def test_iteration_stop_and_get_next():
    it = iter(D.range(2))
    assert int(next(it)) == 0
    assert int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(tf.errors.OutOfRangeError):
        iter(D.range(0)).get_next()
    assert iter(D.range(1)).element_spec == spec([], tf.int64)


def test_each_iteration_starts_over_and_iterators_are_independent():
    ds = D.range(3)
    first, second = iter(ds), iter(ds)
    assert int(next(first)) == 0 and int(next(first)) == 1
    assert int(next(second)) == 0
    assert values(ds) == [0, 1, 2]


def test_as_numpy_iterator_scalars_and_arrays():
    out = list(D.from_tensor_slices(([1, 2], [[1.0], [2.0]])).as_numpy_iterator())
    a, b = out[0]
    assert isinstance(a, np.int32) and isinstance(b, np.ndarray) and b.dtype == np.float32


def test_len_and_cardinality_constants():
    assert len(D.range(7)) == 7
    with pytest.raises(TypeError, match="infinite"):
        len(D.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(D.range(3).filter(lambda x: x > 0))
    assert tf.data.INFINITE_CARDINALITY == -1 and tf.data.UNKNOWN_CARDINALITY == -2
    assert tf.data.experimental.INFINITE_CARDINALITY == -1
    c = tf.data.experimental.cardinality(D.range(4))
    assert isinstance(c, tf.Tensor) and c.dtype == tf.int64 and int(c) == 4


def test_repr_and_public_names():
    assert repr(D.range(3)) == "<_RangeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    names = dir(tf.data)
    for name in ("Dataset", "AUTOTUNE", "Options", "experimental", "INFINITE_CARDINALITY", "DatasetSpec"):
        assert name in names
    assert "np" not in names and "structure" not in names
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    assert "cardinality" in dir(tf.data.experimental)


def test_get_single_element():
    assert int(D.from_tensors(7).get_single_element()) == 7
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one"):
        D.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        D.range(0).get_single_element()


def test_options_merge_and_unknown_names():
    options = tf.data.Options()
    options.deterministic = False
    options.threading.private_threadpool_size = 4
    ds = D.range(3).with_options(options).map(lambda x: x + 1)
    got = ds.options()
    assert got.deterministic is False and got.threading.private_threadpool_size == 4
    assert got.experimental_deterministic is False
    later = tf.data.Options()
    later.deterministic = True
    assert ds.with_options(later).options().deterministic is True
    assert ds.with_options(later).options().threading.private_threadpool_size == 4
    assert values(ds) == [1, 2, 3]
    assert D.range(1).options().deterministic is None
    with pytest.raises(AttributeError):
        options.not_an_option = 1
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA


def test_list_files(tmp_path):
    for name in ("b.txt", "a.txt", "c.csv"):
        (tmp_path / name).write_text("x")
    pattern = os.path.join(str(tmp_path), "*.txt")
    from ferroflow.data import structure

    if structure.string_dtype() is None:  # file names are tf.string elements
        with pytest.raises(NotImplementedError, match="string"):
            D.list_files(pattern)
        return
    ds = D.list_files(pattern, shuffle=False)
    assert [os.path.basename(v.decode()) for v in ds.as_numpy_iterator()] == ["a.txt", "b.txt"]
    shuffled = D.list_files(pattern, seed=1)
    assert sorted(values(shuffled)) == sorted(values(ds))
    with pytest.raises(tf.errors.InvalidArgumentError, match="No files matched"):
        D.list_files(os.path.join(str(tmp_path), "*.none"))
