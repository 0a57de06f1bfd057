"""``keras.applications`` DenseNet121/169/201, Xception and InceptionV3: structure against Keras 3's, small-input
predictions, ``preprocess_input`` values and the namespaces.

The figures below were measured with Keras 3 (``/tmp/peers/bin/python``, keras 3 with TensorFlow 2.21), e.g.
``keras.applications.DenseNet121(weights=None).count_params()``, ``len(model.layers)``, the number of layers
holding weights and ``densenet.preprocess_input`` of the image ``IMAGE``.
"""

import re

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications

# name: (builder, count_params(), len(model.layers), layers with weights, output shape), all Keras 3's.
KERAS3 = {
    "DenseNet121": (lambda: A.DenseNet121(weights=None), 8_062_504, 429, 242, (None, 1000)),
    "DenseNet169": (lambda: A.DenseNet169(weights=None), 14_307_880, 597, 338, (None, 1000)),
    "DenseNet201": (lambda: A.DenseNet201(weights=None), 20_242_984, 709, 402, (None, 1000)),
    "Xception": (lambda: A.Xception(weights=None), 22_910_480, 134, 81, (None, 1000)),
    "InceptionV3": (lambda: A.InceptionV3(weights=None), 23_851_784, 313, 189, (None, 1000)),
    "DenseNet121_notop32": (
        lambda: A.DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3)),
        7_037_504, 427, 241, (None, 1, 1, 1024),
    ),
    "DenseNet121_c10": (
        lambda: A.DenseNet121(weights=None, input_shape=(32, 32, 3), classes=10), 7_047_754, 429, 242, (None, 10),
    ),
    "DenseNet169_max": (
        lambda: A.DenseNet169(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max"),
        12_642_880, 596, 337, (None, 1664),
    ),
    "DenseNet201_notop32": (
        lambda: A.DenseNet201(weights=None, include_top=False, input_shape=(32, 32, 3)),
        18_321_984, 707, 401, (None, 1, 1, 1920),
    ),
    "Xception_notop71": (
        lambda: A.Xception(weights=None, include_top=False, input_shape=(71, 71, 3)),
        20_861_480, 132, 80, (None, 3, 3, 2048),
    ),
    "Xception_c10": (
        lambda: A.Xception(weights=None, input_shape=(71, 71, 3), classes=10), 20_881_970, 134, 81, (None, 10),
    ),
    "InceptionV3_notop75": (
        lambda: A.InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3)),
        21_802_784, 311, 188, (None, 1, 1, 2048),
    ),
    "InceptionV3_c10": (
        lambda: A.InceptionV3(weights=None, input_shape=(75, 75, 3), classes=10), 21_823_274, 313, 189, (None, 10),
    ),
    "InceptionV3_free_avg": (
        lambda: A.InceptionV3(weights=None, include_top=False, pooling="avg"), 21_802_784, 312, 188, (None, 2048),
    ),
}  # fmt: skip

IMAGE = np.array(
    [[[[162.42523193359375, 68.79560852050781, 10.448248863220215],
       [4.214547157287598, 207.3839111328125, 232.75267028808594]],
      [[154.69212341308594, 186.02162170410156, 138.62437438964844],
       [238.44346618652344, 208.04266357421875, 0.6983175277709961]]]], np.float32,
)  # fmt: skip
# Keras 3's preprocess_input(IMAGE): "torch" mode for DenseNet, "tf" mode for Xception and InceptionV3.
TORCH = [[[[0.6635881066322327, -0.83130943775177, -1.6223399639129639],
           [-2.0457308292388916, 1.5949562788009644, 2.2522470951080322]],
          [[0.5311604142189026, 1.2209666967391968, 0.611666738986969],
           [1.9653816223144531, 1.6064891815185547, -1.7922732830047607]]]]  # fmt: skip
TF = [[[[0.273923397064209, -0.4604266285896301, -0.9180529713630676],
        [-0.9669447541236877, 0.6265404224395752, 0.82551109790802]],
       [[0.21327149868011475, 0.4589930772781372, 0.0872499942779541],
        [0.8701448440551758, 0.6317071914672852, -0.9945229887962341]]]]  # fmt: skip


@pytest.mark.parametrize("key", list(KERAS3))
def test_parameter_and_layer_counts_match_keras3(key):
    build, params, n_layers, weighted, out_shape = KERAS3[key]
    model = build()
    assert model.count_params() == params
    assert len(model.layers) == n_layers
    assert sum(1 for layer in model.layers if layer.weights) == weighted
    assert tuple(model.output.shape) == out_shape


def _plain(names):
    """Layer names with Keras's automatic numbering (``conv2d_17``) removed."""
    return [n if n.startswith("mixed") else re.sub(r"_\d+$", "", n) for n in names]


def test_layer_names_and_order_match_keras3():
    m = A.DenseNet121(weights=None, input_shape=(32, 32, 3), classes=10)
    names = [layer.name for layer in m.layers]
    assert m.name == "densenet121"
    assert _plain(names[:9]) == ["input_layer", "zero_padding2d", "conv1_conv", "conv1_bn", "conv1_relu",
                                 "zero_padding2d", "pool1", "conv2_block1_0_bn", "conv2_block1_0_relu"]  # fmt: skip
    assert names[-6:] == ["conv5_block16_2_conv", "conv5_block16_concat", "bn", "relu", "avg_pool", "predictions"]
    assert names.index("pool2_pool") == names.index("pool2_conv") + 1 == names.index("conv3_block1_0_bn") - 1
    m = A.Xception(weights=None, input_shape=(71, 71, 3), classes=10)
    names = _plain([layer.name for layer in m.layers])
    assert names[-12:] == ["conv2d", "block13_pool", "batch_normalization", "add", "block14_sepconv1",
                           "block14_sepconv1_bn", "block14_sepconv1_act", "block14_sepconv2", "block14_sepconv2_bn",
                           "block14_sepconv2_act", "avg_pool", "predictions"]  # fmt: skip
    assert names[1:8] == ["block1_conv1", "block1_conv1_bn", "block1_conv1_act", "block1_conv2", "block1_conv2_bn",
                          "block1_conv2_act", "block2_sepconv1"]  # fmt: skip
    m = A.InceptionV3(weights=None, input_shape=(75, 75, 3), classes=10)
    named = [n for n in _plain([layer.name for layer in m.layers]) if not n.startswith(("conv2d", "batch_norm", "act"))]
    assert named == ["input_layer", "max_pooling2d", "max_pooling2d", "average_pooling2d", "mixed0",
                     "average_pooling2d", "mixed1", "average_pooling2d", "mixed2", "max_pooling2d", "mixed3",
                     "average_pooling2d", "mixed4", "average_pooling2d", "mixed5", "average_pooling2d", "mixed6",
                     "average_pooling2d", "mixed7", "max_pooling2d", "mixed8", "average_pooling2d", "mixed9_0",
                     "concatenate", "mixed9", "average_pooling2d", "mixed9_1", "concatenate", "mixed10", "avg_pool",
                     "predictions"]  # fmt: skip
    assert m.name == "inception_v3"
    # Inception's batch norms have no scale (a ReLU follows): beta and the two moving statistics only.
    bn = next(layer for layer in m.layers if isinstance(layer, tf.keras.layers.BatchNormalization))
    assert len(bn.weights) == 3 and not bn.scale


@pytest.mark.parametrize(
    "build, size, classes",
    [(A.DenseNet121, 32, 7), (A.Xception, 71, 5), (A.InceptionV3, 75, 3)],
)
def test_small_inputs_predict_probabilities(build, size, classes):
    x = np.random.default_rng(0).uniform(0, 255, (2, size, size, 3)).astype("float32")
    model = build(weights=None, input_shape=(size, size, 3), classes=classes)
    p = model.predict(x, verbose=0)
    assert p.shape == (2, classes)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    logits = build(weights=None, input_shape=(size, size, 3), classes=classes, classifier_activation=None)
    logits.set_weights(model.get_weights())
    z = logits.predict(x, verbose=0)
    np.testing.assert_allclose(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), p, rtol=1e-4, atol=1e-6)


def test_densenet_takes_images_of_any_size_without_input_shape():
    model = A.DenseNet121(weights=None, include_top=False, pooling="avg")
    assert model.input_shape == (None, None, None, 3)
    for size in [(32, 32), (40, 56)]:
        assert model.predict(np.zeros((1, *size, 3), np.float32), verbose=0).shape == (1, 1024)


def test_preprocess_input_matches_keras3():
    np.testing.assert_allclose(A.densenet.preprocess_input(IMAGE.copy()), TORCH, rtol=1e-6)
    np.testing.assert_allclose(A.xception.preprocess_input(IMAGE.copy()), TF, rtol=1e-6)
    np.testing.assert_allclose(A.inception_v3.preprocess_input(IMAGE.copy()), TF, rtol=1e-6)


def test_input_size_and_weights_errors():
    with pytest.raises(ValueError, match="Input size must be at least 71x71"):
        A.Xception(weights=None, include_top=False, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="Input size must be at least 75x75"):
        A.InceptionV3(weights=None, include_top=False, input_shape=(71, 71, 3))
    with pytest.raises(ValueError, match="If `include_top` is True, you should specify a static `input_shape`"):
        A.DenseNet121(weights=None, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        A.DenseNet169(classes=10)
    with pytest.raises(ValueError, match="The `weights` argument should be either"):
        A.InceptionV3(weights="no/such/file.h5")


def test_namespaces():
    assert {"DenseNet121", "DenseNet169", "DenseNet201", "Xception", "InceptionV3"} <= set(dir(A))
    assert {"densenet", "xception", "inception_v3"} <= set(dir(A))
    assert A.densenet.DenseNet121 is A.DenseNet121
    assert A.inception_v3.InceptionV3 is A.InceptionV3 and A.xception.Xception is A.Xception
    assert set(dir(A.densenet)) == {
        "DenseNet121",
        "DenseNet169",
        "DenseNet201",
        "decode_predictions",
        "preprocess_input",
    }
    assert set(dir(A.xception)) == {"Xception", "decode_predictions", "preprocess_input"}
    assert set(dir(A.inception_v3)) == {"InceptionV3", "decode_predictions", "preprocess_input"}
