"""``keras.saving.serialize_keras_object``/``deserialize_keras_object``, ``get_custom_objects``,
``custom_object_scope`` and ``get_registered_name``; the expected dicts and messages are what
TensorFlow 2.21 + Keras 3 prints for the same code."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


@pytest.fixture
def clean_registry():
    saved = dict(keras.saving.get_custom_objects())
    keras.saving.get_custom_objects().clear()
    yield keras.saving.get_custom_objects()
    keras.saving.get_custom_objects().clear()
    keras.saving.get_custom_objects().update(saved)


class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, inner=None, reg=None, **kwargs):
        super().__init__(**kwargs)
        self.factor, self.inner, self.reg = factor, inner, reg

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "inner": self.inner, "reg": self.reg}


DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def test_registry_is_keyed_by_package_and_name_and_clears(clean_registry) -> None:
    @keras.saving.register_keras_serializable(package="pkg", name="sq")
    def sq(x):
        return x**2

    assert clean_registry == {"pkg>sq": sq}
    assert keras.saving.get_registered_name(sq) == "pkg>sq"
    assert keras.saving.get_registered_name(np.ndarray) == "ndarray"
    assert keras.saving.get_registered_object("pkg>sq") is sq
    keras.saving.get_custom_objects().clear()
    assert keras.saving.get_registered_object("pkg>sq") is None


def test_functions_serialize_under_the_class_of_functions(clean_registry) -> None:
    @keras.saving.register_keras_serializable(package="pkg", name="sq")
    def sq(x):
        return x**2

    config = keras.saving.serialize_keras_object(sq)
    assert config == {"module": "builtins", "class_name": "function", "config": "pkg>sq", "registered_name": "function"}
    assert keras.saving.deserialize_keras_object(config) is sq
    relu = keras.saving.serialize_keras_object(keras.activations.relu)
    assert relu == {"module": "builtins", "class_name": "function", "config": "relu", "registered_name": "function"}
    assert keras.saving.deserialize_keras_object(relu) is keras.activations.relu


def test_plain_values_arrays_and_bytes() -> None:
    ser = keras.saving.serialize_keras_object
    assert ser(np.array([1.0, 2.0], "float32")) == {
        "class_name": "__numpy__",
        "config": {"value": [1.0, 2.0], "dtype": "float32"},
    }
    assert ser(np.float32(2.5)) == 2.5 and isinstance(ser(np.float32(2.5)), float)
    assert ser(b"ab") == {"class_name": "__bytes__", "config": {"value": "ab"}}
    assert ser((1, [2, None])) == (1, [2, None])
    back = keras.saving.deserialize_keras_object(ser(np.array([[1, 2]], "int32")))
    assert back.dtype == np.int32 and back.tolist() == [[1, 2]]


def test_builtin_regularizer_round_trip_in_float32() -> None:
    config = keras.saving.serialize_keras_object(keras.regularizers.L1(0.005))
    assert config == {
        "module": "keras.regularizers",
        "class_name": "L1",
        "config": {"l1": 0.004999999888241291},  # Keras 3 keeps L1's factor as float32
        "registered_name": None,
    }
    assert isinstance(keras.saving.deserialize_keras_object(config), keras.regularizers.L1)


def test_custom_layer_serializes_nested_objects_with_its_registered_name(clean_registry) -> None:
    registered = keras.saving.register_keras_serializable(package="MyLayers", name="Scaled")(Scale)
    inner = registered(2.0, name="inner")
    outer = registered(3.0, inner=inner, reg=keras.regularizers.L1L2(l1=1e-5, l2=1e-4), name="outer")
    config = keras.layers.serialize(outer)
    assert config == {
        "module": __name__,
        "class_name": "Scale",
        "config": {
            "name": "outer",
            "trainable": True,
            "dtype": DTYPE,
            "factor": 3.0,
            "inner": {
                "module": __name__,
                "class_name": "Scale",
                "config": {
                    "name": "inner",
                    "trainable": True,
                    "dtype": DTYPE,
                    "factor": 2.0,
                    "inner": None,
                    "reg": None,
                },
                "registered_name": "MyLayers>Scaled",
            },
            "reg": {
                "module": "keras.regularizers",
                "class_name": "L1L2",
                "config": {"l1": 1e-05, "l2": 0.0001},
                "registered_name": None,
            },
        },
        "registered_name": "MyLayers>Scaled",
    }
    rebuilt = keras.layers.deserialize(config)
    assert type(rebuilt) is Scale and rebuilt.name == "outer" and rebuilt.factor == 3.0
    assert keras.saving.deserialize_keras_object(config).factor == 3.0


def test_unregistered_class_needs_custom_objects_or_a_scope(clean_registry) -> None:
    config = keras.saving.serialize_keras_object(Scale(2.0, name="l"))
    assert config["registered_name"] == "Scale"
    with pytest.raises(TypeError, match=r"^Could not locate class 'Scale'\. Make sure custom classes and functions"):
        keras.saving.deserialize_keras_object(config)
    with keras.saving.custom_object_scope({"Scale": Scale}):
        assert keras.saving.deserialize_keras_object(config).factor == 2.0
        assert keras.layers.deserialize(config).factor == 2.0
    assert keras.layers.deserialize(config, custom_objects={"Scale": Scale}).factor == 2.0
    assert keras.saving.deserialize_keras_object(config, custom_objects={"Scale": Scale}).factor == 2.0
    with pytest.raises(TypeError, match=r"^Could not locate function 'nofn'\."):
        keras.saving.deserialize_keras_object(
            {"module": "builtins", "class_name": "function", "config": "nofn", "registered_name": "function"}
        )


def test_custom_object_scope_reaches_load_model(tmp_path, clean_registry) -> None:
    inputs = keras.Input((3,))
    model = keras.Model(inputs, Scale(2.0)(inputs))
    model.save(tmp_path / "m.keras")
    with keras.saving.custom_object_scope({"Scale": Scale}):
        loaded = keras.models.load_model(tmp_path / "m.keras")
    x = np.ones((1, 3), "float32")
    np.testing.assert_allclose(loaded(x), 2.0 * x)
