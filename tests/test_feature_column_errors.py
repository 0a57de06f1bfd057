"""Bad arguments and bad features for tf.feature_column and DenseFeatures: TensorFlow 2.21's error types and
messages (taken from TensorFlow runs)."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.feature_column._base import FeatureTransformationCache

fc = tf.feature_column


def ids_of(column, features):
    return column.get_sparse_tensors(FeatureTransformationCache(features), None).id_tensor


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: fc.numeric_column("x", shape=(0,)),
            ValueError,
            r"shape dimensions must be greater than 0\. shape: \(0,\)",
        ),
        (lambda: fc.numeric_column("x", shape=(1.5,)), TypeError, "shape dimensions must be integer"),
        (lambda: fc.numeric_column("x", dtype=tf.string), ValueError, "dtype must be convertible to float"),
        (lambda: fc.numeric_column("x", normalizer_fn=3), TypeError, "normalizer_fn must be a callable. Given: 3"),
        (lambda: fc.numeric_column("x", default_value="a"), TypeError, "default_value must be compatible with dtype"),
        (
            lambda: fc.numeric_column("x", shape=(2,), default_value=[1.0, 2.0, 3.0]),
            ValueError,
            "The shape of default_value must be equal to given shape",
        ),
        (lambda: fc.numeric_column(3), ValueError, "key must be a string. Got: type <class 'int'>"),
        (
            lambda: fc.bucketized_column(fc.numeric_column("x"), [1.0, 0.5]),
            ValueError,
            "boundaries must be a sorted list",
        ),
        (
            lambda: fc.bucketized_column(fc.numeric_column("x"), [1.0, 1.0]),
            ValueError,
            "boundaries must be a sorted list",
        ),
        (lambda: fc.bucketized_column(fc.numeric_column("x"), []), ValueError, "boundaries must not be empty"),
        (
            lambda: fc.bucketized_column(fc.numeric_column("x", shape=(2, 2)), [1.0]),
            ValueError,
            "source_column must be one-dimensional column",
        ),
        (
            lambda: fc.bucketized_column(fc.categorical_column_with_identity("x", 3), [1.0]),
            ValueError,
            "source_column must be a column generated with numeric_column",
        ),
        (lambda: fc.categorical_column_with_hash_bucket("k", 0), ValueError, "hash_bucket_size must be at least 1"),
        (lambda: fc.categorical_column_with_hash_bucket("k", None), ValueError, "hash_bucket_size must be set. key: k"),
        (
            lambda: fc.categorical_column_with_hash_bucket("k", 3, dtype=tf.float32),
            ValueError,
            r"column_name: k dtype must be string or integer. dtype: <dtype: 'float32'>\.",
        ),
        (lambda: fc.categorical_column_with_vocabulary_list("k", []), ValueError, "must be non-empty, column_name: k"),
        (
            lambda: fc.categorical_column_with_vocabulary_list("k", ["a", "a"]),
            ValueError,
            "Duplicate keys in vocabulary",
        ),
        (
            lambda: fc.categorical_column_with_vocabulary_list("k", ["a"], default_value=0, num_oov_buckets=1),
            ValueError,
            "Can't specify both num_oov_buckets and default_value in k",
        ),
        (
            lambda: fc.categorical_column_with_vocabulary_list("k", ["a"], num_oov_buckets=-1),
            ValueError,
            "Invalid num_oov_buckets -1 in k",
        ),
        (
            lambda: fc.categorical_column_with_vocabulary_list("k", [1.5, 2.5]),
            ValueError,
            "column_name: k vocabulary dtype must be string or integer",
        ),
        (
            lambda: fc.categorical_column_with_vocabulary_list("k", ["a"], dtype=tf.int64),
            ValueError,
            "dtype <dtype: 'int64'> and vocabulary dtype <dtype: 'string'> do not match",
        ),
        (lambda: fc.categorical_column_with_vocabulary_file("k", ""), ValueError, "Missing vocabulary_file in k"),
        (
            lambda: fc.categorical_column_with_vocabulary_file("k", "/no/such/file"),
            ValueError,
            "vocabulary_file in k does not exist",
        ),
        (lambda: fc.categorical_column_with_identity("k", 0), ValueError, "num_buckets 0 < 1, column_name k"),
        (
            lambda: fc.categorical_column_with_identity("k", 3, default_value=3),
            ValueError,
            r"default_value 3 not in range \[0, 3\)",
        ),
        (lambda: fc.crossed_column(["a"], 10), ValueError, "keys must be a list with length > 1"),
        (lambda: fc.crossed_column(["a", "b"], 0), ValueError, "hash_bucket_size must be > 1"),
        (
            lambda: fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("b", 3)], 10),
            ValueError,
            "categorical_column_with_hash_bucket is not supported for crossing",
        ),
        (lambda: fc.crossed_column(["a", fc.numeric_column("b")], 10), ValueError, "Unsupported key type"),
        (
            lambda: fc.indicator_column(fc.numeric_column("b")),
            ValueError,
            "Unsupported input type. Input must be a CategoricalColumn",
        ),
        (
            lambda: fc.embedding_column(fc.categorical_column_with_identity("b", 3), 0),
            ValueError,
            "Invalid dimension 0",
        ),
        (
            lambda: fc.embedding_column(fc.categorical_column_with_identity("b", 3), 2, ckpt_to_load_from="x"),
            ValueError,
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt`",
        ),
        (
            lambda: fc.embedding_column(fc.categorical_column_with_identity("b", 3), 2, initializer=3),
            ValueError,
            "initializer must be callable if specified. Embedding of column_name: b",
        ),
        (
            lambda: fc.weighted_categorical_column(fc.categorical_column_with_identity("b", 3), "w", dtype=tf.string),
            ValueError,
            "dtype <dtype: 'string'> is not convertible to float",
        ),
        (
            lambda: fc.shared_embeddings([fc.categorical_column_with_identity("b", 3)], 2),
            RuntimeError,
            "shared_embedding_columns are not supported when eager execution is enabled",
        ),
        (lambda: fc.make_parse_example_spec(["a"]), ValueError, "All feature_columns must be FeatureColumn instances"),
        (
            lambda: fc.make_parse_example_spec([fc.numeric_column("a"), fc.categorical_column_with_identity("a", 3)]),
            ValueError,
            "feature_columns contain different parse_spec for key a",
        ),
    ],
)
def test_bad_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_bad_features():
    vocab = fc.categorical_column_with_vocabulary_list("c", ["a", "b"])
    with pytest.raises(ValueError, match="Feature c is not in features dictionary"):
        ids_of(vocab, {"x": [["a"]]})
    with pytest.raises(ValueError, match=r"Feature \(key: c\) cannot have rank 0"):
        ids_of(vocab, {"c": "a"})
    with pytest.raises(
        ValueError,
        match="Column dtype and SparseTensors dtype must be compatible. key: c, column "
        "dtype: <dtype: 'string'>, tensor dtype: <dtype: 'int32'>",
    ):
        ids_of(vocab, {"c": [[1]]})
    with pytest.raises(ValueError, match="column_name: c input_tensor dtype must be string or integer"):
        ids_of(vocab, {"c": [[1.5]]})
    with pytest.raises(ValueError, match="Invalid input, not integer. key: k dtype: <dtype: 'string'>"):
        ids_of(fc.categorical_column_with_identity("k", 3), {"k": [["a"]]})
    with pytest.raises(ValueError, match="Column dtype and SparseTensors dtype must be compatible"):
        ids_of(fc.categorical_column_with_hash_bucket("k", 3), {"k": [[1]]})
    numeric = tf.keras.layers.DenseFeatures([fc.numeric_column("x")])
    with pytest.raises(ValueError, match="numerical column must be a Tensor. SparseTensor is not supported. key: x"):
        numeric({"x": tf.sparse.SparseTensor([[0, 0]], [1.0], [1, 1])})
    with pytest.raises(TypeError, match="numeric_column 'x' expects numbers; received a string tensor"):
        numeric({"x": [["a"]]})
    weighted = fc.indicator_column(fc.weighted_categorical_column(fc.categorical_column_with_identity("i", 3), "w"))
    with pytest.raises(ValueError, match="Bad dtype, expected <dtype: 'float32'>, but got <dtype: 'int64'>"):
        tf.keras.layers.DenseFeatures([weighted])({"i": [[1]], "w": np.array([[2]])})
    cross = fc.indicator_column(
        fc.crossed_column([fc.weighted_categorical_column(fc.categorical_column_with_identity("i", 3), "w"), "s"], 5)
    )
    with pytest.raises(ValueError, match="crossed_column does not support weight_tensor"):
        tf.keras.layers.DenseFeatures([cross])({"i": [[1]], "w": [[1.0]], "s": [["a"]]})


def test_out_of_range_identity_fails_the_embedding_lookup():
    col = fc.embedding_column(fc.categorical_column_with_identity("i", 3), 2)
    layer = tf.keras.layers.DenseFeatures([col])
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 5 is out of range"):
        layer({"i": [[1], [5]]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 5 is out of range"):
        tf.function(layer)({"i": tf.constant([[1], [5]])})
    with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum'"):
        tf.keras.layers.DenseFeatures(
            [fc.embedding_column(fc.categorical_column_with_identity("i", 3), 2, combiner="max")]
        )({"i": [[1]]})


def test_vocabulary_file_errors(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a\nb\nc\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(path), vocabulary_size=5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"Invalid vocab_size in {path}: expected 5 but got 3"):
        ids_of(col, {"k": [["a"]]})
    dup = tmp_path / "dup.txt"
    dup.write_text("a\nb\na\n")
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 0 and trying to add value 2",
    ):
        ids_of(fc.categorical_column_with_vocabulary_file("k", str(dup)), {"k": [["a"]]})
    missing = fc.categorical_column_with_vocabulary_file("k", str(tmp_path / "gone.txt"), vocabulary_size=3)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        ids_of(missing, {"k": [["a"]]})
    with pytest.raises(ValueError, match="Can't specify both num_oov_buckets and default_value in k"):
        fc.categorical_column_with_vocabulary_file("k", str(path), num_oov_buckets=2, default_value=1)
    with pytest.raises(ValueError, match="Invalid vocabulary_size in k"):
        fc.categorical_column_with_vocabulary_file("k", str(path), vocabulary_size=0)


def test_dense_features_errors():
    ident = fc.categorical_column_with_identity("i", 3)
    with pytest.raises(
        ValueError,
        match="Items of feature_columns must be a .*DenseColumn.* You can wrap a "
        "categorical column with an embedding_column or indicator_column",
    ):
        tf.keras.layers.DenseFeatures([ident])
    with pytest.raises(ValueError, match="Duplicate feature column name found for columns"):
        tf.keras.layers.DenseFeatures([fc.numeric_column("a"), fc.numeric_column("a", shape=2)])
    with pytest.raises(ValueError, match="feature_columns must not be empty"):
        tf.keras.layers.DenseFeatures([])
    with pytest.raises(ValueError, match="Expected feature_columns to be iterable, found dict"):
        tf.keras.layers.DenseFeatures({"a": fc.numeric_column("a")})
    with pytest.raises(ValueError, match="Items of feature_columns must be a FeatureColumn"):
        tf.keras.layers.DenseFeatures(["a"])
    layer = tf.keras.layers.DenseFeatures([fc.numeric_column("a"), fc.numeric_column("b")])
    with pytest.raises(ValueError, match="We expected a dictionary here"):
        layer(np.ones((2, 1), np.float32))
    with pytest.raises(
        ValueError,
        match=r"Batch size \(first dimension\) of each feature must be same. Batch size "
        r"of columns \(a, b\): \(2, 3\)",
    ):
        layer({"a": np.ones((2, 1), np.float32), "b": np.ones((3, 1), np.float32)})
