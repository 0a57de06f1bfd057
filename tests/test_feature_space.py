"""``keras.utils.FeatureSpace`` as keras.io's structured-data example uses it: feature types, crosses, concat
and dict outputs, ``adapt`` on a dataset, calls on dicts and in ``Dataset.map``, and the functional models of
``get_inputs``/``get_encoded_features``. Encoded values recorded from Keras 3.15 on TensorFlow 2.21."""

import os

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
FeatureSpace = keras.utils.FeatureSpace

RAW = {
    "float_values": [0.0, 0.1, 0.2, 0.3],
    "string_values": ["zero", "one", "two", "three"],
    "int_values": [0, 1, 2, 3],
}
# Keras 3.15: the nonzero entries (row, column, value) of the docstring example's (4, 43) concat output.
CONCAT = [
    (0, 0, -1.3416), (0, 5, 1.0), (0, 7, 1.0), (0, 32, 1.0),
    (1, 0, -0.4472), (1, 4, 1.0), (1, 10, 1.0), (1, 29, 1.0),
    (2, 0, 0.4472), (2, 3, 1.0), (2, 8, 1.0), (2, 38, 1.0),
    (3, 0, 1.3416), (3, 2, 1.0), (3, 9, 1.0), (3, 31, 1.0),
]  # fmt: skip


def _dense(entries, shape):
    out = np.zeros(shape, "float32")
    for *index, value in entries:
        out[tuple(index)] = value
    return out


def _docstring_space():
    fs = FeatureSpace(
        features={
            "float_values": "float_normalized",
            "string_values": "string_categorical",
            "int_values": "integer_categorical",
        },
        crosses=[("string_values", "int_values")],
        output_mode="concat",
    )
    fs.adapt(tf.data.Dataset.from_tensor_slices(RAW))
    return fs


def test_concat_output_as_keras():
    fs = _docstring_space()
    out = fs(RAW)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out, _dense(CONCAT, (4, 43)), atol=1e-4)
    one = fs({"float_values": 0.1, "string_values": "one", "int_values": 1})  # one sample of scalars
    np.testing.assert_allclose(one, _dense(CONCAT, (4, 43))[1], atol=1e-4)
    encoded = fs.get_encoded_features()
    assert (tuple(encoded.shape), encoded.dtype) == ((None, 43), "float32")
    assert sorted(fs.get_inputs()) == ["float_values", "int_values", "string_values"]
    batches = list(tf.data.Dataset.from_tensor_slices(RAW).batch(2).map(fs))
    np.testing.assert_allclose(np.concatenate(batches), _dense(CONCAT, (4, 43)), atol=1e-4)


def test_dict_output_with_int_codes_and_cross():
    fs = FeatureSpace(
        features={
            "string_values": FeatureSpace.string_categorical(output_mode="int"),
            "int_values": FeatureSpace.integer_categorical(output_mode="int"),
        },
        crosses=[FeatureSpace.cross(feature_names=("string_values", "int_values"), crossing_dim=32, output_mode="int")],
        output_mode="dict",
    )
    fs.adapt(tf.data.Dataset.from_tensor_slices(RAW))
    out = fs({"string_values": RAW["string_values"], "int_values": RAW["int_values"]})
    got = {k: np.asarray(v).ravel().tolist() for k, v in out.items()}
    assert got == {  # Keras 3.15
        "int_values": [4, 3, 2, 1],
        "string_values": [1, 4, 2, 3],
        "string_values_X_int_values": [21, 18, 27, 20],
    }
    assert {k: v.dtype for k, v in fs.get_encoded_features().items()} == dict.fromkeys(got, "int64")


def test_rescaled_discretized_hashed_and_float_features():
    fs = FeatureSpace(
        features={
            "f": FeatureSpace.float_rescaled(scale=2.0, offset=1.0),
            "d": FeatureSpace.float_discretized(num_bins=3),
            "h": FeatureSpace.string_hashed(num_bins=4),
            "g": "float",
        },
        output_mode="dict",
    )
    fs.adapt({"f": [1.0, 2.0, 0.0], "d": [0.0, 1.0, 2.0], "h": ["a", "b", "c"], "g": [3.0, 4.0, 5.0]})
    out = fs({"f": [1.0, 2.0], "d": [0.0, 2.0], "h": ["a", "b"], "g": [3.0, 4.0]})
    want = {  # Keras 3.15
        "d": [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        "f": [[3.0], [5.0]],
        "g": [[3.0], [4.0]],
        "h": [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]],
    }
    assert sorted(out) == sorted(want)
    for key, value in want.items():
        np.testing.assert_allclose(out[key], value, err_msg=key)
    shapes = {k: tuple(v.shape) for k, v in fs.get_encoded_features().items()}
    assert shapes == {"d": (None, 3), "f": (None, 1), "g": (None, 1), "h": (None, 4)}


def test_structured_data_example_flow():
    rng = np.random.default_rng(0)
    n = 64
    data = {
        "sex": rng.integers(0, 2, n),
        "cp": rng.integers(0, 4, n),
        "thal": rng.choice(["fixed", "normal", "reversible"], n),
        "age": rng.uniform(30, 70, n).round(0),
        "trestbps": rng.uniform(90, 180, n).round(0),
    }
    labels = rng.integers(0, 2, n)
    train_ds = tf.data.Dataset.from_tensor_slices((data, labels)).batch(16)
    fs = FeatureSpace(
        features={
            "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
            "cp": FeatureSpace.integer_categorical(num_oov_indices=0),
            "thal": FeatureSpace.string_categorical(num_oov_indices=0),
            "age": FeatureSpace.float_discretized(num_bins=5),
            "trestbps": FeatureSpace.float_normalized(),
        },
        crosses=[
            FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=8),
            FeatureSpace.cross(feature_names=("thal", "cp"), crossing_dim=4),
        ],
        output_mode="concat",
    )
    fs.adapt(train_ds.map(lambda x, _: x))
    assert {k: v.num_tokens for k, v in fs.one_hot_encoders.items()} == {
        "age": 5, "cp": 4, "sex": 2, "sex_X_age": 8, "thal": 3, "thal_X_cp": 4,
    }  # fmt: skip
    preprocessed = train_ds.map(lambda x, y: (fs(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    encoded = fs.get_encoded_features()
    hidden = keras.layers.Dense(8, activation="relu")(encoded)
    predictions = keras.layers.Dense(1, activation="sigmoid")(hidden)
    training_model = keras.Model(inputs=encoded, outputs=predictions)
    training_model.compile(optimizer="adam", loss="binary_crossentropy")
    history = training_model.fit(preprocessed, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    inference_model = keras.Model(inputs=fs.get_inputs(), outputs=predictions)
    sample = {"sex": 1, "cp": 2, "thal": "fixed", "age": 60.0, "trestbps": 145.0}
    input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
    p = inference_model.predict(input_dict, verbose=0)
    direct = training_model.predict(np.asarray(fs(input_dict)), verbose=0)
    assert p.shape == (1, 1)
    np.testing.assert_allclose(p, direct, atol=1e-6)


def test_errors_as_keras():
    fs = FeatureSpace(features={"x": "float_normalized"})
    with pytest.raises(ValueError, match="adapt"):
        fs({"x": [1.0]})
    with pytest.raises(ValueError, match="Invalid feature type"):
        FeatureSpace(features={"x": "float_unknown"})
    with pytest.raises(ValueError, match="unknown features"):
        FeatureSpace(features={"x": "integer_categorical"}, crosses=[("x", "y")])
    fs.adapt({"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="only be called with a dict"):
        fs([1.0, 2.0])
    with pytest.raises(ValueError, match="not been encoded"):
        FeatureSpace(features={"x": FeatureSpace.integer_categorical(output_mode="int")}).adapt({"x": [1, 2]})


def test_lookup_without_oov_indices_in_compiled_predict_raises_on_oov():
    lookup = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], num_oov_indices=0)
    x = keras.Input((1,), dtype="int64")
    model = keras.Model(x, lookup(x))
    np.testing.assert_array_equal(model.predict(np.array([[1], [3]]), verbose=0), [[0], [2]])  # Keras 3.15
    with pytest.raises(tf.errors.InvalidArgumentError, match="OOV"):
        model.predict(np.array([[1], [7]]), verbose=0)


def test_save_and_load_model(tmp_path):
    raw = {"a": [0.0, 1.0, 2.0], "s": ["x", "y", "x"], "i": [1, 2, 1], "d": [0.1, 0.5, 0.9]}
    fs = FeatureSpace(
        {
            "a": "float_normalized",
            "s": "string_categorical",
            "i": "integer_categorical",
            "d": FeatureSpace.float_discretized(num_bins=3),
        },
        crosses=[("s", "i")],
    )
    fs.adapt(raw)
    path = str(tmp_path / "featurespace.keras")
    fs.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, FeatureSpace)
    assert loaded.preprocessors["s"].get_vocabulary() == ["[UNK]", "x", "y"]
    np.testing.assert_allclose(loaded(raw), fs(raw), rtol=1e-6)
    one = {"a": 0.5, "s": "y", "i": 2, "d": 0.3}
    np.testing.assert_allclose(loaded(one), fs(one), rtol=1e-6)


def test_load_feature_space_saved_by_keras():
    # Saved by Keras 3.15: FeatureSpace({"a": "float_normalized", "s": "string_categorical",
    # "i": "integer_categorical"}, crosses=[("s", "i")]) adapted on raw_small below.
    path = os.path.join(os.path.dirname(__file__), "data", "keras3", "feature_space.keras")
    loaded = keras.models.load_model(path)
    raw_small = {"a": [0.0, 1.0, 2.0], "s": ["x", "y", "x"], "i": [1, 2, 1]}
    out = loaded(raw_small)
    # Keras 3.15's output: the normalized float, then one-hot i (3), s (3) and the s_X_i cross (32 buckets).
    want = np.zeros((3, 39), "float32")
    want[:, 0] = [-1.2247448, 0.0, 1.2247448]
    for row, cols in enumerate([(2, 5, 16), (3, 6, 34), (2, 5, 16)]):
        want[row, list(cols)] = 1.0
    np.testing.assert_allclose(out, want, atol=1e-6)


def test_plain_float_features_save_and_load(tmp_path):
    fs = FeatureSpace({"g": "float", "r": FeatureSpace.float_rescaled(scale=0.5)})
    data = {"g": [1.0, 2.0], "r": [3.0, 4.0]}
    np.testing.assert_allclose(fs(data), [[1.0, 1.5], [2.0, 2.0]])
    path = str(tmp_path / "floats.keras")
    fs.save(path)
    np.testing.assert_allclose(keras.models.load_model(path)(data), [[1.0, 1.5], [2.0, 2.0]])
