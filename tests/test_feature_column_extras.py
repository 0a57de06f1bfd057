"""shared_embeddings, ragged features, embedding weights from a checkpoint, saving a DenseFeatures model, and the
compat names of tf.feature_column / DenseFeatures."""

import os

import numpy as np
import pytest

import ferroflow as tf

fc = tf.feature_column


def test_shared_embeddings_share_one_table():
    with tf.Graph().as_default():  # TensorFlow refuses to make them eagerly
        a, b = fc.shared_embeddings(
            [fc.categorical_column_with_identity("a", 4), fc.categorical_column_with_identity("b", 4)],
            3,
            combiner="sum",
        )
    assert (a.name, b.name) == ("a_shared_embedding", "b_shared_embedding")
    layer = tf.keras.layers.DenseFeatures([b, a], name="shared")
    out = layer({"a": [[1], [2]], "b": [[1, 3], [3, -1]]}).numpy()
    assert [w.path for w in layer.weights] == ["shared/a_b_shared_embedding"]
    table = layer.weights[0].numpy()
    np.testing.assert_allclose(out[:, :3], table[[1, 2]], rtol=1e-6)  # a_shared_embedding sorts first
    np.testing.assert_allclose(out[:, 3:], [table[1] + table[3], table[3]], rtol=1e-6)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="must have the same number of buckets"):
            fc.shared_embeddings(
                [fc.categorical_column_with_identity("a", 4), fc.categorical_column_with_identity("b", 5)], 3
            )
        with pytest.raises(ValueError, match="must have the same type"):
            fc.shared_embeddings(
                [
                    fc.categorical_column_with_identity("a", 2),
                    fc.categorical_column_with_vocabulary_list("b", ["x", "y"]),
                ],
                3,
            )


def test_ragged_features_count_their_elements():
    col = fc.indicator_column(fc.categorical_column_with_vocabulary_list("t", ["x", "y", "z"]))
    ragged = tf.ragged.constant([["x", "y", "x"], ["z"], []])
    np.testing.assert_array_equal(
        tf.keras.layers.DenseFeatures([col])({"t": ragged}).numpy(), [[2, 1, 0], [0, 0, 1], [0, 0, 0]]
    )
    emb = fc.embedding_column(
        fc.categorical_column_with_identity("i", 4), 2, combiner="sum", initializer=tf.keras.initializers.Constant(1.0)
    )
    np.testing.assert_array_equal(
        tf.keras.layers.DenseFeatures([emb])({"i": tf.ragged.constant([[0, 1, 2], [3]])}), [[3, 3], [1, 1]]
    )


def test_embedding_weights_from_a_checkpoint(tmp_path):
    table = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2))
    tf.train.Checkpoint(table=table).save(os.path.join(tmp_path, "ckpt"))
    ident = fc.categorical_column_with_identity("i", 4)
    col = fc.embedding_column(ident, 2, ckpt_to_load_from=str(tmp_path), tensor_name_in_ckpt="table")
    np.testing.assert_array_equal(tf.keras.layers.DenseFeatures([col])({"i": [[3], [1]]}).numpy(), [[6, 7], [2, 3]])
    wrong = fc.embedding_column(
        fc.categorical_column_with_identity("i", 5), 2, ckpt_to_load_from=str(tmp_path), tensor_name_in_ckpt="table"
    )
    with pytest.raises(ValueError, match=r"has shape \(4, 2\), the column needs \(5, 2\)"):
        tf.keras.layers.DenseFeatures([wrong])({"i": [[1]]})


def test_model_with_dense_features_saves_and_loads(tmp_path):
    cols = [
        fc.numeric_column("age", shape=2),
        fc.embedding_column(fc.categorical_column_with_vocabulary_list("t", ["x", "y", "z"], num_oov_buckets=2), 3),
        fc.indicator_column(fc.crossed_column([fc.bucketized_column(fc.numeric_column("b"), [0.0]), "t"], 9)),
    ]
    inputs = {
        "age": tf.keras.Input(shape=(2,), name="age"),
        "b": tf.keras.Input(shape=(1,), name="b"),
        "t": tf.keras.Input(shape=(1,), name="t", dtype="string"),
    }
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(tf.keras.layers.DenseFeatures(cols)(inputs)))
    x = {
        "age": np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
        "b": np.array([[-1.0], [1.0]], np.float32),
        "t": np.array([["x"], ["unseen"]], dtype=object),
    }
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_sequential_with_dense_features_saves_and_loads(tmp_path):
    cols = [
        fc.numeric_column("age"),
        fc.embedding_column(fc.categorical_column_with_vocabulary_list("t", ["x", "y", "z"]), 2),
    ]
    model = tf.keras.Sequential(
        [tf.keras.layers.DenseFeatures(cols), tf.keras.layers.Dense(3), tf.keras.layers.Dense(1)]
    )
    x = {"age": np.array([[1.0], [2.0]], np.float32), "t": np.array([["x"], ["q"]], dtype=object)}
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.ones((2, 1), np.float32), verbose=0)
    assert model.get_config()["build_input_shape"] == {"age": [None, 1], "t": [None, 1]}
    path = os.path.join(tmp_path, "seq.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    assert len(tf.keras.Sequential.from_config(model.get_config()).weights) == 5


def test_compat_names():
    assert tf.compat.v1.keras.layers.DenseFeatures is tf.keras.layers.DenseFeatures
    assert tf.compat.v1.feature_column.numeric_column is fc.numeric_column
    assert "feature_column" in dir(tf)
    assert "DenseFeatures" in dir(tf.keras.layers)
    assert sorted(n for n in dir(fc) if not n.startswith("_")) == [
        "bucketized_column",
        "categorical_column_with_hash_bucket",
        "categorical_column_with_identity",
        "categorical_column_with_vocabulary_file",
        "categorical_column_with_vocabulary_list",
        "crossed_column",
        "embedding_column",
        "indicator_column",
        "make_parse_example_spec",
        "numeric_column",
        "shared_embeddings",
        "weighted_categorical_column",
    ]
