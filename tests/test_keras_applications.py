"""``keras.applications``: the models' structure against Keras 3's, input-shape rules, the ``weights`` argument,
and ``decode_predictions`` / pretrained files read from Keras's cache.

The figures below were measured with Keras 3 (``/tmp/peers/bin/python``, keras 3 with TensorFlow 2.21), e.g.
``keras.applications.ResNet50(weights=None).count_params()`` and ``len(model.layers)``.
"""

import json
import re

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications

# name: (builder, Keras 3's count_params(), Keras 3's len(model.layers), Keras 3's output shape)
KERAS3 = {
    "ResNet50": (lambda: A.ResNet50(weights=None), 25_636_712, 177, (None, 1000)),
    "ResNet101": (lambda: A.ResNet101(weights=None), 44_707_176, 347, (None, 1000)),
    "ResNet152": (lambda: A.ResNet152(weights=None), 60_419_944, 517, (None, 1000)),
    "ResNet50_notop32": (
        lambda: A.ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3)),
        23_587_712,
        175,
        (None, 1, 1, 2048),
    ),  # fmt: skip
    "MobileNetV2": (lambda: A.MobileNetV2(weights=None), 3_538_984, 156, (None, 1000)),
    "MobileNetV2_035": (
        lambda: A.MobileNetV2(weights=None, alpha=0.35, input_shape=(32, 32, 3), classes=10),
        423_018,
        156,
        (None, 10),
    ),
    "MobileNetV2_13": (lambda: A.MobileNetV2(weights=None, alpha=1.3), 5_431_048, 156, (None, 1000)),
    "VGG16": (lambda: A.VGG16(weights=None), 138_357_544, 23, (None, 1000)),
    "VGG19": (lambda: A.VGG19(weights=None), 143_667_240, 26, (None, 1000)),
    "VGG16_notop32": (
        lambda: A.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3)),
        14_714_688,
        19,
        (None, 1, 1, 512),
    ),
    "MobileNet": (lambda: A.MobileNet(weights=None), 4_253_864, 91, (None, 1000)),
    "MobileNet_05_avg": (
        lambda: A.MobileNet(weights=None, alpha=0.5, input_shape=(32, 32, 3), include_top=False, pooling="avg"),
        829_536,
        87,
        (None, 512),
    ),  # fmt: skip
    "MobileNet_025": (
        lambda: A.MobileNet(weights=None, alpha=0.25, input_shape=(32, 32, 3), classes=10),
        221_114,
        91,
        (None, 10),
    ),
}


SLOW = {"VGG16", "VGG19"}  # 138M / 144M parameters to allocate


@pytest.mark.parametrize("key", [pytest.param(k, marks=pytest.mark.slow) if k in SLOW else k for k in KERAS3])
def test_parameter_and_layer_counts_match_keras3(key):
    build, params, n_layers, out_shape = KERAS3[key]
    model = build()
    assert model.count_params() == params
    assert len(model.layers) == n_layers
    assert tuple(model.output.shape) == out_shape


def test_layer_names_and_order_match_keras3():
    names = [layer.name for layer in A.ResNet50(weights=None).layers]
    assert names[1:8] == [
        "conv1_pad",
        "conv1_conv",
        "conv1_bn",
        "conv1_relu",
        "pool1_pad",
        "pool1_pool",
        "conv2_block1_1_conv",
    ]
    assert names[-6:] == [
        "conv5_block3_3_conv",
        "conv5_block3_3_bn",
        "conv5_block3_add",
        "conv5_block3_out",
        "avg_pool",
        "predictions",
    ]
    m = A.MobileNetV2(weights=None)
    names = [layer.name for layer in m.layers]
    assert m.name == "mobilenetv2_1.00_224"
    assert names[1:8] == [
        "Conv1",
        "bn_Conv1",
        "Conv1_relu",
        "expanded_conv_depthwise",
        "expanded_conv_depthwise_BN",
        "expanded_conv_depthwise_relu",
        "expanded_conv_project",
    ]
    assert names[-6:-2] == ["block_16_project_BN", "Conv_1", "Conv_1_bn", "out_relu"]
    assert re.fullmatch(r"global_average_pooling2d(_\d+)?", names[-2]) and names[-1] == "predictions"
    # Keras 3: 107, 105, 16 and 55 of these layers hold weights.
    assert sum(1 for layer in A.ResNet50(weights=None).layers if layer.weights) == 107
    assert sum(1 for layer in m.layers if layer.weights) == 105
    vgg = A.VGG16(weights=None)
    assert [layer.name for layer in vgg.layers][-6:] == [
        "block5_conv3",
        "block5_pool",
        "flatten",
        "fc1",
        "fc2",
        "predictions",
    ]
    assert sum(1 for layer in vgg.layers if layer.weights) == 16
    mn = A.MobileNet(weights=None)
    assert mn.name == "mobilenet_1.00_224"
    assert [layer.name for layer in mn.layers][-4:] == ["dropout", "conv_preds", "reshape_2", "predictions"]
    assert sum(1 for layer in mn.layers if layer.weights) == 55


@pytest.mark.parametrize(
    "build, channels",
    [(A.ResNet50, 2048), (A.MobileNetV2, 1280), (A.VGG19, 512), (A.MobileNet, 1024)],
)
def test_include_top_false_shapes_with_and_without_pooling(build, channels):
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert build(weights=None, include_top=False, input_shape=(32, 32, 3)).predict(x, verbose=0).shape == (
        2,
        1,
        1,
        channels,
    )
    for pooling in ("avg", "max"):
        m = build(weights=None, include_top=False, input_shape=(32, 32, 3), pooling=pooling)
        assert m.predict(x, verbose=0).shape == (2, channels)
    free = build(weights=None, include_top=False)
    assert tuple(free.input.shape) == (None, None, None, 3)


def test_top_outputs_probabilities_and_logits():
    x = np.random.default_rng(1).uniform(-1, 1, (3, 32, 32, 3)).astype("float32")
    probs = A.MobileNetV2(weights=None, alpha=0.35, input_shape=(32, 32, 3), classes=7).predict(x, verbose=0)
    assert probs.shape == (3, 7)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    logits = A.MobileNet(weights=None, alpha=0.25, input_shape=(32, 32, 3), classes=5, classifier_activation=None)
    assert logits.predict(x, verbose=0).shape == (3, 5)


def test_input_tensor_is_used_as_the_model_input():
    inp = tf.keras.Input((40, 40, 3))
    m = A.ResNet50(weights=None, include_top=False, input_tensor=inp, pooling="avg")
    assert m.input is inp
    assert tuple(m.output.shape) == (None, 2048)


def test_input_shape_rules_and_messages():
    with pytest.raises(ValueError, match="Input size must be at least 32x32"):
        A.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="`input_shape` must be a tuple of three integers"):
        A.VGG16(weights=None, include_top=False, input_shape=(32, 32))
    with pytest.raises(ValueError, match="you should specify a static `input_shape`"):
        A.VGG16(weights=None, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match=r"`input_shape` should be \(224, 224, 3\)"):
        A.ResNet50(weights="imagenet", input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match="The input must have 3 channels"):
        A.ResNet50(weights="imagenet", include_top=False, input_shape=(64, 64, 1))
    with pytest.warns(UserWarning, match="usually expects 1 or 3 input channels"):
        A.VGG16(weights=None, include_top=False, input_shape=(32, 32, 4))


def test_weights_and_classes_errors():
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        A.ResNet50(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        A.MobileNetV2(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="The `weights` argument should be either"):
        A.VGG16(weights="/no/such/file.h5")
    with pytest.raises(ValueError, match="alpha must be one of"):
        A.MobileNetV2(weights="imagenet", alpha=0.6)
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        A.MobileNet(weights="imagenet", depth_multiplier=2)
    with pytest.raises(ValueError, match="Only `None` and `softmax` activations are allowed"):
        A.VGG16(weights="imagenet", classifier_activation="relu")


def test_missing_imagenet_file_names_the_file_and_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError) as e:
        A.ResNet50(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5" in str(e.value)
    assert str(tmp_path / "models") in str(e.value)


def test_decode_predictions_reads_the_cached_class_index(tmp_path, monkeypatch):
    from ferroflow.keras.applications import imagenet_utils

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "_CLASS_INDEX", None)
    with pytest.raises(FileNotFoundError, match="imagenet_class_index.json"):
        A.resnet50.decode_predictions(np.zeros((1, 1000)))
    (tmp_path / "models").mkdir(exist_ok=True)
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    (tmp_path / "models" / "imagenet_class_index.json").write_text(json.dumps(index))
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7, 500]] = [0.2, 0.5, 0.3]
    preds[1, 999] = 1.0
    out = A.mobilenet_v2.decode_predictions(preds, top=3)
    assert [r[:2] for r in out[0]] == [("n00000007", "class_7"), ("n00000500", "class_500"), ("n00000003", "class_3")]
    assert out[0][0][2] == pytest.approx(0.5)
    assert out[1][0][:2] == ("n00000999", "class_999") and len(out[1]) == 3
    with pytest.raises(ValueError, match=r"a 2D array of shape \(samples, 1000\)"):
        A.imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_namespaces_list_the_models_and_submodules():
    assert {"ResNet50", "ResNet101", "ResNet152", "MobileNet", "MobileNetV2", "VGG16", "VGG19"} <= set(dir(A))
    assert {"resnet", "resnet50", "mobilenet", "mobilenet_v2", "vgg16", "vgg19", "imagenet_utils"} <= set(dir(A))
    assert A.resnet.ResNet50 is A.ResNet50 is A.resnet50.ResNet50
    assert set(dir(A.vgg16)) == {"VGG16", "decode_predictions", "preprocess_input"}
    assert tf.keras.applications is __import__("ferroflow.keras.applications").keras.applications
