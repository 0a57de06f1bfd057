"""keras.utils.normalize, the train-step data helpers and the serialization names keras.utils exports (as
Keras 3.15), and the ops crossentropies on a target of unknown rank (a squeezed label batch in a graph)."""

import numpy as np

import ferroflow as tf
from ferroflow import keras


def test_normalize_numpy_and_tensor():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(keras.utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    # Keras 3.15's NumPy branch expands the norms on the last axis even for axis=0 (`axis or -1`).
    np.testing.assert_allclose(keras.utils.normalize(x, axis=0), [[1.0, 4.0 / 3.0], [0.0, 0.0]])
    t = keras.utils.normalize(keras.ops.convert_to_tensor([[3.0, 4.0], [1.0, 0.0]]), axis=0)
    np.testing.assert_allclose(t.numpy(), [[0.9486832618713379, 1.0], [0.3162277638912201, 0.0]], rtol=1e-6)


def test_exported_helpers():
    assert keras.utils.unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
    assert keras.utils.pack_x_y_sample_weight(1) == 1  # as Keras 3.15: x alone is returned as it is
    assert keras.utils.pack_x_y_sample_weight(1, 2) == (1, 2)
    assert keras.utils.is_keras_tensor(keras.Input((2,))) and not keras.utils.is_keras_tensor(tf.ones(2))
    layer = keras.layers.Dense(3, name="d")
    config = keras.utils.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and keras.utils.deserialize_keras_object(config).units == 3
    with keras.utils.custom_object_scope({"X": int}):
        assert keras.utils.get_registered_object("X") is int


def test_categorical_crossentropy_on_a_target_of_unknown_rank():
    @tf.function(input_signature=[tf.TensorSpec([None, 1], "int32"), tf.TensorSpec([None, 3])])
    def f(labels, logits):
        y = keras.ops.squeeze(labels)  # unknown rank while tracing: the batch may be 1
        y = keras.ops.one_hot(y, 3)
        return keras.ops.categorical_crossentropy(y, logits, from_logits=True)

    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], "float32")
    out = f(np.array([[2], [0]], "int32"), logits).numpy()
    expected = [np.log(np.exp(logits[0]).sum()) - 3.0, np.log(3.0)]
    np.testing.assert_allclose(out, expected, rtol=1e-6)
