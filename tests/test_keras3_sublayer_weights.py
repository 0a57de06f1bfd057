"""``.weights.h5`` files of models with custom layers that hold layers as attributes (keras.io's
TransformerBlock, PatchEncoder) are in Keras 3's layout: the paths below were listed from the file Keras 3.15
writes for the same model, and ferroflow and Keras each load the other's file to the same predictions
(checked by hand with both)."""

import numpy as np
import pytest

from ferroflow import keras
from ferroflow.keras import layers

h5py = pytest.importorskip("h5py")

# Keras 3.15's datasets for the model below: path -> shape.
KERAS_PATHS = {
    "layers/dense/vars/0": (4, 2),
    "layers/dense/vars/1": (2,),
    "layers/outer/block/ffn/layers/dense/vars/0": (4, 3),
    "layers/outer/block/ffn/layers/dense/vars/1": (3,),
    "layers/outer/block/ffn/layers/dense_1/vars/0": (3, 4),
    "layers/outer/block/ffn/layers/dense_1/vars/1": (4,),
    "layers/outer/block/norms/layer_normalization/vars/0": (4,),
    "layers/outer/block/norms/layer_normalization/vars/1": (4,),
    "layers/outer/block/norms/layer_normalization_1/vars/0": (4,),
    "layers/outer/block/norms/layer_normalization_1/vars/1": (4,),
    "layers/outer/block/proj/vars/0": (4, 4),
    "layers/outer/block/proj/vars/1": (4,),
    "layers/outer/block/vars/0": (4,),
    "layers/outer/emb/vars/0": (5, 4),
    "layers/outer/emb/vars/1": (4,),
}


class Block(layers.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.proj = layers.Dense(4, name="p")
        self.ffn = keras.Sequential([layers.Dense(3), layers.Dense(4)])
        self.norms = [layers.LayerNormalization(), layers.LayerNormalization()]
        self.scale = self.add_weight(shape=(4,), initializer="ones", name="scale")

    def call(self, x):
        y = self.norms[0](self.proj(x) * self.scale)
        return self.norms[1](self.ffn(y))


class Outer(layers.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.block = Block()
        self.emb = layers.Dense(4)

    def call(self, x):
        return self.block(self.emb(x))


def _model():
    inp = keras.Input((5,))
    return keras.Model(inp, layers.Dense(2)(Outer()(inp)))


X = np.linspace(-1, 1, 10).reshape(2, 5).astype("float32")


def _datasets(path):
    found = {}
    with h5py.File(path) as f:
        f.visititems(lambda name, obj: found.update({name: obj.shape}) if isinstance(obj, h5py.Dataset) else None)
    return found


def test_saved_paths_are_keras_ones(tmp_path):
    _model().save_weights(tmp_path / "m.weights.h5")
    assert _datasets(tmp_path / "m.weights.h5") == KERAS_PATHS


def test_round_trip_restores_predictions(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "m.weights.h5")
    other = _model()
    assert not np.allclose(other.predict(X, verbose=0), model.predict(X, verbose=0))
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))


def test_a_file_in_keras_layout_loads_by_path(tmp_path):
    # Each dataset a distinct constant: each variable must receive the one at its Keras path.
    values = {p: np.full(s, i + 1, "float32") for i, (p, s) in enumerate(sorted(KERAS_PATHS.items()))}
    with h5py.File(tmp_path / "k.weights.h5", "w") as f:
        for p, v in values.items():
            f.create_dataset(p, data=v)
    model = _model()
    model.load_weights(tmp_path / "k.weights.h5")
    outer = model.layers[1]
    block = outer.block
    checks = {
        "layers/outer/emb/vars/0": outer.emb.kernel,
        "layers/outer/block/vars/0": block.scale,
        "layers/outer/block/proj/vars/1": block.proj.bias,
        "layers/outer/block/ffn/layers/dense_1/vars/0": block.ffn.layers[1].kernel,
        "layers/outer/block/norms/layer_normalization_1/vars/0": block.norms[1].gamma,
        "layers/dense/vars/0": model.layers[2].kernel,
    }
    for path, var in checks.items():
        np.testing.assert_array_equal(var.numpy(), values[path], err_msg=path)


def test_a_missing_sublayer_group_is_an_error(tmp_path):
    with h5py.File(tmp_path / "k.weights.h5", "w") as f:
        for p, s in KERAS_PATHS.items():
            if "/proj/" not in p:
                f.create_dataset(p, data=np.zeros(s, "float32"))
    with pytest.raises(ValueError, match="no group /layers/outer/block/proj for layer"):
        _model().load_weights(tmp_path / "k.weights.h5")
