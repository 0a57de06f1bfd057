"""keras.ops.image on KerasTensors: functional models record Keras 3's ``keras.src.ops.image`` operations, which
compute as the eager functions, survive a config round trip, and load from a model saved by Keras 3."""

import json
import os

import numpy as np
import pytest

from ferroflow import keras

K = keras.ops.image
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")
SP = [[0, 0], [0, 8], [10, 0], [10, 8]]
EP = [[1, 1], [0, 7], [9, 0], [10, 8]]


def _image_ops(x):
    # The same calls build the functional model (on a KerasTensor) and its eager reference (on an array).
    s = np.array([0.5, 0.5], "float32")
    return {
        "gray": K.rgb_to_grayscale(x),
        "hsv": K.hsv_to_rgb(K.rgb_to_hsv(x)),
        "blur": K.gaussian_blur(x, kernel_size=(3, 5), sigma=(1.0, 2.0)),
        "crop": K.crop_images(x, 1, 2, 1, 2),
        "pad": K.pad_images(x, 1, 2, target_height=12, target_width=13),
        "ssim": K.ssim(x, x * 0.5, filter_size=3),
        "sobel": K.sobel_edges(x),
        "pt": K.perspective_transform(x, SP, EP),
        "st": K.scale_and_translate(x, (2, 4, 5, 3), s, s * 0.0, (1, 2), "linear"),
        "el": K.elastic_transform(x, 2.0, 1.0, seed=3),
        "p3": K.extract_patches_3d(keras.ops.expand_dims(x, -1), 2),
    }


def _model():
    i = keras.Input((8, 10, 3))
    return keras.Model(i, _image_ops(i))


def test_functional_model_of_image_ops_computes_as_eager():
    i = keras.Input((8, 10, 3))
    assert tuple(K.ssim(i, i, filter_size=3).shape) == (None,)
    assert tuple(K.crop_images(i, 1, 2, 1, 2).shape) == (None, 6, 6, 3)
    assert tuple(K.sobel_edges(i).shape) == (None, 8, 10, 3, 2)
    model = _model()
    x = np.random.default_rng(0).random((2, 8, 10, 3)).astype("float32")
    got = model.predict(x, verbose=0)
    want = _image_ops(x)
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, atol=1e-5, err_msg=key)
    assert got["ssim"].shape == (2,) and got["p3"].shape == (2, 4, 5, 1, 8) and got["pad"].shape == (2, 12, 13, 3)


def test_image_operations_in_configs_and_round_trip():
    model = _model()
    config = json.loads(model.to_json())
    entries = {e["class_name"]: e for e in config["config"]["layers"]}
    assert entries["RGBToGrayscale"]["module"] == "keras.src.ops.image"
    assert entries["HSVToRGB"]["module"] == "keras.src.ops.image"
    assert entries["SSIM"]["config"]["filter_size"] == 3
    # extract_patches_3d is recorded as Keras records it: ExtractPatches with a 3-D size.
    assert entries["ExtractPatches"]["config"]["size"] == [2, 2, 2]
    assert entries["ScaleAndTranslate"]["config"]["spatial_dims"] == [1, 2]
    assert entries["ScaleAndTranslate"]["config"]["method"] == "linear"
    again = keras.models.model_from_json(model.to_json())
    x = np.random.default_rng(1).random((3, 8, 10, 3)).astype("float32")
    got, want = again.predict(x, verbose=0), model.predict(x, verbose=0)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], atol=1e-6, err_msg=key)


def test_model_saved_by_keras_3_loads_and_computes_like_keras():
    # image_operations.keras: a Keras 3.15 (TensorFlow backend) functional model of rgb_to_grayscale,
    # crop_images, ssim, resize, gaussian_blur, extract_patches_3d, pad_images, rgb_to_hsv, sobel_edges and
    # elastic_transform; the npz holds its input and the outputs Keras computed (all but the random one).
    data = np.load(os.path.join(DATA, "image_operations.npz"))
    model = keras.models.load_model(os.path.join(DATA, "image_operations.keras"))
    got = model.predict(data["x"], verbose=0)
    for k in range(9):
        np.testing.assert_allclose(got[k], data[f"y{k}"], atol=2e-6, err_msg=str(k))
    assert np.asarray(got[9]).shape == data["x"].shape


def test_resize_to_aspect_ratio_recorded():
    # Recorded from Keras 3 (TensorFlow backend): a 5x6 image centre-cropped or padded (with the same margin on
    # both sides) to the target's aspect ratio, then resized.
    x = (np.arange(30, dtype="float32").reshape(5, 6, 1) % 7) / 6.0
    cases = [
        (
            dict(size=(2, 4), crop_to_aspect_ratio=True),
            [[0.78125, 0.15625, 0.333333, 0.583333], [0.75, 0.78125, 0.083333, 0.333333]],
        ),
        (
            dict(size=(4, 2), crop_to_aspect_ratio=True),
            [[0.3125, 0.479167], [0.104167, 0.270833], [0.625, 0.0625], [0.854167, 0.875]],
        ),
        (
            dict(size=(2, 4), pad_to_aspect_ratio=True, fill_value=-1.0),
            [[-1.0, 0.083333, 0.5, -1.0], [-1.0, 0.833333, 0.15625, -1.0]],
        ),
        (
            dict(size=(4, 2), pad_to_aspect_ratio=True, fill_value=0.5),
            [[0.5, 0.5], [0.0625, 0.5625], [0.770833, 0.104167], [0.5, 0.5]],
        ),
        (
            dict(size=(3, 3), pad_to_aspect_ratio=True, fill_value=-1.0, interpolation="nearest"),
            [[0.166667, 0.5, 0.833333], [1.0, 0.166667, 0.5], [0.666667, 1.0, 0.166667]],
        ),
    ]
    for kwargs, expected in cases:
        np.testing.assert_allclose(K.resize(x, **kwargs)[..., 0], expected, atol=2e-6, err_msg=str(kwargs))
    batch = np.stack([x, x * 2]).transpose(0, 3, 1, 2)
    out = K.resize(batch, (4, 2), crop_to_aspect_ratio=True, data_format="channels_first")
    assert tuple(out.shape) == (2, 1, 4, 2)
    np.testing.assert_allclose(out[1, 0], 2 * np.asarray(cases[1][1]), atol=4e-6)


def test_resize_argument_errors():
    x = np.zeros((5, 6, 1), "float32")
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio`"):
        K.resize(x, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Only `'constant'` is supported"):
        K.resize(x, (2, 2), fill_mode="reflect")
