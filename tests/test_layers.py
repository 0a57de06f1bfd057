"""Keras layers: building, naming, shapes, errors, dropout, eager vs graph, config round trips."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from ferroflow.framework.function import FuncGraph
from ferroflow.framework.ops import apply
from ferroflow.layers import Activation, Dense, Dropout, Flatten, Input, InputLayer, Layer, ReLU, Reshape, Softmax


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()
    yield


def test_dense_builds_lazily_once_with_input_shape():
    layer = Dense(4)
    assert not layer.built and layer.weights == []
    y = layer(np.ones((3, 5), np.float32))
    assert layer.built and y.shape == (3, 4)
    kernel = layer.kernel
    layer(np.ones((2, 5), np.float32))
    assert layer.kernel is kernel
    assert [tuple(w.shape) for w in layer.weights] == [(5, 4), (4,)]
    assert layer.count_params() == 24


def test_dense_computes_activation_of_affine_map():
    layer = Dense(3, activation="relu", kernel_initializer="ones", bias_initializer="zeros")
    x = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    layer.build((None, 2))
    layer.bias.assign(np.array([0.5, -10.0, 1.0], np.float32))
    want = np.maximum(x @ np.ones((2, 3)) + np.array([0.5, -10.0, 1.0]), 0)
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-6)


def test_auto_names_are_snake_case_and_unique():
    assert Dense(1).name == "dense"
    assert Dense(1).name == "dense_1"
    assert ReLU().name == "re_lu"
    assert Flatten().name == "flatten"
    assert Dense(1, name="head").name == "head"
    keras.backend.clear_session()
    assert Dense(1).name == "dense"


def test_incompatible_input_raises_keras_message():
    layer = Dense(10)
    layer(np.ones((2, 784), np.float32))
    with pytest.raises(ValueError) as e:
        layer(np.ones((32, 28, 28), np.float32))
    assert str(e.value) == (
        "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected axis -1 of input shape "
        "to have value "
        "784, but received input with shape (32, 28, 28)"
    )
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        Dense(2)(np.ones((3,), np.float32))


@pytest.mark.parametrize("units", [-3, 0, 2.5, "8"])
def test_dense_rejects_bad_units(units):
    with pytest.raises(ValueError, match=r"Received an invalid value for `units`, expected a positive integer"):
        Dense(units)


def test_unknown_kwarg_is_rejected():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        Dense(3, foo=1)


def test_flatten_and_reshape_shapes():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(Flatten()(x).numpy(), x.reshape(2, 12))
    assert Reshape((4, 3))(x).shape == (2, 4, 3)
    assert Reshape((-1, 2))(x).shape == (2, 6, 2)
    assert Flatten().compute_output_shape((None, 28, 28)) == (None, 784)
    assert Dense(7).compute_output_shape((None, 3, 5)) == (None, 3, 7)
    with pytest.raises(ValueError, match="total size"):
        Reshape((5,))(x)


def test_flatten_handles_unknown_batch_in_graph():
    g = FuncGraph()
    with g.as_default():
        p = apply("placeholder", [], {"dtype": "float32", "shape": [None, 28, 28]})
        y = Flatten()(p)
    assert tuple(y.shape) == (None, 784)
    assert "flatten/" in y.name


def test_dropout_training_vs_inference():
    x = np.ones((200, 50), np.float32)
    layer = Dropout(0.4, seed=3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    kept = y != 0
    assert 0.5 < kept.mean() < 0.7
    np.testing.assert_allclose(y[kept], 1 / 0.6, rtol=1e-6)


def test_dropout_seed_is_repeatable():
    x = np.ones((10, 10), np.float32)
    tf.random.set_seed(1)
    a = Dropout(0.5, seed=7)(x, training=True).numpy()
    tf.random.set_seed(1)
    b = Dropout(0.5, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rejects_bad_rate(rate):
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        Dropout(rate)


def test_activation_relu_softmax_layers():
    x = np.array([[-1.0, 0.5, 2.0]], np.float32)
    np.testing.assert_allclose(Activation("relu")(x).numpy(), [[0, 0.5, 2]])
    np.testing.assert_allclose(ReLU(max_value=1.0)(x).numpy(), [[0, 0.5, 1]])
    np.testing.assert_allclose(ReLU(negative_slope=0.1)(x).numpy(), [[-0.1, 0.5, 2]], rtol=1e-6)
    e = np.exp(x - x.max())
    np.testing.assert_allclose(Softmax()(x).numpy(), e / e.sum(), rtol=1e-6)


def test_graph_nodes_are_named_by_layer_scope():
    layer = Dense(2)
    g = FuncGraph()
    with g.as_default():
        p = apply("placeholder", [], {"dtype": "float32", "shape": [None, 3]})
        y = layer(p)
    names = [t.name for t in g.get_operations()]
    assert any(n.startswith("dense/MatMul") for n in names), names
    assert tuple(y.shape) == (None, 2)
    assert isinstance(layer.kernel, tf.Variable)  # built while tracing, lifted to an eager variable
    assert layer.kernel.numpy().shape == (3, 2)


def test_eager_and_traced_forward_agree():
    layer = Dense(5, activation="tanh")
    x = np.random.RandomState(0).randn(4, 3).astype(np.float32)
    eager = layer(x).numpy()
    traced = tf.function(lambda t: layer(t))(x).numpy()
    np.testing.assert_allclose(eager, traced, rtol=1e-6)


def test_trainable_flag_moves_weights():
    layer = Dense(2)
    layer.build((None, 3))
    assert len(layer.trainable_weights) == 2 and layer.non_trainable_weights == []
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    assert not layer.kernel.trainable
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_custom_layer_add_weight_positional_and_training_flag():
    class Scale(Layer):
        def build(self, input_shape):
            self.w = self.add_weight((input_shape[-1],), "ones", name="w")
            self.n = self.add_weight(shape=(), initializer="zeros", trainable=False, name="n")

        def call(self, inputs, training=None):
            return inputs * self.w * (2.0 if training else 1.0)

    layer = Scale()
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(layer(x).numpy(), x)
    np.testing.assert_allclose(layer(x, training=True).numpy(), 2 * x)
    assert layer.name == "scale" and layer.weights[0].path == "scale/w"
    assert [w.name for w in layer.non_trainable_weights] == ["n"]


def test_call_without_training_argument_ignores_it():
    class Plain(Layer):
        def call(self, inputs):
            return inputs + 1.0

    np.testing.assert_allclose(Plain()(np.zeros((1, 2), np.float32), training=True).numpy(), [[1, 1]])


def test_float64_numpy_is_cast_to_layer_dtype():
    y = Dense(2)(np.ones((1, 3)))
    assert y.dtype == tf.float32


def test_get_set_weights_and_errors():
    layer = Dense(2)
    layer.build((None, 3))
    w = [np.full((3, 2), 0.5, np.float32), np.array([1.0, 2.0], np.float32)]
    layer.set_weights(w)
    np.testing.assert_array_equal(layer.get_weights()[1], w[1])
    with pytest.raises(ValueError, match="weight list of length 1, but the layer was expecting 2 weights"):
        layer.set_weights(w[:1])
    with pytest.raises(
        ValueError, match=r"weight shape \(3, 2\) is not compatible with provided weight shape \(2, 2\)"
    ):
        layer.set_weights([np.ones((2, 2)), w[1]])


def test_config_round_trip():
    layer = Dense(7, activation="relu", use_bias=False, name="d")
    config = layer.get_config()
    assert config["units"] == 7 and config["use_bias"] is False and config["name"] == "d"
    clone = Dense.from_config(config)
    assert clone.units == 7 and clone.name == "d" and not clone.use_bias
    assert Dropout.from_config(Dropout(0.3, seed=1).get_config()).rate == 0.3
    assert Reshape.from_config(Reshape((2, 3)).get_config()).target_shape == (2, 3)
    restored = keras.layers.deserialize(keras.layers.serialize(Softmax(axis=1)))
    assert isinstance(restored, Softmax) and restored.axis == 1


def test_input_is_keras_tensor_and_input_layer():
    x = Input(shape=(28, 28), name="img")
    assert tuple(x.shape) == (None, 28, 28) and x.dtype == tf.float32
    layer = x._keras_history[0]
    assert isinstance(layer, InputLayer) and layer.name == "img"
    y = Dense(3)(Flatten()(x))
    assert tuple(y.shape) == (None, 3)
    with pytest.raises(ValueError, match="shape"):
        InputLayer()
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)


def test_input_shape_kwarg_is_recorded():
    layer = Flatten(input_shape=(28, 28))
    assert layer._batch_input_shape == (None, 28, 28)
    assert Dense(3, input_dim=5)._batch_input_shape == (None, 5)
