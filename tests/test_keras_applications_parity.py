"""``keras.applications`` against Keras 3's own numbers: predictions of a MobileNet with Keras-saved weights,
``weights=<path>`` in Keras 3's and Keras 2's HDF5 layouts, and ``preprocess_input`` in every mode.

The fixtures are written by tests/data/make_keras3_applications.py (with Keras 3).
"""

import os

import numpy as np
import pytest

import ferroflow as tf

A = tf.keras.applications
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
WEIGHTS = os.path.join(DATA, "mobilenet_025_32.weights.h5")
REF = np.load(os.path.join(DATA, "applications.npz"))
h5py = pytest.importorskip("h5py")


def _model(weights=None):
    return A.MobileNet(alpha=0.25, input_shape=(32, 32, 3), classes=10, weights=weights)


def test_predictions_match_keras3_with_its_weights_file():
    model = _model(WEIGHTS)
    x = A.mobilenet.preprocess_input(REF["images"].copy())
    np.testing.assert_allclose(model.predict(x, verbose=0), REF["probs"], rtol=1e-4, atol=1e-5)


def test_legacy_h5_layout_loads_by_layer_order(tmp_path):
    """Keras 2's layout (``layer_names`` / ``weight_names`` attributes), in which Keras publishes its
    pretrained files, written here from the Keras 3 file's arrays."""
    source = _model(WEIGHTS)
    path = str(tmp_path / "legacy.h5")
    with h5py.File(path, "w") as f:
        names = [layer.name for layer in source.layers]
        f.attrs["layer_names"] = [n.encode() for n in names]
        for layer in source.layers:
            g = f.create_group(layer.name)
            wnames = [f"{layer.name}/w{i}:0" for i in range(len(layer.weights))]
            g.attrs["weight_names"] = [w.encode() for w in wnames]
            for w, v in zip(wnames, layer.weights):
                g[w] = v.numpy()
    loaded = _model(path)
    x = A.mobilenet.preprocess_input(REF["images"].copy())
    np.testing.assert_allclose(loaded.predict(x, verbose=0), REF["probs"], rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="layers"):
        A.MobileNet(alpha=0.5, input_shape=(32, 32, 3), classes=10, weights=path, include_top=False)


def test_weights_file_of_another_shape_is_rejected():
    with pytest.raises(ValueError):
        A.MobileNet(alpha=0.5, input_shape=(32, 32, 3), classes=10, weights=WEIGHTS)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_matches_keras3_channels_last(mode):
    x = REF["images"][:2].copy()
    out = A.imagenet_utils.preprocess_input(x.copy(), data_format="channels_last", mode=mode)
    np.testing.assert_allclose(out, REF[f"{mode}_last"], rtol=1e-6, atol=1e-5)
    tensor = A.imagenet_utils.preprocess_input(tf.constant(x), data_format="channels_last", mode=mode)
    np.testing.assert_allclose(tensor.numpy(), REF[f"{mode}_last"], rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("mode", ["caffe", "torch"])
def test_preprocess_input_matches_keras3_channels_first(mode):
    x = np.ascontiguousarray(np.transpose(REF["images"][:2], (0, 3, 1, 2)))
    out = A.imagenet_utils.preprocess_input(x.copy(), data_format="channels_first", mode=mode)
    np.testing.assert_allclose(out, REF[f"{mode}_first"], rtol=1e-6, atol=1e-5)
    single = A.imagenet_utils.preprocess_input(x[0].copy(), data_format="channels_first", mode=mode)
    np.testing.assert_allclose(single, REF[f"{mode}_first"][0], rtol=1e-6, atol=1e-5)


def test_preprocess_input_formulas_and_errors():
    x = np.array([[[[10.0, 20.0, 30.0]]]], "float32")
    np.testing.assert_allclose(
        A.resnet.preprocess_input(x.copy()), [[[[30 - 103.939, 20 - 116.779, 10 - 123.68]]]], rtol=1e-6
    )
    np.testing.assert_allclose(A.mobilenet_v2.preprocess_input(x.copy()), x / 127.5 - 1.0, rtol=1e-6)
    torch = A.imagenet_utils.preprocess_input(x.copy(), mode="torch")
    np.testing.assert_allclose(torch, (x / 255.0 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225], rtol=1e-5)
    ints = A.vgg16.preprocess_input(np.full((1, 2, 2, 3), 100, "uint8"))
    assert ints.dtype == np.float32
    with pytest.raises(ValueError, match="Expected mode to be one of"):
        A.imagenet_utils.preprocess_input(x, mode="bgr")
    with pytest.raises(ValueError, match="Expected data_format to be one of"):
        A.imagenet_utils.preprocess_input(x, data_format="nhwc")
