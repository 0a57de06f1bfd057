"""``keras.utils.array_to_img`` / ``img_to_array``: modes, scaling and errors as Keras 3 (checked against
Keras 3 with PIL); values compared with NumPy."""

import numpy as np
import pytest

import ferroflow as tf

PIL = pytest.importorskip("PIL")  # an optional dependency, as in Keras


def test_modes_and_round_trip():
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, size=(5, 4, 1)).astype("float32")
    img = tf.keras.utils.array_to_img(tf.constant(gray), scale=False)
    assert img.mode == "L" and img.size == (4, 5)
    np.testing.assert_array_equal(tf.keras.utils.img_to_array(img), gray)
    assert tf.keras.utils.array_to_img(rng.random((2, 3, 3))).mode == "RGB"
    assert tf.keras.utils.array_to_img(rng.random((2, 3, 4))).mode == "RGBA"
    assert tf.keras.utils.array_to_img(np.full((2, 2, 1), 300.0), scale=False).mode == "I"
    first = tf.keras.utils.img_to_array(img, data_format="channels_first")
    assert first.shape == (1, 5, 4) and first.dtype == np.float32


def test_scale_maps_min_and_max_to_0_and_255():
    x = np.array([[[2.0], [4.0]], [[3.0], [6.0]]])
    out = tf.keras.utils.img_to_array(tf.keras.utils.array_to_img(x))
    np.testing.assert_array_equal(out[..., 0], np.floor((x[..., 0] - 2.0) / 4.0 * 255))


def test_errors():
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        tf.keras.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        tf.keras.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="data_format"):
        tf.keras.utils.array_to_img(np.zeros((2, 2, 1)), data_format="nhwc")
