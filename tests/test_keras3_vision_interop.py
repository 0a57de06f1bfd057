"""Keras-3-made models of SeparableConv1D, DepthwiseConv1D, SpatialDropout3D, the adaptive poolings and
RandomCrop (tests/data/make_keras3_vision.py): ferroflow loads them (class names, configs, weight layout)
and computes Keras's outputs."""

import os

import numpy as np
import pytest

import ferroflow as tf

pytest.importorskip("h5py")

DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")


@pytest.mark.parametrize("name", ["seq1d", "img", "vol"])
def test_vision_layers_load_and_compute_like_keras(name):
    data = np.load(os.path.join(DATA, f"vision_{name}.npz"))
    model = tf.keras.models.load_model(os.path.join(DATA, f"vision_{name}.keras"))
    outputs = model(data["arr_0"], training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    assert len(outputs) == len([k for k in data.files if k.startswith("y")])
    for i, out in enumerate(outputs):
        np.testing.assert_allclose(np.asarray(out), data[f"y{i}"], atol=2e-5, rtol=1e-5)


def test_loaded_layers_keep_keras_shapes_and_arguments():
    model = tf.keras.models.load_model(os.path.join(DATA, "vision_seq1d.keras"))
    by_class = {}
    for layer in model.layers:
        by_class.setdefault(type(layer).__name__, []).append(layer)
    first = by_class["SeparableConv1D"][0]
    assert first.depthwise_kernel.shape == (3, 6, 2) and first.pointwise_kernel.shape == (1, 12, 5)
    assert first.get_config()["activation"] == "relu"
    strided = by_class["DepthwiseConv1D"][2]
    assert (strided.strides, strided.dilation_rate, strided.kernel.shape) == ((2,), (2,), (3, 6, 1))
    assert by_class["AdaptiveAveragePooling1D"][1].output_size == (7,)
    vol = tf.keras.models.load_model(os.path.join(DATA, "vision_vol.keras"))
    names = {type(layer).__name__ for layer in vol.layers}
    assert {"SpatialDropout3D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling3D"} <= names


def test_a_loaded_random_crop_follows_the_model_calls_training_flag():
    """Keras records ``training=True`` in the RandomCrop node; the model call's flag decides, as in Keras."""
    data = np.load(os.path.join(DATA, "vision_img.npz"))
    model = tf.keras.models.load_model(os.path.join(DATA, "vision_img.keras"))
    np.testing.assert_allclose(model.predict(data["arr_0"], verbose=0)[0], data["y0"], atol=2e-5)
    crop = model.get_layer("random_crop")
    assert crop(data["arr_0"], training=True).shape == (3, 6, 7, 3)
    trained = model(data["arr_0"], training=True)[0].numpy()
    assert trained.shape == (3, 4, 5, 3) and np.abs(trained - data["y0"]).max() > 1e-2


def test_ferroflow_writes_these_layers_in_keras_format(tmp_path):
    """Keras 3 opens the file (checked by hand with tests/data/check_keras3_opens_ferroflow_files.py)."""
    import json
    import zipfile

    layers = tf.keras.layers
    model = tf.keras.Sequential(
        [
            tf.keras.Input((7, 6, 5, 2)),
            layers.SpatialDropout3D(0.2),
            layers.AdaptiveAveragePooling3D((3, 4, 2)),
            layers.Reshape((12, 4)),
            layers.SeparableConv1D(4, 3, depth_multiplier=2),
            layers.DepthwiseConv1D(3, padding="same"),
            layers.AdaptiveMaxPooling1D(4),
        ]
    )
    path = tmp_path / "vision.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
    names = [entry["class_name"] for entry in config["config"]["layers"]]
    assert names[1:] == [
        "SpatialDropout3D", "AdaptiveAveragePooling3D", "Reshape", "SeparableConv1D", "DepthwiseConv1D",
        "AdaptiveMaxPooling1D",
    ]  # fmt: skip
    x = np.random.default_rng(0).standard_normal((2, 7, 6, 5, 2)).astype("float32")
    again = tf.keras.models.load_model(path)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
