"""keras.applications ResNet50V2/101V2/152V2: the layers (names in order), weight shapes, parameter counts and
output shapes Keras 3.15 builds, and resnet_v2.preprocess_input ("tf" mode); recorded from Keras 3.15."""

import hashlib

import numpy as np
import pytest

from ferroflow import keras


def _md5(items):
    return hashlib.md5(",".join(items).encode()).hexdigest()


CASES = [
    ("ResNet50V2", {}, "resnet50v2", 25613800, 192, 272, (None, 1000), "c831975e3c75118a6a4dee29ab10e87c"),
    (
        "ResNet101V2",
        dict(include_top=False, input_shape=(64, 64, 3), pooling="max"),
        "resnet101v2",
        42626560,
        378,
        542,
        (None, 2048),
        "287d623f67a09ec48447a467b4717c23",
    ),
    (
        "ResNet152V2",
        dict(include_top=False, input_shape=(32, 32, 3)),
        "resnet152v2",
        58331648,
        564,
        814,
        (None, 1, 1, 2048),
        "29e50557c6f617f7fc99f8bf09db61b9",
    ),
]
SHAPES_MD5 = {
    "resnet50v2": "3c28841883045f003031f44b91edea6b",
    "resnet101v2": "5bea6a615f5543134be9ec1bbe8e5416",
    "resnet152v2": "96449c7505e9610f74dcd7673868c813",
}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_architecture_matches_keras(case):
    fn_name, kwargs, name, params, n_layers, n_weights, out_shape, names_md5 = case
    keras.backend.clear_session()  # Keras's automatic names (input_layer, max_pooling2d ...) count from here
    m = getattr(keras.applications, fn_name)(weights=None, **kwargs)
    assert (m.name, m.count_params(), len(m.layers), len(m.weights)) == (name, params, n_layers, n_weights)
    assert m.output_shape == out_shape
    names = [layer.name for layer in m.layers]
    assert names[1:6] == ["conv1_pad", "conv1_conv", "pool1_pad", "pool1_pool", "conv2_block1_preact_bn"]
    assert _md5(names) == names_md5
    assert _md5(str(tuple(w.shape)) for w in m.weights) == SHAPES_MD5[name]


def test_preprocess_input_scales_to_minus_one_one():
    out = keras.applications.resnet_v2.preprocess_input(np.array([[[0.0, 127.5, 255.0]]]))
    assert np.asarray(out).tolist() == [[[-1.0, 0.0, 1.0]]]


def test_small_model_trains():
    m = keras.applications.ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    out = keras.layers.Dense(2)(m.output)
    model = keras.Model(m.input, out)
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    loss = model.train_on_batch(np.random.rand(2, 32, 32, 3).astype("float32"), np.array([0, 1]))
    assert np.isfinite(loss)
