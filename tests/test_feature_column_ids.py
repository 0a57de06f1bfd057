"""tf.feature_column categorical ids against TensorFlow 2.21: hash buckets, vocabularies, identity, bucketized and
crossed columns, eagerly and inside tf.function (the graph FarmHash), on dense and sparse inputs.

The expected ids were computed with TensorFlow 2.21 (``col.get_sparse_tensors(FeatureTransformationCache(...))``)
and are pasted here.
"""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.feature_column import _fingerprint_graph
from ferroflow.feature_column._base import FeatureTransformationCache
from ferroflow.layers._string_hash import fingerprint64

fc = tf.feature_column

WORDS = ["Tensorflow", "Keras", "RNN", "LSTM", "CNN", "", "a" * 17, "b" * 40, "c" * 70, "héllo", "1", "-5"]
WORDS_IDS = [709, 261, 948, 709, 126, 131, 803, 541, 151, 849, 816]  # '' (position 5) is dropped
WORDS32 = [f"w{i}_" + "xyz"[i % 3] * (i * 7 % 90) for i in range(32)]
HASH32 = [
    693,
    481,
    153,
    215,
    271,
    599,
    109,
    185,
    497,
    951,
    22,
    994,
    188,
    504,
    103,
    272,
    200,
    877,
    252,
    134,
    49,
    281,
    414,
    253,
    595,
    629,
    540,
    193,
    230,
    831,
    344,
    902,
]
INTS32 = [(-1) ** i * i * 7919 for i in range(32)]
HASHINT32 = [
    35,
    39,
    30,
    24,
    0,
    12,
    38,
    43,
    43,
    32,
    39,
    11,
    41,
    29,
    4,
    15,
    8,
    24,
    35,
    0,
    13,
    30,
    44,
    2,
    36,
    17,
    6,
    35,
    38,
    38,
    39,
    31,
]
CROSS32 = [
    [319, 9666],
    [1061, 1543],
    [2263, 7364],
    [4837, 5054],
    [941, 2633],
    [1786, 9864],
    [1016, 3830],
    [6297, 8243],
    [322, 6688],
    [4699, 5415],
    [6844, 9995],
    [5180, 5642],
    [3426, 7693],
    [1331, 7138],
    [5464, 7420],
    [2041, 5170],
    [4279, 7859],
    [7299, 9132],
    [1254, 7142],
    [382, 7229],
    [1529, 8028],
    [942, 7097],
    [2194, 6748],
    [4985, 7711],
    [3298, 4549],
    [6854, 9005],
    [8242, 9058],
    [4490, 7573],
    [2374, 7267],
    [5115, 7485],
    [3225, 5209],
    [3875, 8170],
]


def sparse_ids(column, features):
    pair = column.get_sparse_tensors(FeatureTransformationCache(features), None)
    ids = pair.id_tensor
    return ids.indices.numpy().tolist(), ids.values.numpy().tolist(), ids.dense_shape.numpy().tolist()


def graph_ids(column, features):
    """The ids computed inside tf.function (graph ops), as ``(present, values)`` NumPy arrays."""

    @tf.function
    def run(feats):
        ids = column.get_ids(FeatureTransformationCache(feats), None)
        return ids.values, ids.present

    values, present = run({k: tf.constant(v) for k, v in features.items()})
    return values.numpy()[present.numpy()].tolist()


def test_hash_bucket_strings_match_tensorflow():
    col = fc.categorical_column_with_hash_bucket("w", 1000)
    feats = {"w": np.array([WORDS], dtype=object)}
    indices, values, shape = sparse_ids(col, feats)
    assert values == WORDS_IDS
    assert indices == [[0, i] for i in range(12) if i != 5] and shape == [1, 12]
    assert graph_ids(col, feats) == WORDS_IDS


def test_hash_bucket_batch_of_32_long_strings_eager_and_graph():
    col = fc.categorical_column_with_hash_bucket("w", 1000)
    feats = {"w": np.array(WORDS32, dtype=object).reshape(32, 1)}
    assert sparse_ids(col, feats)[1] == HASH32
    assert graph_ids(col, feats) == HASH32


@pytest.mark.parametrize("dtype", ["int64", "int32"])
def test_hash_bucket_integers_hash_their_decimal_text(dtype):
    col = fc.categorical_column_with_hash_bucket("w", 50, dtype=dtype)
    feats = {"w": np.array(INTS32, dtype=dtype).reshape(32, 1)}
    assert sparse_ids(col, feats)[1] == HASHINT32
    assert graph_ids(col, feats) == HASHINT32
    # -1 is "missing" for integer features
    assert sparse_ids(
        fc.categorical_column_with_hash_bucket("w", 97, dtype="int64"), {"w": np.array([[1, -5, 123456789, -1, 0]])}
    )[1] == [88, 52, 3, 12]


def test_vocabulary_list_with_oov_buckets_and_default():
    col = fc.categorical_column_with_vocabulary_list("c", ["R", "G", "B", "Y"], num_oov_buckets=3)
    feats = {"c": np.array([["R", "X", "B"], ["Q", "", "Y"]], dtype=object)}
    assert sparse_ids(col, feats) == ([[0, 0], [0, 1], [0, 2], [1, 0], [1, 2]], [0, 4, 2, 6, 3], [2, 3])
    assert graph_ids(col, feats) == [0, 4, 2, 6, 3]
    col = fc.categorical_column_with_vocabulary_list("c", [10, 20, 30], num_oov_buckets=5)
    feats = {"c": np.array([[10, 7, 30], [-1, 99, 20]], np.int64)}
    assert sparse_ids(col, feats)[1] == [0, 6, 2, 5, 1]
    assert graph_ids(col, feats) == [0, 6, 2, 5, 1]
    col = fc.categorical_column_with_vocabulary_list("c", ["R", "G"], default_value=0)
    assert sparse_ids(col, {"c": [["R", "X"], ["G", ""]]})[1] == [0, 0, 1]
    assert col.num_buckets == 2 and col.dtype == tf.string


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(path))
    assert col.vocabulary_size == 3 and col.num_buckets == 3
    feats = {"k": [["a", "c"], ["z", "b"]]}
    assert sparse_ids(col, feats)[1] == [0, 2, -1, 1]
    oov = fc.categorical_column_with_vocabulary_file("k", str(path), num_oov_buckets=4)
    assert sparse_ids(oov, feats)[1] == [0, 2, 4, 1]
    assert graph_ids(oov, feats) == [0, 2, 4, 1]
    assert sparse_ids(fc.categorical_column_with_vocabulary_file("k", str(path), vocabulary_size=2), feats)[1] == [
        0,
        -1,
        -1,
        1,
    ]
    ints = tmp_path / "ints.txt"
    ints.write_text("10\n20\n30\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(ints), dtype=tf.int64, default_value=7)
    assert sparse_ids(col, {"k": [[10, 30], [5, 20]]})[1] == [0, 2, 7, 1]


def test_identity_with_and_without_default():
    feats = {"i": [[1, 7], [-1, -3]]}
    col = fc.categorical_column_with_identity("i", 5, default_value=0)
    assert sparse_ids(col, feats) == ([[0, 0], [0, 1], [1, 1]], [1, 0, 0], [2, 2])
    assert graph_ids(col, feats) == [1, 0, 0]
    assert sparse_ids(fc.categorical_column_with_identity("i", 5), feats)[1] == [1, 7, -3]


def test_bucketized_ids_offset_per_element():
    col = fc.bucketized_column(fc.numeric_column("p", shape=2), [0.0, 10.0, 100.0])
    feats = {"p": np.array([[-5.0, 10000.0], [150.0, 10.0], [5.0, 100.0]], np.float32)}
    assert sparse_ids(col, feats)[1] == [0, 7, 3, 6, 1, 7]
    assert col.num_buckets == 8 and col.name == "p_bucketized"


def test_crossed_columns_match_tensorflow():
    feats = {"a": np.array([["x", "y"], ["z", ""]], dtype=object), "b": np.array([["p"], ["q"]], dtype=object)}
    col = fc.crossed_column(["a", "b"], 1000)
    # a dense feature is crossed whole: '' is crossed too
    assert sparse_ids(col, feats)[1] == [452, 734, 751, 679]
    assert graph_ids(col, feats) == [452, 734, 751, 679]
    assert sparse_ids(fc.crossed_column(["a", "b"], 1000, hash_key=7), feats)[1] == [472, 865, 477, 917]
    two_by_two = {"a": np.array([["x", "y"]], dtype=object), "b": np.array([["p", "q"]], dtype=object)}
    assert sparse_ids(col, two_by_two)[1] == [452, 216, 734, 692]  # TensorFlow's order within a row
    bucket = fc.bucketized_column(fc.numeric_column("p", shape=2), [0.0, 10.0, 100.0])
    ints = fc.crossed_column([bucket, fc.categorical_column_with_identity("i", 5)], 10000)
    feats = {"p": np.array([[-5.0, 10000.0], [150.0, 10.0]], np.float32), "i": np.array([[1], [3]])}
    assert sparse_ids(ints, feats)[1] == [963, 6645, 3185, 4319]
    assert graph_ids(ints, feats) == [963, 6645, 3185, 4319]
    vocab = fc.crossed_column([fc.categorical_column_with_vocabulary_list("c", ["R", "G"]), "a"], 50)
    assert sparse_ids(vocab, {"c": [["R"], ["X"]], "a": [["x"], ["y"]]})[1] == [43, 8]  # OOV -1 is crossed
    nested = fc.crossed_column([fc.crossed_column(["a", "b"], 10), "c"], 100)
    assert nested.name == "a_X_b_X_c"
    assert sparse_ids(nested, {"a": [["x"]], "b": [["y"]], "c": [["z"]]})[1] == [44]


def test_crossed_batch_of_32_three_features():
    a = np.array([f"a{i % 5}" for i in range(32)], dtype=object).reshape(32, 1)
    b = np.array([[f"b{i % 3}", f"c{i % 7}"] for i in range(32)], dtype=object)
    age = np.linspace(0, 90, 32).astype(np.float32).reshape(32, 1)
    col = fc.crossed_column(
        ["a", "b", fc.bucketized_column(fc.numeric_column("age"), [20.0, 40.0, 60.0])], 10000, hash_key=12345
    )
    feats = {"a": a, "b": b, "age": age}
    indices, values, _ = sparse_ids(col, feats)
    rows = np.array(indices)[:, 0]
    assert [sorted(np.array(values)[rows == r].tolist()) for r in range(32)] == CROSS32
    assert sorted(graph_ids(col, feats)) == sorted(v for row in CROSS32 for v in row)


def test_sparse_inputs_keep_exactly_their_elements():
    col = fc.crossed_column(["a", "b"], 1000)
    feats = {
        "a": tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2]),
        "b": tf.sparse.SparseTensor([[0, 0], [1, 0]], ["d", "e"], [2, 1]),
    }
    assert sparse_ids(col, feats) == ([[0, 0], [1, 0], [1, 1]], [182, 361, 641], [2, 2])
    vocab = fc.categorical_column_with_vocabulary_list("a", ["a", "c"])
    sp = tf.sparse.SparseTensor([[0, 1], [1, 0]], ["c", ""], [2, 3])  # a sparse '' is a value, not missing
    assert sparse_ids(vocab, {"a": sp}) == ([[0, 1], [1, 0]], [1, -1], [2, 3])


def test_rank_one_features_become_one_column():
    col = fc.categorical_column_with_vocabulary_list("c", ["a", "b", "c"])
    assert sparse_ids(col, {"c": np.array(["a", "b"])}) == ([[0, 0], [1, 0]], [0, 1], [2, 1])
    assert sparse_ids(col, {"c": ["c", "a"]})[1] == [2, 0]


def test_graph_fingerprint_equals_farmhash_for_every_length():
    rng = np.random.default_rng(0)
    strings = [bytes(rng.integers(0, 256, size=n, dtype=np.uint8)) for n in range(0, 257)]
    expected = np.array([fingerprint64(s) for s in strings], dtype=np.uint64)
    got = tf.function(_fingerprint_graph.fingerprint64)(tf.constant(np.array(strings, dtype=object))).numpy()
    assert np.array_equal(got, expected)
    with pytest.raises(tf.errors.InvalidArgumentError, match="longer than 256 bytes"):
        tf.function(_fingerprint_graph.fingerprint64)(tf.constant([b"x" * 257]))


def test_fingerprint_cat64_against_its_definition():
    mask = (1 << 64) - 1

    def shift_mix(v):
        return v ^ (v >> 47)

    def cat(a, b):
        k = 0xC6A4A7935BD1E995
        r = a ^ k
        r ^= (shift_mix((b * k) & mask) * k) & mask
        r = (r * k) & mask
        return shift_mix((shift_mix(r) * k) & mask)

    rng = np.random.default_rng(1)
    a = rng.integers(0, 2**63, size=64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=64, dtype=np.uint64)
    got = _fingerprint_graph.fingerprint_cat64(tf.constant(a), tf.constant(b)).numpy()
    assert got.tolist() == [cat(int(x), int(y)) for x, y in zip(a, b)]
