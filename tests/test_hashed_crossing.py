"""``keras.layers.HashedCrossing``: bucket numbers, one-hot codes, shapes and config recorded from Keras 3.15;
symbolic, in a model and in ``Dataset.map``."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
A = np.array([[1], [2], [3], [1]])
B = np.array([["a"], ["b"], ["c"], ["a"]])


def test_hashed_crossing_values_as_keras():
    layer = keras.layers.HashedCrossing(num_bins=8)
    out = layer([A, B])
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out, [[5], [5], [7], [5]])  # Keras 3.15
    np.testing.assert_array_equal(layer([np.array(7), np.array("x")]), 0)
    one_hot = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")([np.array([1, 2]), np.array([4, 5])])
    np.testing.assert_array_equal(one_hot, [[1, 0, 0, 0, 0], [0, 0, 0, 1, 0]])
    assert layer.get_config() == {
        "num_bins": 8,
        "output_mode": "int",
        "sparse": False,
        "name": layer.name,
        "dtype": "int64",
    }


def test_hashed_crossing_symbolic_model_and_dataset():
    layer = keras.layers.HashedCrossing(num_bins=8)
    a, b = keras.Input((1,), dtype="int64"), keras.Input((1,), dtype="string")
    y = layer([a, b])
    assert (tuple(y.shape), y.dtype) == ((None, 1), "int64")
    model = keras.Model([a, b], y)
    np.testing.assert_array_equal(model.predict([A, B], verbose=0), [[5], [5], [7], [5]])
    data = tf.data.Dataset.from_tensor_slices((A, B)).batch(2).map(lambda u, v: layer([u, v]))
    np.testing.assert_array_equal(np.concatenate([x.numpy() for x in data]), [[5], [5], [7], [5]])


def test_hashed_crossing_input_errors():
    layer = keras.layers.HashedCrossing(num_bins=8)
    with pytest.raises(ValueError, match="at least two inputs"):
        layer([A])
    with pytest.raises(ValueError, match="equal shape"):
        layer([A, np.array([1, 2, 3, 4])])
    with pytest.raises(ValueError, match="integer or string"):
        layer([A, A.astype("float32")])
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.HashedCrossing(num_bins=8, output_mode="count")
