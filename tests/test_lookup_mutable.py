"""``tf.lookup.experimental.MutableHashTable`` and ``DenseHashTable``: contents, errors and, for the dense table,
TensorFlow's bucket layout (what ``export`` returns).

Expected values were produced by TensorFlow 2.21 on the inputs written here.
"""

import numpy as np
import pytest

import ferroflow as tf

MutableHashTable = tf.lookup.experimental.MutableHashTable
DenseHashTable = tf.lookup.experimental.DenseHashTable


def test_mutable_documented_example():
    table = MutableHashTable(key_dtype=tf.string, value_dtype=tf.int64, default_value=-1)
    keys = tf.constant(["a", "b", "c"])
    assert table.insert(keys, tf.constant([7, 8, 9], dtype=tf.int64)) is None
    assert table.lookup(tf.constant(["a", "f"])).numpy().tolist() == [7, -1]
    assert table.remove(tf.constant(["c"])) is None
    assert table.lookup(keys).numpy().tolist() == [7, 8, -1]
    exported_keys, exported_values = table.export()
    assert sorted(exported_keys.numpy().tolist()) == [b"a", b"b"]
    assert sorted(exported_values.numpy().tolist()) == [7, 8]
    size = table.size()
    assert size.dtype == tf.int64 and int(size) == 2


def test_mutable_updates_defaults_and_shapes():
    table = MutableHashTable(tf.string, tf.int64, -1)
    table.insert(["a", "b"], [1, 2])  # Python lists are converted to the table's dtypes
    table.insert(["a"], [70])
    assert table.lookup(["a"]).numpy().tolist() == [70]
    table.insert(["q", "q"], [1, 2])  # the last value of a repeated key wins
    assert table.lookup(["q"]).numpy().tolist() == [2]
    table.insert(tf.constant([["x", "y"]]), tf.constant([[5, 6]], tf.int64))
    assert table.lookup(tf.constant([["y", "x"], ["a", "z"]])).numpy().tolist() == [[6, 5], [70, -1]]
    dynamic = table.lookup(tf.constant(["a", "zz"]), dynamic_default_values=tf.constant([5, 6], tf.int64))
    assert dynamic.numpy().tolist() == [70, 6]
    dynamic = table.lookup(tf.constant(["a", "zz"]), dynamic_default_values=tf.constant(5, tf.int64))
    assert dynamic.numpy().tolist() == [70, 5]
    assert int(table.size()) == 5 and table.name is None
    table.remove(tf.constant(["nothing"]))  # missing keys are ignored
    assert int(table.size()) == 5


def test_mutable_vector_values():
    table = MutableHashTable(tf.int64, tf.float32, [-1.0, -2.0])
    empty_keys, empty_values = table.export()
    assert empty_keys.shape == (0,) and empty_values.shape == (0, 2)
    assert table.lookup(tf.constant([3], tf.int64)).numpy().tolist() == [[-1.0, -2.0]]
    table.insert(tf.constant([1, 2], tf.int64), tf.constant([[1, 2], [3, 4]], tf.float32))
    out = table.lookup(tf.constant([[1, 5]], tf.int64))
    assert out.shape == (1, 2, 2) and out.numpy().tolist() == [[[1.0, 2.0], [-1.0, -2.0]]]
    keys, values = table.export()
    assert sorted(zip(keys.numpy().tolist(), values.numpy().tolist())) == [(1, [1.0, 2.0]), (2, [3.0, 4.0])]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected shape \[2,2\] for value, got \[2\]"):
        table.insert(tf.constant([1, 2], tf.int64), tf.constant([1, 2], tf.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Default value must be a vector, got shape \[1,2\]"):
        MutableHashTable(tf.string, tf.int64, [[1, 2]])


def test_mutable_errors():
    table = MutableHashTable(tf.string, tf.int64, -1)
    with pytest.raises(
        TypeError, match="Dtype of argument `keys` must be <dtype: 'string'>, received: <dtype: 'int32'>"
    ):
        table.remove(tf.constant([1]))
    with pytest.raises((TypeError, ValueError)):  # TensorFlow: ValueError from the tensor conversion
        table.lookup(tf.constant([1]))
    with pytest.raises((TypeError, ValueError)):
        table.insert(tf.constant(["x"]), tf.constant([1], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, got \[1\]"):
        table.insert(tf.constant(["x", "y"]), tf.constant([1], tf.int64))
    for key_dtype, value_dtype, default in [
        (tf.float32, tf.int32, 0),
        (tf.string, tf.uint8, 0),
        (tf.string, tf.string, ""),
    ]:
        with pytest.raises(tf.errors.NotFoundError):
            MutableHashTable(key_dtype, value_dtype, tf.constant(default, value_dtype))


def test_mutable_inside_tf_function_and_dataset_map():
    table = MutableHashTable(tf.string, tf.int64, -1)

    @tf.function
    def update(k, v):
        table.insert(k, v)  # runs before the lookup written after it
        return table.lookup(k), table.size()

    found, size = update(tf.constant(["p", "q"]), tf.constant([3, 4], tf.int64))
    assert found.numpy().tolist() == [3, 4] and int(size) == 2
    found, size = update(tf.constant(["r"]), tf.constant([5], tf.int64))
    assert found.numpy().tolist() == [5] and int(size) == 3
    numbers = MutableHashTable(tf.int64, tf.float32, -1.0)
    numbers.insert(tf.constant([1, 2], tf.int64), tf.constant([0.5, 1.5]))
    ds = tf.data.Dataset.range(4).map(lambda x: numbers.lookup(x))
    assert [float(v) for v in ds.as_numpy_iterator()] == [-1.0, 0.5, 1.5, -1.0]
    numbers.insert(tf.constant([3], tf.int64), tf.constant([9.0]))  # a later change is seen by the next pass
    assert [float(v) for v in ds.as_numpy_iterator()] == [-1.0, 0.5, 1.5, 9.0]


def test_mutable_many_operations_match_a_dict():
    rng = np.random.default_rng(2)
    table = MutableHashTable(tf.int64, tf.float64, 0.0)
    ref = {}
    for _ in range(20):
        keys = rng.integers(0, 300, 40).astype(np.int64)
        values = rng.normal(size=40)
        table.insert(tf.constant(keys), tf.constant(values))
        ref.update(zip(keys.tolist(), values.tolist()))
        gone = rng.integers(0, 300, 10).astype(np.int64)
        table.remove(tf.constant(gone))
        for g in gone.tolist():
            ref.pop(g, None)
    queries = np.arange(300, dtype=np.int64)
    assert table.lookup(tf.constant(queries)).numpy().tolist() == [ref.get(q, 0.0) for q in queries.tolist()]
    assert int(table.size()) == len(ref)


def dense_strings(**kwargs):
    return DenseHashTable(tf.string, tf.int64, -1, empty_key="", deleted_key="$", **kwargs)


def test_dense_documented_example():
    table = dense_strings()
    table.insert(tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], dtype=tf.int64))
    table.remove(tf.constant(["c"]))
    assert table.lookup(tf.constant(["a", "b", "c", "d"])).numpy().tolist() == [0, 1, -1, -1]
    assert int(table.size()) == 2
    keys, values = table.export()  # the bucket arrays: 2**17 buckets by default, keys and values as rows
    assert keys.shape == (131072, 1) and values.shape == (131072, 1)
    assert sorted(k for k in keys.numpy().ravel().tolist() if k) == [b"$", b"a", b"b"]


def test_dense_string_buckets_are_tensorflows():
    table = dense_strings(initial_num_buckets=8)
    table.insert(tf.constant(["apple", "banana", "cherry", "date"]), tf.constant([1, 2, 3, 4], tf.int64))
    keys, values = table.export()
    assert keys.numpy().ravel().tolist() == [b"", b"banana", b"apple", b"cherry", b"", b"date", b"", b""]
    assert values.numpy().ravel().tolist() == [0, 2, 1, 3, 0, 4, 0, 0]
    table.remove(tf.constant(["banana"]))
    table.insert(tf.constant(["elder", "fig", "grape"]), tf.constant([5, 6, 7], tf.int64))
    keys, values = table.export()
    assert keys.numpy().ravel().tolist() == [b"grape", b"$", b"apple", b"cherry", b"elder", b"date", b"fig", b""]
    assert values.numpy().ravel().tolist() == [7, 2, 1, 3, 5, 4, 6, 0]
    assert int(table.size()) == 6
    assert table.lookup(tf.constant(["apple", "banana", "fig", "zzz"])).numpy().tolist() == [1, -1, 6, -1]


def test_dense_integer_buckets_grow_as_tensorflows():
    table = DenseHashTable(tf.int64, tf.float32, -1.0, empty_key=-1, deleted_key=-2, initial_num_buckets=4)
    table.insert(tf.constant([5, 9, 13, -7, 2**40], tf.int64), tf.constant([1, 2, 3, 4, 5], tf.float32))
    keys, values = table.export()  # 5 keys need 8 buckets at most 80% full
    assert keys.numpy().ravel().tolist() == [2**40, 9, -7, -1, -1, 5, 13, -1]
    assert values.numpy().ravel().tolist() == [5.0, 2.0, 4.0, 0.0, 0.0, 1.0, 3.0, 0.0]
    table.remove(tf.constant([9], tf.int64))
    table.insert(tf.constant([9, 17], tf.int64), tf.constant([20, 30], tf.float32))
    keys, values = table.export()
    assert keys.numpy().ravel().tolist() == [2**40, 9, -7, -1, 17, 5, 13, -1]
    assert values.numpy().ravel().tolist() == [5.0, 20.0, 4.0, 0.0, 30.0, 1.0, 3.0, 0.0]
    assert int(table.size()) == 6
    assert table.lookup(tf.constant([9, 17, 5, 100], tf.int64)).numpy().tolist() == [20.0, 30.0, 1.0, -1.0]
    small = DenseHashTable(tf.int32, tf.float64, 0.0, empty_key=0, deleted_key=-1, initial_num_buckets=4)
    small.insert(tf.constant([-5, 3], tf.int32), tf.constant([1.5, 2.5], tf.float64))
    keys, values = small.export()
    assert keys.numpy().ravel().tolist() == [3, 0, 0, -5] and values.numpy().ravel().tolist() == [2.5, 0, 0, 1.5]


def test_dense_vector_keys_and_values():
    table = DenseHashTable(tf.int64, tf.int64, -1, empty_key=[-1, -1], deleted_key=[-2, -2], initial_num_buckets=8)
    table.insert(tf.constant([[1, 2], [3, 4], [1, 3]], tf.int64), tf.constant([10, 20, 30], tf.int64))
    keys, values = table.export()
    assert keys.numpy().tolist() == [[-1, -1], [-1, -1], [1, 3], [1, 2], [-1, -1], [-1, -1], [-1, -1], [3, 4]]
    assert values.numpy().ravel().tolist() == [0, 0, 30, 10, 0, 0, 0, 20]
    assert table.lookup(tf.constant([[1, 2], [1, 3], [9, 9]], tf.int64)).numpy().tolist() == [10, 30, -1]
    vectors = DenseHashTable(tf.int64, tf.float32, [0.0, 0.0], empty_key=-1, deleted_key=-2, initial_num_buckets=8)
    vectors.insert([1, 2, 3], [[1, 1], [2, 2], [3, 3]])
    assert vectors.lookup([3, 4]).numpy().tolist() == [[3.0, 3.0], [0.0, 0.0]]
    keys, values = vectors.export()
    assert keys.shape == (8, 1) and values.shape == (8, 2)


def test_dense_errors():
    table = dense_strings(initial_num_buckets=8)
    table.insert(tf.constant(["a"]), tf.constant([1], tf.int64))
    for op in (
        lambda k: table.lookup(k),
        lambda k: table.remove(k),
        lambda k: table.insert(k, tf.constant([1], tf.int64)),
    ):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Using the empty_key as a table key is not allowed"):
            op(tf.constant([""]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Using the deleted_key as a table key is not allowed"):
            op(tf.constant(["$"]))
    with pytest.raises(
        TypeError, match="Signature mismatch. Keys must be dtype <dtype: 'string'>, got <dtype: 'int32'>."
    ):
        table.erase(tf.constant([1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Empty and deleted keys cannot be equal"):
        DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=0)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Number of buckets must be at least 4 and a power of 2, got: 10"
    ):
        DenseHashTable(tf.int64, tf.float32, 0.0, empty_key=-1, deleted_key=-2, initial_num_buckets=10)
    with pytest.raises(tf.errors.NotFoundError):
        DenseHashTable(tf.float32, tf.int32, -1, 0.0, 1.0)


def test_dense_many_operations_match_a_dict():
    rng = np.random.default_rng(3)
    table = DenseHashTable(tf.int64, tf.int64, -1, empty_key=-1, deleted_key=-2, initial_num_buckets=4)
    ref = {}
    for _ in range(15):
        keys = rng.integers(0, 200, 30).astype(np.int64)
        table.insert(tf.constant(keys), tf.constant(keys * 3))
        ref.update((k, 3 * k) for k in keys.tolist())
        gone = rng.integers(0, 200, 10).astype(np.int64)
        table.remove(tf.constant(gone))
        for g in gone.tolist():
            ref.pop(g, None)
    queries = np.arange(200, dtype=np.int64)
    assert table.lookup(tf.constant(queries)).numpy().tolist() == [ref.get(q, -1) for q in queries.tolist()]
    assert int(table.size()) == len(ref)


def test_dense_inside_tf_function():
    table = dense_strings(initial_num_buckets=16)

    @tf.function
    def update(k, v):
        table.insert(k, v)
        return table.lookup(k)

    assert update(tf.constant(["x", "y"]), tf.constant([1, 2], tf.int64)).numpy().tolist() == [1, 2]
    assert table.lookup(tf.constant(["y", "w"])).numpy().tolist() == [2, -1]
