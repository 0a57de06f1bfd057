"""StringLookup/IntegerLookup KerasTensor dtypes as Keras 3.15 declares them: floatx for the encoded modes
(one_hot, multi_hot, count, tf_idf) though the layers compute int64 codes on tensors (tf_idf float32)."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras

# Recorded with Keras 3.15: output_mode -> (symbolic dtype, symbolic shape, eager dtype).
KERAS = {
    "int": ("int64", (None, 2), "int64"),
    "one_hot": ("float32", (None, 4), "int64"),
    "multi_hot": ("float32", (None, 4), "int64"),
    "count": ("float32", (None, 4), "int64"),
}


def _layers(mode):
    return (
        (keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode), "string", [["a"]], [["a", "c"]]),
        (keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode=mode), "int64", [[1]], [[1, 3]]),
    )


@pytest.mark.parametrize("mode", sorted(KERAS))
def test_lookup_dtypes_as_keras(mode):
    sym_dtype, sym_shape, eager_dtype = KERAS[mode]
    for layer, in_dtype, one, two in _layers(mode):
        rows = one if mode == "one_hot" else two
        y = layer(keras.Input((len(rows[0]),), dtype=in_dtype))
        assert (y.dtype, tuple(y.shape)) == (sym_dtype, sym_shape)
        assert layer(np.array(rows)).dtype == eager_dtype


def test_tf_idf_is_float32_symbolically_and_eagerly():
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode="tf_idf", idf_weights=[0.5, 1.0, 2.0])
    assert layer(keras.Input((2,), dtype="string")).dtype == "float32"
    out = layer(np.array([["a", "c"]]))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out, [[0.0, 0.5, 0.0, 2.0]])  # Keras 3.15


def test_one_hot_lookup_in_a_model_with_float_features():
    codes = keras.Input((1,), dtype="int64")
    features = keras.Input((3,))
    lookup = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot")
    joined = keras.layers.concatenate([lookup(codes), features])
    assert joined.dtype == "float32"
    model = keras.Model([codes, features], joined)
    out = model.predict([np.array([[2], [7]]), np.ones((2, 3), "float32")], verbose=0)
    np.testing.assert_array_equal(out, [[0, 0, 1, 0, 1, 1, 1], [1, 0, 0, 0, 1, 1, 1]])
    alone = keras.Model(codes, lookup(codes))
    assert alone.outputs[0].dtype == "float32" and alone(np.array([[1]])).dtype == "int64"  # as Keras 3.15
