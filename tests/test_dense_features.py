"""keras.layers.DenseFeatures with numeric, bucketized, indicator and embedding columns against TensorFlow 2.21
outputs (pasted) and NumPy, eagerly, in tf.function and in Dataset.map; configs; parse-example specs."""

import numpy as np
import pytest

import ferroflow as tf

fc = tf.feature_column
W = np.arange(24, dtype=np.float32).reshape(6, 4) / 10 - 1.0


def init(shape, dtype=None, partition_info=None):
    return tf.constant(W[: shape[0], : shape[1]])


VOCAB = fc.categorical_column_with_vocabulary_list("c", ["a", "b", "c", "d"], num_oov_buckets=2)
FEATS = {"c": np.array([["a", "b"], ["x", ""], ["", ""]], dtype=object)}
WFEATS = {
    "c": np.array([["a", "b"], ["x", "a"], ["c", "d"]], dtype=object),
    "w": np.array([[2.0, 0.5], [1.0, 3.0], [-1.0, 2.0]], np.float32),
}
# TensorFlow 2.21: safe_embedding_lookup_sparse with the weights W above ('x' hashes to OOV id 4)
EMB = {
    "mean": [[-0.8, -0.7, -0.6, -0.5], [0.6, 0.7, 0.8, 0.9], [0, 0, 0, 0]],
    "sqrtn": [[-1.1313709, -0.98994946, -0.8485281, -0.70710677], [0.6, 0.7, 0.8, 0.9], [0, 0, 0, 0]],
    "sum": [[-1.6, -1.4, -1.2, -1.0], [0.6, 0.7, 0.8, 0.9], [0, 0, 0, 0]],
}
WEMB = {
    "mean": [[-0.92, -0.82, -0.72, -0.62], [-0.6, -0.5, -0.4, -0.3], [0.2, 0.3, 0.4, 0.5]],
    "sqrtn": [
        [-1.1156639, -0.9943961, -0.87312824, -0.75186044],
        [-0.75894666, -0.63245547, -0.50596446, -0.3794733],
        [0.2, 0.3, 0.4, 0.5],
    ],
    "sum": [[-2.3, -2.05, -1.8, -1.55], [-2.4, -2.0, -1.6, -1.2], [0.6, 0.7, 0.8, 0.9]],
}


def dense(columns, features):
    return tf.keras.layers.DenseFeatures(columns)(features).numpy()


@pytest.mark.parametrize("combiner", ["mean", "sqrtn", "sum"])
def test_embedding_combiners_match_tensorflow(combiner):
    col = fc.embedding_column(VOCAB, 4, combiner=combiner, initializer=init)
    np.testing.assert_allclose(dense([col], FEATS), EMB[combiner], atol=1e-6)
    weighted = fc.embedding_column(fc.weighted_categorical_column(VOCAB, "w"), 4, combiner=combiner, initializer=init)
    np.testing.assert_allclose(dense([weighted], WFEATS), WEMB[combiner], atol=1e-6)


def test_embedding_max_norm_clips_each_row_before_combining():
    col = fc.embedding_column(VOCAB, 4, initializer=init, max_norm=1.0)
    expected = [
        [-0.5916059, -0.5124453, -0.4332847, -0.35412413],
        [0.3956283, 0.46156636, 0.5275043, 0.5934424],
        [0, 0, 0, 0],
    ]
    np.testing.assert_allclose(dense([col], FEATS), expected, atol=1e-6)


def test_indicator_counts_and_weights():
    np.testing.assert_array_equal(
        dense([fc.indicator_column(VOCAB)], FEATS), [[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]]
    )
    np.testing.assert_array_equal(
        dense([fc.indicator_column(fc.weighted_categorical_column(VOCAB, "w"))], WFEATS),
        [[2, 0.5, 0, 0, 0, 0], [3, 0, 0, 0, 1, 0], [0, 0, -1, 2, 0, 0]],
    )
    np.testing.assert_array_equal(dense([fc.indicator_column(VOCAB)], {"c": [["a", "a", "b"]]}), [[2, 1, 0, 0, 0, 0]])
    cross = fc.indicator_column(fc.crossed_column(["a", "b"], 5))
    np.testing.assert_array_equal(
        dense([cross], {"a": [["x", "y"], ["z", ""]], "b": [["p"], ["q"]]}), [[0, 0, 1, 0, 1], [0, 1, 0, 0, 1]]
    )
    ident = fc.indicator_column(fc.categorical_column_with_identity("i", 3))
    np.testing.assert_array_equal(dense([ident], {"i": [[1], [5]]}), [[0, 1, 0], [0, 0, 0]])  # out of range: zeros


def test_columns_are_concatenated_in_order_of_name():
    cols = [
        fc.numeric_column("z", shape=(2,)),
        fc.bucketized_column(fc.numeric_column("age"), [18.0, 30.0]),
        fc.indicator_column(fc.categorical_column_with_identity("id", 3)),
        fc.numeric_column("a", normalizer_fn=lambda x: x * 2.0),
    ]
    feats = {"z": [[1.0, 2.0], [3.0, 4.0]], "age": [10.0, 30.0], "id": [[2], [0]], "a": [[5.0], [6.0]]}
    # a, age_bucketized, id_indicator, z (TensorFlow 2.21)
    np.testing.assert_array_equal(dense(cols, feats), [[10, 1, 0, 0, 0, 0, 1, 1, 2], [12, 0, 0, 1, 1, 0, 0, 3, 4]])
    bucket = fc.bucketized_column(fc.numeric_column("p", shape=2), [0.0, 10.0, 100.0])
    np.testing.assert_array_equal(
        dense([bucket], {"p": [[-5.0, 10000.0], [150.0, 10.0], [5.0, 100.0]]}),
        [[1, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 0, 0, 1]],
    )
    np.testing.assert_array_equal(
        dense([fc.numeric_column("m", shape=(2, 2))], {"m": np.arange(8.0).reshape(2, 2, 2)}),
        [[0, 1, 2, 3], [4, 5, 6, 7]],
    )


def test_sparse_feature_embedding():
    col = fc.embedding_column(VOCAB, 4, initializer=init)
    sp = tf.sparse.SparseTensor([[0, 0], [0, 3], [2, 1]], ["a", "d", "zz"], [3, 5])
    expected = [[-0.4, -0.3, -0.2, -0.1], [0, 0, 0, 0], [0.6, 0.7, 0.8, 0.9]]
    np.testing.assert_allclose(dense([col], {"c": sp}), expected, atol=1e-6)


def _numpy_embedding(table, ids, weights, combiner):
    out = np.zeros((len(ids), table.shape[1]))
    for r, (row, w) in enumerate(zip(ids, weights)):
        keep = [(i, x) for i, x in zip(row, w) if i >= 0 and (combiner == "sum" or x > 0)]
        if not keep:
            continue
        total = sum(x * table[i] for i, x in keep)
        norm = {"sum": 1.0, "mean": sum(x for _, x in keep), "sqrtn": np.sqrt(sum(x * x for _, x in keep))}[combiner]
        out[r] = total / norm
    return out


@pytest.mark.parametrize("combiner", ["mean", "sqrtn", "sum"])
def test_batch_32_embedding_against_numpy_eager_and_in_tf_function(combiner):
    rng = np.random.default_rng(0)
    vocab = [f"tok{i}" for i in range(20)]
    words = rng.choice(vocab + ["", "oov"], size=(32, 5)).astype(object)
    weights = rng.uniform(-0.5, 2.0, size=(32, 5)).astype(np.float32)
    col = fc.embedding_column(
        fc.weighted_categorical_column(fc.categorical_column_with_vocabulary_list("w", vocab), "wt"),
        8,
        combiner=combiner,
    )
    layer = tf.keras.layers.DenseFeatures([col])
    feats = {"w": words, "wt": weights}
    eager = layer(feats).numpy()
    table = layer.weights[0].numpy()
    ids = np.array([[vocab.index(x) if x in vocab else -1 for x in row] for row in words])
    np.testing.assert_allclose(eager, _numpy_embedding(table, ids, weights, combiner), rtol=1e-5, atol=1e-6)
    graph = tf.function(lambda f: layer(f))({k: tf.constant(v) for k, v in feats.items()}).numpy()
    np.testing.assert_array_equal(graph, eager)


def test_default_initializer_is_truncated_normal_with_stddev_one_over_sqrt_dimension():
    col = fc.embedding_column(fc.categorical_column_with_identity("i", 4000), 16)
    assert col.initializer.get_config()["stddev"] == pytest.approx(0.25)
    layer = tf.keras.layers.DenseFeatures([col])
    layer({"i": [[1]]})
    w = layer.weights[0].numpy()
    assert w.shape == (4000, 16) and layer.weights[0].name.startswith("dense_features")
    assert np.abs(w).max() <= 0.5 + 1e-6  # truncated at two standard deviations
    assert abs(w.std() - 0.25 * 0.88) < 0.01  # a normal truncated at 2 sigma has std 0.88 sigma


def test_weights_named_by_layer_and_column_and_trainable_flag():
    a = fc.embedding_column(fc.categorical_column_with_identity("a", 3), 2)
    b = fc.embedding_column(fc.categorical_column_with_identity("b", 3), 2, trainable=False)
    layer = tf.keras.layers.DenseFeatures([b, a], name="features")
    layer({"a": [[1]], "b": [[2]]})
    assert [w.name.split(":")[0] for w in layer.trainable_weights] == ["features/a_embedding/embedding_weights"]
    assert [w.name.split(":")[0] for w in layer.non_trainable_weights] == ["features/b_embedding/embedding_weights"]
    frozen = tf.keras.layers.DenseFeatures([a], trainable=False)
    frozen({"a": [[1]]})
    assert frozen.trainable_weights == []


def test_cols_to_output_tensors_and_output_shape():
    num, ind = fc.numeric_column("n", shape=3), fc.indicator_column(fc.categorical_column_with_identity("i", 4))
    layer = tf.keras.layers.DenseFeatures([num, ind])
    outputs = {}
    result = layer({"n": np.ones((2, 3), np.float32), "i": [[1], [2]]}, cols_to_output_tensors=outputs)
    assert result.shape == (2, 7) and result.dtype == tf.float32
    assert outputs[ind].shape == (2, 4) and outputs[num].shape == (2, 3)
    assert layer.compute_output_shape({"n": (None, 3), "i": (None, 1)}) == (None, 7)


def test_config_round_trip_gives_the_same_columns_and_outputs():
    age = fc.numeric_column("age")
    cols = [
        fc.bucketized_column(age, [10.0, 20.0]),
        age,
        fc.embedding_column(fc.categorical_column_with_hash_bucket("w", 10), 3, combiner="sqrtn", max_norm=2.0),
        fc.indicator_column(fc.crossed_column([fc.bucketized_column(age, [15.0]), "w"], 7)),
        fc.indicator_column(
            fc.weighted_categorical_column(
                fc.categorical_column_with_vocabulary_list("v", [1, 2, 3], num_oov_buckets=1), "vw"
            )
        ),
    ]
    layer = tf.keras.layers.DenseFeatures(cols, name="df")
    feats = {"age": [[5.0], [17.0]], "w": [["a"], ["b"]], "v": [[1], [9]], "vw": [[0.5], [2.0]]}
    out = layer(feats).numpy()
    config = layer.get_config()
    assert config["name"] == "df" and config["partitioner"] is None
    assert config["feature_columns"][0] == {
        "class_name": "NumericColumn",
        "config": {"key": "age", "shape": (1,), "default_value": None, "dtype": "float32", "normalizer_fn": None},
    }
    names = [c["class_name"] for c in config["feature_columns"]]  # sorted by column name, as TensorFlow does
    assert names == ["NumericColumn", "BucketizedColumn", "IndicatorColumn", "IndicatorColumn", "EmbeddingColumn"]
    emb = config["feature_columns"][4]["config"]
    assert emb["initializer"]["class_name"] == "TruncatedNormal"
    assert emb["initializer"]["config"]["stddev"] == pytest.approx(1 / np.sqrt(3))
    clone = tf.keras.layers.DenseFeatures.from_config(config)
    assert clone.get_config()["feature_columns"] == config["feature_columns"]
    assert clone._feature_columns[:4] == layer._feature_columns[:4]  # the embedding's initializer is a new object
    clone(feats)
    clone.set_weights(layer.get_weights())
    np.testing.assert_array_equal(clone(feats).numpy(), out)
    again = tf.keras.layers.deserialize(tf.keras.layers.serialize(layer))
    assert isinstance(again, tf.keras.layers.DenseFeatures) and again.get_config() == config


def test_column_configs_match_tensorflow():
    col = fc.weighted_categorical_column(fc.categorical_column_with_identity("b", 3), "w")
    assert col.get_config() == {
        "categorical_column": {
            "class_name": "IdentityCategoricalColumn",
            "config": {"key": "b", "number_buckets": 3, "default_value": None},
        },
        "weight_feature_key": "w",
        "dtype": "float32",
    }
    cross = fc.indicator_column(fc.crossed_column([fc.bucketized_column(fc.numeric_column("b"), [1.0]), "c"], 5))
    assert cross.get_config() == {
        "categorical_column": {
            "class_name": "CrossedColumn",
            "config": {
                "keys": (
                    {
                        "class_name": "BucketizedColumn",
                        "config": {
                            "source_column": {
                                "class_name": "NumericColumn",
                                "config": {
                                    "key": "b",
                                    "shape": (1,),
                                    "default_value": None,
                                    "dtype": "float32",
                                    "normalizer_fn": None,
                                },
                            },
                            "boundaries": (1.0,),
                        },
                    },
                    "c",
                ),
                "hash_bucket_size": 5,
                "hash_key": None,
            },
        }
    }
    assert fc.categorical_column_with_hash_bucket("k", 5).get_config() == {
        "key": "k",
        "hash_bucket_size": 5,
        "dtype": "string",
    }


def test_make_parse_example_spec_and_parse_example():
    spec = fc.make_parse_example_spec(
        [
            fc.numeric_column("a", shape=2, default_value=0.0),
            fc.bucketized_column(fc.numeric_column("b"), [1.0]),
            fc.crossed_column(["c", fc.categorical_column_with_identity("d", 3)], 5),
            fc.weighted_categorical_column(fc.categorical_column_with_vocabulary_list("e", [1, 2]), "ew"),
            fc.embedding_column(fc.categorical_column_with_hash_bucket("f", 4, dtype="int32"), 2),
        ]
    )
    assert spec == {
        "a": tf.io.FixedLenFeature((2,), tf.float32, (0.0, 0.0)),
        "b": tf.io.FixedLenFeature((1,), tf.float32, None),
        "c": tf.io.VarLenFeature(tf.string),
        "d": tf.io.VarLenFeature(tf.int64),
        "e": tf.io.VarLenFeature(tf.int64),
        "ew": tf.io.VarLenFeature(tf.float32),
        "f": tf.io.VarLenFeature(tf.int32),
    }

    def example(age, thal):
        feature = {
            "age": tf.train.Feature(float_list=tf.train.FloatList(value=[age])),
            "thal": tf.train.Feature(bytes_list=tf.train.BytesList(value=thal)),
        }
        return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()

    records = tf.constant(
        [
            example(30.0, [b"fixed", b"normal"]),
            example(50.0, [b"normal"]),
            example(20.0, [b"zz", b"fixed", b"fixed"]),
            example(70.0, [b"normal"]),
        ]
    )
    cols = [
        fc.numeric_column("age"),
        fc.indicator_column(fc.categorical_column_with_vocabulary_list("thal", ["fixed", "normal"], num_oov_buckets=1)),
    ]
    spec = fc.make_parse_example_spec(cols)
    layer = tf.keras.layers.DenseFeatures(cols)
    expected = [[30, 1, 1, 0], [50, 0, 1, 0], [20, 2, 0, 1], [70, 0, 1, 0]]
    np.testing.assert_array_equal(layer(tf.io.parse_example(records, spec)).numpy(), expected)
    ds = tf.data.Dataset.from_tensor_slices(records).batch(2).map(lambda s: layer(tf.io.parse_example(s, spec)))
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in ds]), expected)


def test_dataset_map_with_hashed_and_crossed_columns_equals_eager():
    cols = [
        fc.embedding_column(fc.categorical_column_with_hash_bucket("w", 20), 3),
        fc.indicator_column(fc.crossed_column(["w", fc.categorical_column_with_identity("i", 4)], 11)),
    ]
    layer = tf.keras.layers.DenseFeatures(cols)
    feats = {
        "w": np.array([["alpha"], ["beta"], ["gamma"], ["beta"]], dtype=object),
        "i": np.array([[0], [1], [2], [3]]),
    }
    eager = layer(feats).numpy()
    ds = tf.data.Dataset.from_tensor_slices(feats).batch(2).map(layer)
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in ds]), eager)
