"""``tf.lookup.StaticVocabularyTable``: vocabulary ids and out-of-vocabulary buckets equal TensorFlow's.

The ids were computed with TensorFlow 2.21 on the inputs written here (its docstring examples and more); the
buckets are ``Fingerprint64`` of the key (of its decimal text for integer keys) modulo ``num_oov_buckets``.
"""

import numpy as np
import pytest

import ferroflow as tf


def elp(values=(0, 1, 2)):
    return tf.lookup.KeyValueTensorInitializer(
        keys=tf.constant(["emerson", "lake", "palmer"]), values=tf.constant(list(values), dtype=tf.int64)
    )


def test_the_documented_example():
    table = tf.lookup.StaticVocabularyTable(elp(), num_oov_buckets=5)
    out = table[tf.constant(["emerson", "lake", "palmer", "king", "crimson"])]
    assert out.dtype == tf.int64 and out.numpy().tolist() == [0, 1, 2, 6, 7]
    size = table.size()
    assert size.dtype == tf.int64 and int(size) == 8
    assert table.key_dtype == tf.string and table.value_dtype == tf.int64


def test_out_of_vocabulary_buckets_of_many_strings():
    table = tf.lookup.StaticVocabularyTable(elp(), num_oov_buckets=5)
    keys = ["", "a", "hello world", "ferroflow", "x" * 300, "über"]
    assert table.lookup(tf.constant(keys)).numpy().tolist() == [6, 7, 4, 4, 3, 6]
    # the same buckets as tf.strings.to_hash_bucket_fast, after the vocabulary's 3 ids
    buckets = tf.strings.to_hash_bucket_fast(keys, 5).numpy()
    assert table.lookup(tf.constant(keys)).numpy().tolist() == (buckets + 3).tolist()


def test_ids_collide_with_buckets_as_documented():
    table = tf.lookup.StaticVocabularyTable(elp((1, 2, 3)), num_oov_buckets=1)
    assert table[tf.constant(["emerson", "lake", "palmer", "king"])].numpy().tolist() == [1, 2, 3, 3]
    # an id of -1 counts as out of vocabulary (TensorFlow compares with the inner table's default)
    init = tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([-1, 5], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 3)
    assert table[tf.constant(["a", "b", "c"])].numpy().tolist() == [2, 5, 3]


def test_without_a_vocabulary_only_buckets_are_used():
    table = tf.lookup.StaticVocabularyTable(None, 4)
    assert table.lookup(tf.constant(["a", "b", "emerson"])).numpy().tolist() == [3, 2, 2]
    assert int(table.size()) == 4 and table.key_dtype == tf.string and table.name == "hash_bucket"
    assert tf.lookup.StaticVocabularyTable(None, 4, lookup_key_dtype=tf.int64).key_dtype == tf.string


def test_integer_keys_hash_as_their_decimal_text():
    init = tf.lookup.KeyValueTensorInitializer(tf.constant([10, 20, 30], tf.int64), tf.constant([0, 1, 2], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 7)
    keys = tf.constant([10, 30, 5, -3, 123456789, 0], tf.int64)
    assert table.lookup(keys).numpy().tolist() == [0, 2, 4, 7, 6, 5]
    narrow = tf.lookup.StaticVocabularyTable(init, 7, lookup_key_dtype=tf.int32)
    assert narrow.key_dtype == tf.int32
    assert narrow.lookup(tf.constant([10, 5, -3], tf.int32)).numpy().tolist() == [0, 4, 7]
    init = tf.lookup.KeyValueTensorInitializer(tf.constant([100, 200], tf.int64), tf.constant([0, 1], tf.int64))
    wide = tf.lookup.StaticVocabularyTable(init, 1000)
    assert wide.lookup(tf.constant([100, 7, 42, -1, 2**40], tf.int64)).numpy().tolist() == [0, 90, 738, 432, 380]


def test_sparse_and_ragged_keys():
    table = tf.lookup.StaticVocabularyTable(elp(), num_oov_buckets=5)
    assert table.lookup(tf.ragged.constant([["lake", "zz"], []])).to_list() == [[1, 5], []]
    sparse = table.lookup(tf.SparseTensor([[0, 1]], ["king"], [1, 3]))
    assert sparse.values.numpy().tolist() == [6] and sparse.indices.numpy().tolist() == [[0, 1]]


def test_the_load_text_tutorial_pipeline():
    vocab = ["the", "cat", "sat", "on", "mat"]
    init = tf.lookup.KeyValueTensorInitializer(
        vocab, range(2, len(vocab) + 2), key_dtype=tf.string, value_dtype=tf.int64
    )
    table = tf.lookup.StaticVocabularyTable(init, 1)
    lines = tf.data.Dataset.from_tensor_slices((["the cat sat", "a dog sat on the mat", "cat"], [0, 1, 0]))
    ds = lines.map(lambda text, label: (table.lookup(tf.strings.split(text)), label))
    assert ds.element_spec == (tf.TensorSpec((None,), tf.int64), tf.TensorSpec((), tf.int32))
    assert [(a.tolist(), int(b)) for a, b in ds.as_numpy_iterator()] == [
        ([2, 3, 4], 0),
        ([5, 5, 4, 5, 2, 6], 1),
        ([3], 0),
    ]
    batches = [(a.tolist(), b.tolist()) for a, b in ds.padded_batch(2).as_numpy_iterator()]
    assert batches == [([[2, 3, 4, 0, 0, 0], [5, 5, 4, 5, 2, 6]], [0, 1]), ([[3]], [0])]
    three = tf.lookup.StaticVocabularyTable(init, 3)
    assert three.lookup(tf.constant(["a", "dog", "zebra", "the"])).numpy().tolist() == [5, 7, 7, 2]


def test_inside_tf_function():
    table = tf.lookup.StaticVocabularyTable(elp(), num_oov_buckets=5)

    @tf.function
    def ids(x):
        return table.lookup(x), table.size()

    out, size = ids(tf.constant(["palmer", "king"]))
    assert out.numpy().tolist() == [2, 6] and int(size) == 8


def test_many_keys_match_a_reference():
    rng = np.random.default_rng(1)
    vocab = [f"w{i}" for i in range(500)]
    init = tf.lookup.KeyValueTensorInitializer(vocab, np.arange(500, dtype=np.int64))
    table = tf.lookup.StaticVocabularyTable(init, 11)
    words = [f"w{i}" for i in rng.integers(0, 800, 2000)]
    buckets = tf.strings.to_hash_bucket_fast(words, 11).numpy()
    expected = [int(w[1:]) if int(w[1:]) < 500 else 500 + int(b) for w, b in zip(words, buckets)]
    assert table.lookup(tf.constant(words)).numpy().tolist() == expected


def test_argument_errors():
    with pytest.raises(ValueError, match="`num_oov_buckets` must be > 0; use StaticHashTable."):
        tf.lookup.StaticVocabularyTable(elp(), 0)
    int32_keys = tf.lookup.KeyValueTensorInitializer([1, 2], tf.constant([0, 1], tf.int64))
    with pytest.raises(TypeError, match=r"Invalid `key_dtype`, expected one of \(tf.int64, tf.string\)"):
        tf.lookup.StaticVocabularyTable(int32_keys, 2)
    with pytest.raises(TypeError, match="Invalid `value_dtype`, expected <dtype: 'int64'> but got <dtype: 'int32'>."):
        tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["a"], [0]), 2)
    ints = tf.lookup.KeyValueTensorInitializer(tf.constant([1], tf.int64), tf.constant([0], tf.int64))
    with pytest.raises(TypeError, match="Invalid `key_dtype`, expected non-integer but got <dtype: 'int64'>."):
        tf.lookup.StaticVocabularyTable(ints, 2, lookup_key_dtype=tf.string)
    with pytest.raises(TypeError, match="Invalid `key_dtype`, expected integer or string, got <dtype: 'float32'>"):
        tf.lookup.StaticVocabularyTable(elp(), 2, lookup_key_dtype=tf.float32)
    table = tf.lookup.StaticVocabularyTable(elp(), 2)
    with pytest.raises(TypeError, match="must be <dtype: 'string'>, received: <dtype: 'int32'>"):
        table.lookup(tf.constant([1]))
    table = tf.lookup.StaticVocabularyTable(ints, 2)
    with pytest.raises(TypeError, match="must be <dtype: 'int64'>, received: <dtype: 'int32'>"):
        table.lookup(tf.constant([1]))


def test_names():
    assert tf.lookup.StaticVocabularyTable(elp(), 3).name is None
    assert tf.lookup.StaticVocabularyTable(elp(), 3, name="voc/").name == "voc"
