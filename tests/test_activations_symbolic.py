"""``keras.activations`` functions on KerasTensors build operation nodes as Keras 3 does: the operation class,
its config (every argument, defaults included), a functional model's values, and saving/loading the graph."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras

# Recorded with Keras 3.15: activation -> (operation class, its config without the name).
KERAS = {
    "relu": ("ReLU", {"negative_slope": 0.0, "max_value": None, "threshold": 0.0}),
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "softmax": ("Softmax", {"axis": -1}),
    "gelu": ("Gelu", {"approximate": False}),
    "elu": ("Elu", {"alpha": 1.0}),
    "selu": ("Selu", {}),
    "softplus": ("Softplus", {}),
    "softsign": ("Softsign", {}),
    "swish": ("Silu", {}),
    "silu": ("Silu", {}),
    "exponential": ("Exp", {}),
    "leaky_relu": ("LeakyRelu", {"negative_slope": 0.2}),
    "relu6": ("Relu6", {}),
    "hard_sigmoid": ("HardSigmoid", {}),
    "log_softmax": ("LogSoftmax", {"axis": -1}),
    "celu": ("Celu", {"alpha": 1.0}),
    "hard_tanh": ("HardTanh", {}),
    "log_sigmoid": ("LogSigmoid", {}),
    "squareplus": ("Squareplus", {"b": 4}),
    "tanh_shrink": ("TanhShrink", {}),
    "hard_shrink": ("HardShrink", {"threshold": 0.5}),
}

X = np.array([[1.0, -2.0, 3.0, 0.5], [2.5, 0.1, -1.0, 4.0]], "float32")


# A Keras 3.15 model's config (relu(max_value=2) -> gelu -> softmax) and its output on X.
def _node(source):
    history = {"shape": [None, 4], "dtype": "float32", "keras_history": [source, 0, 0]}
    return [{"args": [{"class_name": "__keras_tensor__", "config": history}], "kwargs": {}}]


def _op(module, class_name, name, config, source):
    return {
        "module": module,
        "class_name": class_name,
        "config": {"name": name, **config},
        "registered_name": class_name,
        "name": name,
        "inbound_nodes": _node(source),
    }


KERAS_CONFIG = {
    "name": "functional",
    "trainable": True,
    "layers": [
        {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "config": {
                "batch_shape": [None, 4],
                "dtype": "float32",
                "sparse": False,
                "ragged": False,
                "name": "input_layer",
                "optional": False,
            },
            "registered_name": None,
            "name": "input_layer",
            "inbound_nodes": [],
        },
        _op(
            "keras.src.activations.activations",
            "ReLU",
            "re_lu",
            {"negative_slope": 0.0, "max_value": 2.0, "threshold": 0.0},
            "input_layer",
        ),
        _op("keras.src.ops.nn", "Gelu", "gelu", {"approximate": False}, "re_lu"),
        _op("keras.src.ops.nn", "Softmax", "softmax", {"axis": -1}, "gelu"),
    ],
    "input_layers": ["input_layer", 0, 0],
    "output_layers": ["softmax", 0, 0],
}
KERAS_OUTPUT = [
    [0.19668489694595337, 0.08479683101177216, 0.5986983776092529, 0.11981986463069916],
    [0.4364664852619171, 0.06524794548749924, 0.06181906908750534, 0.4364664852619171],
]


@pytest.mark.parametrize("name", sorted(KERAS))
def test_activation_of_keras_tensor_is_keras_operation(name):
    x = keras.Input((4,))
    y = getattr(keras.activations, name)(x)
    op = y._keras_history[0]
    class_name, config = KERAS[name]
    assert type(op).__name__ == class_name
    assert {k: v for k, v in op.get_config().items() if k != "name"} == config
    assert tuple(y.shape) == (None, 4) and y.dtype == "float32"
    model = keras.Model(x, y)
    eager = getattr(keras.activations, name)(tf.constant(X))
    np.testing.assert_allclose(np.asarray(model(X)), np.asarray(eager), rtol=1e-6, atol=1e-6)


def test_linear_of_keras_tensor_is_the_tensor():
    x = keras.Input((4,))
    assert keras.activations.linear(x) is x


def test_activation_arguments_are_held_by_the_operation():
    x = keras.Input((4,))
    y = keras.activations.relu(x, negative_slope=0.1, max_value=2.0)
    assert y._keras_history[0].get_config()["negative_slope"] == 0.1
    model = keras.Model(x, y)
    expected = np.where(X > 0, np.minimum(X, 2.0), 0.1 * X)
    np.testing.assert_allclose(np.asarray(model(X)), expected, rtol=1e-6)
    entry = model.get_config()["layers"][1]
    assert entry["module"] == "keras.src.activations.activations" and entry["class_name"] == "ReLU"


def test_model_config_of_keras_is_loaded_and_computes_as_keras():
    from ferroflow.saving.keras3_config import translate_model_config

    entry = {"module": "keras", "class_name": "Functional", "config": json.loads(json.dumps(KERAS_CONFIG))}
    model = keras.layers.deserialize(translate_model_config(entry))
    assert [type(op).__name__ for op in model._operations[1:]] == ["ReLU", "Gelu", "Softmax"]
    np.testing.assert_allclose(np.asarray(model(X)), KERAS_OUTPUT, rtol=1e-5, atol=1e-6)


def test_activation_operations_survive_saving(tmp_path):
    x = keras.Input((4,))
    h = keras.activations.relu(keras.layers.Dense(4)(x), threshold=0.5)
    y = keras.activations.softmax(keras.activations.elu(h, alpha=0.5), axis=-1)
    model = keras.Model(x, y)
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [type(layer).__name__ for layer in loaded._operations][-3:] == ["ReLU", "Elu", "Softmax"]
    np.testing.assert_allclose(np.asarray(loaded(X)), np.asarray(model(X)), rtol=1e-6)
