"""``tf.lookup.StaticHashTable`` and ``KeyValueTensorInitializer``: values, dtypes and errors as TensorFlow's.

The expected values and messages were produced by TensorFlow 2.21 on the inputs written here; each lookup is
checked eagerly, inside ``tf.function`` and inside ``Dataset.map``.
"""

import numpy as np
import pytest

import ferroflow as tf

KEYS = ["a", "b", "c"]
VALUES = [7, 8, 9]


def table(default=-1, keys=KEYS, values=VALUES, **kwargs):
    return tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values, **kwargs), default)


def test_the_documented_example():
    t = table()
    out = t.lookup(tf.constant(["a", "f"]))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [7, -1]
    assert t[tf.constant([["a", "b"], ["c", "d"]])].numpy().tolist() == [[7, 8], [9, -1]]
    assert t.lookup(tf.constant("b")).numpy() == 8 and t.lookup(tf.constant("b")).shape == ()
    size = t.size()
    assert size.dtype == tf.int64 and int(size) == 3
    assert t.key_dtype == tf.string and t.value_dtype == tf.int32
    assert t.default_value.dtype == tf.int32 and int(t.default_value) == -1
    assert t.name is None  # TensorFlow names eager tables by nothing


def test_export_gives_every_pair():
    keys, values = table().export()
    assert keys.dtype == tf.string and values.dtype == tf.int32
    pairs = sorted(zip(keys.numpy().tolist(), values.numpy().tolist()))
    assert pairs == [(b"a", 7), (b"b", 8), (b"c", 9)]


@pytest.mark.parametrize(
    "key_dtype, value_dtype, keys, values, default, queries, expected",
    [
        (tf.int32, tf.float32, [1, 2], [1.5, 2.5], -1, [2, 5], [2.5, -1.0]),
        (tf.int64, tf.string, [1, 2], ["x", "y"], "UNK", [2, 5], [b"y", b"UNK"]),
        (tf.string, tf.bool, ["a"], [True], False, ["a", "b"], [True, False]),
        (tf.string, tf.float64, ["a"], [1.5], 0.0, ["a", "b"], [1.5, 0.0]),
        (tf.int64, tf.int64, [-(2**40), 3], [1, 2], 0, [3, -(2**40), 4], [2, 1, 0]),
    ],
)
def test_key_and_value_dtypes(key_dtype, value_dtype, keys, values, default, queries, expected):
    t = table(default, keys, values, key_dtype=key_dtype, value_dtype=value_dtype)
    out = t.lookup(tf.constant(queries, dtype=key_dtype))
    assert out.dtype == value_dtype and out.numpy().tolist() == expected


def test_python_ranges_and_numpy_arrays_as_initializer_inputs():
    vocab = ["the", "cat", "sat"]
    init = tf.lookup.KeyValueTensorInitializer(vocab, range(2, 5), key_dtype=tf.string, value_dtype=tf.int64)
    assert (init.key_dtype, init.value_dtype) == (tf.string, tf.int64)
    t = tf.lookup.StaticHashTable(init, -1)
    assert t.lookup(tf.constant(["sat", "dog"])).numpy().tolist() == [4, -1]
    t = table(0, np.array([10, 20], np.int64), np.array([0.5, 0.25]))
    assert t.lookup(tf.constant([20, 30], tf.int64)).numpy().tolist() == [0.25, 0.0]


def test_sparse_and_ragged_keys_are_looked_up_by_their_values():
    t = table()
    ragged = t.lookup(tf.ragged.constant([["a", "b"], ["z"]]))
    assert isinstance(ragged, tf.RaggedTensor) and ragged.to_list() == [[7, 8], [-1]]
    sparse = t.lookup(tf.SparseTensor([[0, 0], [1, 2]], ["a", "q"], [2, 3]))
    assert isinstance(sparse, tf.SparseTensor)
    assert sparse.values.numpy().tolist() == [7, -1] and sparse.dense_shape.numpy().tolist() == [2, 3]


def test_duplicate_keys_with_one_value_count_once():
    t = table(-1, ["a", "a", "b"], [1, 1, 2])
    assert int(t.size()) == 2 and t.lookup(tf.constant(["a"])).numpy().tolist() == [1]


def test_lookup_inside_tf_function():
    t = table()

    @tf.function
    def f(x):
        return t.lookup(x), t.size()

    out, size = f(tf.constant([["c", "q"]]))
    assert out.numpy().tolist() == [[9, -1]] and int(size) == 3
    shapes = []

    @tf.function
    def g(x):
        y = t[x]
        shapes.append(y.shape)
        return y

    assert g(tf.constant(["b"])).numpy().tolist() == [8]
    assert shapes[0].as_list() == [1]  # the static shape of the keys


def test_lookup_inside_dataset_map():
    t = table()
    ds = tf.data.Dataset.from_tensor_slices(["a", "b", "q"]).map(lambda x: t.lookup(x))
    assert ds.element_spec == tf.TensorSpec((), tf.int32)
    assert [int(v) for v in ds.as_numpy_iterator()] == [7, 8, -1]
    ds = tf.data.Dataset.from_tensor_slices([["a", "b"], ["q", "a"]]).map(lambda x: t[x], num_parallel_calls=2)
    assert ds.element_spec == tf.TensorSpec((2,), tf.int32)
    assert [v.tolist() for v in ds.as_numpy_iterator()] == [[7, 8], [-1, 7]]


def test_a_table_made_inside_tf_function():
    @tf.function
    def constant_keys(x):
        t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)
        return t.lookup(x)

    assert constant_keys(tf.constant(["b", "z"])).numpy().tolist() == [2, -1]

    @tf.function
    def computed_keys(x):
        t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(x, tf.range(tf.size(x))), -1)
        return t.lookup(x)

    assert computed_keys(tf.constant(["b", "z"])).numpy().tolist() == [0, 1]
    # the trace's table is filled at each call: as many pairs again is TensorFlow's no-op (the table keeps the
    # first call's), any other number an error
    assert computed_keys(tf.constant(["q", "r"])).numpy().tolist() == [-1, -1]
    assert computed_keys(tf.constant(["z", "b"])).numpy().tolist() == [1, 0]


def test_filling_a_table_again():
    t = table()
    assert t._initializer.initialize(t) is None  # as many pairs: nothing changes
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table was already initialized with different data."):
        tf.lookup.KeyValueTensorInitializer(["a"], [1]).initialize(t)


def test_wrong_key_dtype_is_a_type_error():
    t = table()
    with pytest.raises(
        TypeError, match=r"Dtype of argument `keys` must be <dtype: 'string'>, received: <dtype: 'int32'>"
    ):
        t.lookup(tf.constant([1]))
    f = table(-1.0, [1, 2], [1.5, 2.5])
    with pytest.raises(TypeError, match="must be <dtype: 'int32'>, received: <dtype: 'int64'>"):
        f.lookup(tf.constant([2], tf.int64))
    with pytest.raises(TypeError, match="received: <dtype: 'float32'>"):
        f.lookup(tf.constant([1.0]))


def test_initializer_errors():
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 1 and trying to add value 2",
    ):
        table(-1, ["a", "a"], [1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, got \[1\]"):
        table(-1, ["a", "b"], [1])
    empty = tf.lookup.KeyValueTensorInitializer(tf.constant([], tf.string), tf.constant([], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="keys and values cannot be empty tensors."):
        tf.lookup.StaticHashTable(empty, -1)


def test_default_value_must_be_a_scalar_of_the_value_dtype():
    kv = tf.lookup.KeyValueTensorInitializer(KEYS, VALUES)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(\) are not compatible"):
        tf.lookup.StaticHashTable(kv, [-1, -2])
    with pytest.raises(TypeError):
        tf.lookup.StaticHashTable(kv, "x")
    with pytest.raises(TypeError):
        tf.lookup.StaticHashTable(kv, -1.5)


@pytest.mark.parametrize(
    "key_dtype, value_dtype",
    [(tf.float32, tf.int32), (tf.uint8, tf.int32), (tf.int8, tf.int32), (tf.int32, tf.int64), (tf.int64, tf.bool)],
)
def test_dtype_pairs_tensorflow_has_no_kernel_for(key_dtype, value_dtype):
    init = tf.lookup.KeyValueTensorInitializer(tf.constant([1], key_dtype), tf.cast(tf.constant([1]), value_dtype))
    with pytest.raises(tf.errors.NotFoundError, match="HashTableV2"):
        tf.lookup.StaticHashTable(init, tf.cast(tf.constant(0), value_dtype))


def test_initializer_dtype_arguments():
    init = tf.lookup.KeyValueTensorInitializer([1, 2], [3, 4], key_dtype=tf.int64, value_dtype=tf.float32)
    assert (init.key_dtype, init.value_dtype) == (tf.int64, tf.float32)
    with pytest.raises((TypeError, ValueError)):  # a tensor is not converted to another dtype (ValueError in TF)
        tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2]), [3, 4], key_dtype=tf.int64)


def test_many_keys_at_once_match_a_dict():
    rng = np.random.default_rng(0)
    keys = rng.choice(10**6, size=5000, replace=False).astype(np.int64)
    values = rng.normal(size=5000)
    t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values), np.nan)
    queries = rng.integers(0, 10**6, size=(40, 50)).astype(np.int64)
    queries[::3] = keys[:50]
    ref = dict(zip(keys.tolist(), values.tolist()))
    expected = np.array([[ref.get(q, np.nan) for q in row] for row in queries.tolist()])
    np.testing.assert_array_equal(t.lookup(tf.constant(queries)).numpy(), expected)
    words = [f"w{i}".encode() for i in range(3000)]
    s = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(words, np.arange(3000)), -1)
    q = [f"w{i}".encode() for i in rng.integers(0, 4000, 1000)]
    assert s.lookup(tf.constant(q)).numpy().tolist() == [int(w[1:]) if int(w[1:]) < 3000 else -1 for w in q]


def test_namespace_is_tensorflows():
    assert [n for n in dir(tf.lookup) if not n.startswith("_")] == [
        "KeyValueTensorInitializer",
        "StaticHashTable",
        "StaticVocabularyTable",
        "TextFileIndex",
        "TextFileInitializer",
        "experimental",
    ]
    assert [n for n in dir(tf.lookup.experimental) if not n.startswith("_")] == ["DenseHashTable", "MutableHashTable"]
    assert tf.lookup.TextFileIndex.WHOLE_LINE == -2 and tf.lookup.TextFileIndex.LINE_NUMBER == -1
