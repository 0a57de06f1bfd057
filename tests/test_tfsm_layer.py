"""keras.layers.TFSMLayer: an exported SavedModel reloaded as a layer (eagerly, in a functional model, with
its variables as weights), and Keras 3's error for an unknown endpoint."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")(inputs)
    model = keras.Model(inputs, outputs)
    path = str(tmp_path_factory.mktemp("tfsm") / "exported")
    model.export(path, verbose=False)
    return path


X = np.arange(8, dtype="float32").reshape(2, 4)
EXPECTED = X.sum(1, keepdims=True) + np.ones((1, 2))


def test_call_and_weights(exported):
    layer = keras.layers.TFSMLayer(exported, call_endpoint="serve")
    np.testing.assert_allclose(np.asarray(layer(X)), EXPECTED)
    assert sorted(tuple(w.shape) for w in layer.weights) == [(2,), (4, 2)]
    assert len(layer.trainable_weights) == 2 and layer.count_params() == 10
    config = layer.get_config()
    assert (config["filepath"], config["call_endpoint"], config["call_training_endpoint"]) == (exported, "serve", None)


def test_in_a_functional_model(exported):
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.TFSMLayer(exported, call_endpoint="serving_default")(inputs)
    model = keras.Model(inputs, outputs)
    out = model.predict(X, verbose=0)
    # A signature returns a dict of its outputs, as Keras 3's TFSMLayer gives it.
    assert isinstance(out, dict) and len(out) == 1
    np.testing.assert_allclose(next(iter(out.values())), EXPECTED)


def test_unknown_endpoint(exported):
    with pytest.raises(ValueError, match="The endpoint 'nope' is neither an attribute"):
        keras.layers.TFSMLayer(exported, call_endpoint="nope")
    assert isinstance(tf.saved_model.load(exported).serve(X), tf.Tensor)
