"""DenseFeatures in Keras models trained by fit on dicts of numeric, integer and string features (arrays,
tf.data, sparse), and gradients through embedding columns against float64 finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.feature_column._base import FeatureTransformationCache
from gradcheck import check_gradient

fc = tf.feature_column


def heart_like(n=256, seed=0):
    """A small structured data set: a number, a category with an unseen value, a bag of words, an id."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(10, 80, (n, 1)).astype(np.float32)
    thal = rng.choice(["fixed", "normal", "reversible", "odd"], size=(n, 1)).astype(object)
    words = rng.choice(["a", "bb", "ccc", "dddd", ""], size=(n, 2)).astype(object)
    ident = rng.integers(0, 5, (n, 1))
    y = ((thal[:, 0] == "normal") ^ (age[:, 0] > 45) ^ (ident[:, 0] == 3)).astype(np.float32)
    return {"age": age, "thal": thal, "words": words, "id": ident}, y


def columns():
    age = fc.numeric_column("age")
    age_buckets = fc.bucketized_column(age, [20.0, 30.0, 40.0, 45.0, 50.0, 60.0])
    thal = fc.categorical_column_with_vocabulary_list("thal", ["fixed", "normal", "reversible"], num_oov_buckets=1)
    return [
        fc.numeric_column("age", normalizer_fn=lambda x: (x - 45.0) / 20.0),
        age_buckets,
        fc.indicator_column(thal),
        fc.embedding_column(fc.categorical_column_with_hash_bucket("words", 16), 3),
        fc.embedding_column(fc.categorical_column_with_identity("id", 5), 4),
        fc.indicator_column(fc.crossed_column([age_buckets, "thal"], 64)),
    ]


def functional_model(cols):
    inputs = {
        "age": tf.keras.Input(shape=(1,), name="age"),
        "thal": tf.keras.Input(shape=(1,), name="thal", dtype="string"),
        "words": tf.keras.Input(shape=(2,), name="words", dtype="string"),
        "id": tf.keras.Input(shape=(1,), name="id", dtype="int64"),
    }
    x = tf.keras.layers.DenseFeatures(cols, name="features")(inputs)
    x = tf.keras.layers.Dense(32, activation="relu")(x)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(1, activation="sigmoid")(x))


def test_functional_model_learns_from_a_dict_of_string_and_numeric_features():
    tf.keras.utils.set_random_seed(0)
    feats, y = heart_like()
    model = functional_model(columns())
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    features = model.get_layer("features")
    before = [w.numpy().copy() for w in features.weights]
    history = model.fit(feats, y, epochs=30, batch_size=32, verbose=0, validation_split=0.25)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.95
    assert all(np.abs(w.numpy() - b).max() > 1e-3 for w, b in zip(features.weights, before))
    np.testing.assert_allclose(model.predict(feats, verbose=0), model(feats).numpy(), rtol=1e-5, atol=1e-6)
    ds = tf.data.Dataset.from_tensor_slices((feats, y)).shuffle(64, seed=1).batch(32)
    loss, acc = model.evaluate(ds, verbose=0)
    assert acc > 0.9 and loss == pytest.approx(model.evaluate(feats, y, verbose=0)[0], rel=1e-4)
    assert model.fit(ds, epochs=1, shuffle=False, verbose=0).history["loss"][0] < 0.3


def test_one_fit_step_moves_the_embedding_by_the_tape_gradient():
    """SGD: the compiled step's update of the embedding equals -lr times the eager tape gradient, and rows of
    ids absent from the batch do not move."""
    feats, y = heart_like(n=32, seed=3)
    model = functional_model(columns())
    model.compile(optimizer=tf.keras.optimizers.SGD(0.5), loss="binary_crossentropy")
    table = model.get_layer("features").weights[0]  # id_embedding
    assert table.name.endswith("id_embedding/embedding_weights")
    before = table.numpy().copy()
    with tf.GradientTape() as tape:
        loss = tf.keras.losses.binary_crossentropy(y.reshape(-1, 1), model(feats))
        loss = tf.reduce_mean(loss)
    grad = tf.convert_to_tensor(tape.gradient(loss, table)).numpy()
    model.fit(feats, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    np.testing.assert_allclose(table.numpy() - before, -0.5 * grad, rtol=1e-4, atol=1e-6)
    unseen = sorted(set(range(5)) - set(feats["id"].ravel().tolist()))
    moved = np.abs(table.numpy() - before).max(axis=1)
    assert all(moved[i] == 0 for i in unseen) and all(moved[i] > 0 for i in set(feats["id"].ravel().tolist()))


def test_sequential_model_with_dense_features_first():
    feats, y = heart_like()
    cols = [
        fc.bucketized_column(fc.numeric_column("age"), [45.0]),
        fc.indicator_column(fc.categorical_column_with_identity("id", 5)),
    ]
    model = tf.keras.Sequential([tf.keras.layers.DenseFeatures(cols), tf.keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    numeric = {"age": feats["age"], "id": feats["id"]}
    target = ((feats["age"][:, 0] > 45) & (feats["id"][:, 0] != 2)).astype(np.float32)
    history = model.fit(numeric, target, epochs=20, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.predict(numeric, verbose=0).shape == (256, 1)


def test_sparse_string_feature_through_fit():
    cols = [
        fc.numeric_column("age"),
        fc.embedding_column(fc.categorical_column_with_vocabulary_list("tags", ["x", "y", "z"]), 2),
    ]
    inputs = {
        "age": tf.keras.Input(shape=(1,), name="age"),
        "tags": tf.keras.Input(shape=(None,), name="tags", dtype="string", sparse=True),
    }
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(tf.keras.layers.DenseFeatures(cols)(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    tags = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0], [3, 0], [3, 2]], ["x", "y", "z", "q", "x"], [4, 3])
    x = {"age": np.array([[0.3], [0.5], [0.2], [0.7]], np.float32), "tags": tags}
    history = model.fit(x, np.ones((4, 1), np.float32), epochs=3, batch_size=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), model(x).numpy(), rtol=1e-6)


class _FixedWeights:
    """A state manager handing a column the given (float64) embedding table."""

    def __init__(self, table):
        self.table = table

    def get_variable(self, column, name):
        return self.table


@pytest.mark.parametrize("combiner, max_norm", [("mean", None), ("sqrtn", None), ("sum", None), ("mean", 0.8)])
def test_embedding_gradients_against_finite_differences(combiner, max_norm):
    rng = np.random.default_rng(0)
    vocab = [f"t{i}" for i in range(6)]
    words = rng.choice(vocab + ["", "oov"], size=(8, 4)).astype(object)
    weights = rng.uniform(0.2, 2.0, size=(8, 4))
    weights[0, 1] = -0.5  # pruned unless combiner="sum"
    col = fc.embedding_column(
        fc.weighted_categorical_column(
            fc.categorical_column_with_vocabulary_list("w", vocab, num_oov_buckets=1), "wt", dtype="float64"
        ),
        3,
        combiner=combiner,
        max_norm=max_norm,
    )
    table = rng.standard_normal((7, 3))

    def lookup(t, wt):
        cache = FeatureTransformationCache({"w": words, "wt": wt})
        return col.get_dense_tensor(cache, _FixedWeights(t))

    check_gradient(lookup, table, weights, wrt=0)
    check_gradient(lookup, table, weights, wrt=1)


def test_indicator_and_numeric_gradients_reach_the_inputs():
    col = fc.indicator_column(
        fc.weighted_categorical_column(fc.categorical_column_with_identity("i", 4), "w", dtype="float64")
    )
    ids = np.array([[0, 2, 2], [3, -1, 1]])

    def indicator(wt):
        return col.get_dense_tensor(FeatureTransformationCache({"i": ids, "w": wt}), None)

    check_gradient(indicator, np.array([[0.5, 1.5, 2.0], [1.0, 3.0, 0.7]]))
    num = fc.numeric_column("x", shape=(2,), normalizer_fn=lambda x: x * x)
    x = tf.constant([[1.0, 2.0], [3.0, -4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(tf.keras.layers.DenseFeatures([num])({"x": x}))
    np.testing.assert_allclose(tape.gradient(total, x).numpy(), 2 * x.numpy())
