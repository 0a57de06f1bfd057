"""Keras 3's saving hooks, as the "Customizing saving and serialization" guide uses them: a layer's default
``save_own_variables``/``load_own_variables`` (which an override extends through ``super()``), a custom
``build`` rebuilt from ``get_build_config``/``build_from_config``, and ``save_assets``/``load_assets``."""

import os

import numpy as np
import pytest

from ferroflow import keras
from ferroflow.keras import layers, ops


@keras.saving.register_keras_serializable(package="hooks_test")
class DenseWithExtra(layers.Dense):
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.extra = np.full((units,), 0.5, "float32")

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["extra"] = self.extra

    def load_own_variables(self, store):
        self.extra = np.asarray(store["extra"])
        own = self.trainable_weights + self.non_trainable_weights
        for i, v in enumerate(own):
            v.assign(store[f"{i}"])

    def call(self, inputs):
        return super().call(inputs) + self.extra


@keras.saving.register_keras_serializable(package="hooks_test")
class BuildWithInit(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return dict(units=self.units, **super().get_config())

    def build(self, input_shape, layer_init):
        super().build(input_shape)
        self._input_shape = input_shape
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=layer_init)
        self.b = self.add_weight(shape=(self.units,), initializer=layer_init)
        self.layer_init = layer_init

    def get_build_config(self):
        return {"layer_init": self.layer_init, "input_shape": self._input_shape}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["layer_init"])


@keras.saving.register_keras_serializable(package="hooks_test")
class WithAssets(layers.Layer):
    def __init__(self, vocab=None, **kwargs):
        super().__init__(**kwargs)
        self.vocab = vocab

    def save_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "w") as f:
            f.write(self.vocab)

    def load_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt")) as f:
            self.vocab = f.read().replace("<unk>", "little")


def test_default_save_own_variables_lists_the_weights():
    dense = layers.Dense(2)
    dense.build((None, 3))
    store = {}
    dense.save_own_variables(store)
    assert sorted(store) == ["0", "1"]
    np.testing.assert_array_equal(store["0"], dense.kernel.numpy())
    np.testing.assert_array_equal(store["1"], dense.bias.numpy())
    other = layers.Dense(2)
    other.build((None, 3))
    other.load_own_variables(store)
    np.testing.assert_array_equal(other.kernel.numpy(), dense.kernel.numpy())
    with pytest.raises(ValueError, match=r"^Layer '.*' expected 2 variables, but received 1 variables during loading"):
        other.load_own_variables({"0": store["0"]})


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_an_override_through_super_round_trips(tmp_path, suffix):
    model = keras.Sequential([keras.Input((3,)), DenseWithExtra(2)])
    model.layers[0].extra = np.array([1.0, -1.0], "float32")
    path = str(tmp_path / f"m{suffix}")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    if suffix == ".keras":
        model.save(path)
        restored = keras.models.load_model(path)
    else:
        model.save_weights(path)
        restored = keras.Sequential([keras.Input((3,)), DenseWithExtra(2)])
        restored.load_weights(path)
    np.testing.assert_array_equal(restored.layers[0].extra, [1.0, -1.0])
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_custom_build_is_rebuilt_from_its_build_config(tmp_path):
    custom = BuildWithInit(units=3)
    custom.build(input_shape=(5,), layer_init="random_normal")
    model = keras.Sequential([custom, layers.Dense(1)])
    model.build(input_shape=(None, 5))
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    x = np.linspace(-1, 1, 10).reshape(2, 5).astype("float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    assert restored.layers[0].layer_init == "random_normal"


def test_assets_of_a_layer_without_variables_round_trip(tmp_path):
    model = keras.Sequential([WithAssets(vocab="Mary had a <unk> lamb.")])
    model(np.zeros((2, 3), "float32"))
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert restored.layers[0].vocab == "Mary had a little lamb."  # the guide's expected text
