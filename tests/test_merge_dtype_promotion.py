"""Merge layers and ``keras.ops.concatenate`` join inputs of different dtypes in their common dtype by Keras
3's promotion rules (keras.io's structured-data example concatenates int64 one-hot lookups with float32
normalized features). Expected dtypes recorded with Keras 3.15 on TensorFlow 2.21."""

import numpy as np

from ferroflow import keras
from ferroflow.keras import layers, ops

I64 = np.array([[1, 0]], "int64")
F32 = np.array([[0.5]], "float32")


def test_concatenate_promotes_as_keras():
    out = ops.concatenate([I64, F32], axis=-1)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), [[1.0, 0.0, 0.5]])
    assert layers.Concatenate()([I64, F32]).dtype == "float32"
    assert layers.Concatenate()([np.ones((1, 2), "int32"), np.ones((1, 1), "int64")]).dtype == "int64"
    assert ops.concatenate([np.ones((1, 2), "uint8"), np.ones((1, 1), "int32")], axis=-1).dtype == "int32"


def test_a_functional_model_joining_lookups_and_normalized_features():
    cat = keras.Input((1,), dtype="int64", name="cat")
    num = keras.Input((1,), name="num")
    lookup = layers.IntegerLookup(output_mode="one_hot")
    lookup.adapt(np.array([[3], [5], [7]]))
    joined = layers.concatenate([lookup(cat), num])
    assert joined.dtype == "float32"  # Keras: float32
    model = keras.Model([cat, num], joined)
    out = model.predict([np.array([[5], [9]]), np.array([[0.25], [1.5]], "float32")], verbose=0)
    # IntegerLookup's vocabulary: [OOV, 3, 5, 7] (equal counts: sorted); 9 is out of vocabulary.
    np.testing.assert_array_equal(out, [[0, 0, 1, 0, 0.25], [1, 0, 0, 0, 1.5]])


def test_add_of_int_and_float_inputs():
    out = layers.Add()([np.array([[1, 2]], "int32"), np.array([[0.5, 0.5]], "float32")])
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), [[1.5, 2.5]])
