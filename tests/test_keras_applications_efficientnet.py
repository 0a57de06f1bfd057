"""``keras.applications`` EfficientNetB0 ... B7: structure against Keras 3's, the in-model preprocessing
(Rescaling, Normalization), stochastic depth, weight files and the namespace.

The figures below were measured with Keras 3 (``/tmp/peers/bin/python``, keras 3 with TensorFlow 2.21):
``keras.applications.EfficientNetB0(weights=None).count_params()``, ``len(model.layers)`` and the number of
layers holding weights.
"""

import re

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications

# variant: (count_params(), len(model.layers), layers with weights), all Keras 3's with the 1000-class top.
KERAS3 = {
    0: (5_330_571, 240, 132),
    1: (7_856_239, 342, 186),
    2: (9_177_569, 342, 186),
    3: (12_320_535, 387, 210),
    4: (19_466_823, 477, 258),
    5: (30_562_527, 579, 312),
    6: (43_265_143, 669, 360),
    7: (66_658_687, 816, 438),
}


@pytest.mark.parametrize("i", list(KERAS3))
def test_parameter_and_layer_counts_match_keras3(i):
    model = getattr(A, f"EfficientNetB{i}")(weights=None)
    params, n_layers, weighted = KERAS3[i]
    assert model.count_params() == params
    assert len(model.layers) == n_layers
    assert sum(1 for layer in model.layers if layer.weights) == weighted
    assert model.name == f"efficientnetb{i}" and tuple(model.output.shape) == (None, 1000)


def test_layer_names_and_order_match_keras3():
    model = A.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    # Keras 3: 4,049,571 parameters, 238 layers, output (None, 1280).
    assert (model.count_params(), len(model.layers), tuple(model.output.shape)) == (4_049_571, 238, (None, 1280))
    names = [re.sub(r"_\d+$", "", layer.name) for layer in model.layers]
    assert names[:12] == ["input_layer", "rescaling", "normalization", "stem_conv_pad", "stem_conv", "stem_bn",
                          "stem_activation", "block1a_dwconv", "block1a_bn", "block1a_activation",
                          "block1a_se_squeeze", "block1a_se_reshape"]  # fmt: skip
    assert names[12:18] == ["block1a_se_reduce", "block1a_se_expand", "block1a_se_excite", "block1a_project_conv",
                            "block1a_project_bn", "block2a_expand_conv"]  # fmt: skip
    assert names[-7:] == ["block7a_se_excite", "block7a_project_conv", "block7a_project_bn", "top_conv", "top_bn",
                          "top_activation", "avg_pool"]  # fmt: skip
    assert "block2b_drop" in names and "block2a_drop" not in names and "block2a_dwconv_pad" in names
    # The normalization's mean, variance and count are (non-trainable) weights, as in Keras 3.
    assert [(re.sub(r"_\d+/", "/", w.path), tuple(w.shape)) for w in model.weights[:3]] == [
        ("normalization/mean", (3,)),
        ("normalization/variance", (3,)),
        ("normalization/count", ()),
    ]


def test_stochastic_depth_and_swish():
    model = A.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    drop = model.get_layer("block2b_drop")
    assert drop.rate == pytest.approx(0.2 * 2 / 16) and tuple(drop.noise_shape) == (None, 1, 1, 1)
    assert model.get_layer("stem_activation").activation is tf.keras.activations.get("swish")


def test_images_go_in_as_0_to_255_and_preprocess_input_returns_them():
    model = A.EfficientNetB0(weights=None, classes=4, input_shape=(32, 32, 3))
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert A.efficientnet.preprocess_input(x) is x
    norm = next(layer for layer in model.layers if isinstance(layer, tf.keras.layers.Normalization))
    front = tf.keras.Model(model.input, norm.output)
    np.testing.assert_allclose(front.predict(x, verbose=0), x / 255.0, rtol=1e-6)  # mean 0, variance 1
    norm.set_weights([np.full(3, 0.5, np.float32), np.full(3, 0.25, np.float32), np.asarray(0, np.int64)])
    np.testing.assert_allclose(front.predict(x, verbose=0), (x / 255.0 - 0.5) / 0.5, rtol=1e-5, atol=1e-6)
    p = model.predict(x, verbose=0)
    assert p.shape == (2, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_weights_file_round_trip_and_variable_image_sizes(tmp_path):
    model = A.EfficientNetB0(weights=None, include_top=False, pooling="avg")
    assert model.input_shape == (None, None, None, 3)
    x = np.random.default_rng(1).uniform(0, 255, (1, 40, 48, 3)).astype("float32")
    path = str(tmp_path / "b0.weights.h5")
    model.save_weights(path)
    again = A.EfficientNetB0(weights=path, include_top=False, pooling="avg")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert model.predict(x[:, :32, :32], verbose=0).shape == (1, 1280)


def test_errors_and_missing_imagenet_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        A.EfficientNetB1(classes=10)
    with pytest.raises(ValueError, match="The `weights` argument should be either"):
        A.EfficientNetB0(weights="no/such/file.h5")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="efficientnetb0_notop.h5"):
        A.EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))


def test_namespace():
    names = {f"EfficientNetB{i}" for i in range(8)}
    assert names <= set(dir(A)) and "efficientnet" in dir(A)
    assert set(dir(A.efficientnet)) == names | {"decode_predictions", "preprocess_input"}
    assert A.efficientnet.EfficientNetB3 is A.EfficientNetB3
    assert A.EfficientNetB3.__name__ == "EfficientNetB3"
