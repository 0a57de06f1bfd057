"""tf.image.rgb_to_yuv/yuv_to_rgb/rgb_to_yiq/yiq_to_rgb and sobel_edges: TensorFlow 2.21's numbers, NumPy
references, finite-difference gradients, tf.function."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RGB_TO_YUV = np.array(
    [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]]
)
RGB_TO_YIQ = np.array(
    [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]
)


def test_color_spaces_match_tensorflow():
    x = np.array([[0.2, 0.5, 0.9], [0.0, 1.0, 0.3]], np.float32)
    # TensorFlow 2.21's outputs.
    yuv = [[0.45590001344680786, 0.21854647994041443, -0.22449670732021332],
           [0.6212000250816345, -0.158066064119339, -0.5449681878089905]]  # fmt: skip
    yiq = [[0.45590001344680786, -0.30730774998664856, 0.06101148948073387],
           [0.6212000250816345, -0.3709598481655121, -0.4293763339519501]]  # fmt: skip
    np.testing.assert_allclose(tf.image.rgb_to_yuv(x).numpy(), yuv, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tf.image.rgb_to_yiq(x).numpy(), yiq, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trips_and_batches(dtype):
    rng = np.random.default_rng(0)
    images = rng.random((8, 32, 32, 3)).astype(dtype)
    yuv = tf.image.rgb_to_yuv(images)
    assert yuv.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(yuv.numpy(), images @ RGB_TO_YUV, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        tf.image.yuv_to_rgb(yuv).numpy(), images, atol=2e-4
    )  # the matrices are inverses to about 1e-4
    yiq = tf.image.rgb_to_yiq(images)
    np.testing.assert_allclose(yiq.numpy(), images @ RGB_TO_YIQ, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        tf.image.yiq_to_rgb(yiq).numpy(), images, atol=2e-4
    )  # the matrices are inverses to about 1e-4
    fn = tf.function(lambda t: tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(t)))
    np.testing.assert_allclose(
        fn(tf.constant(images)).numpy(), images, atol=2e-4
    )  # the matrices are inverses to about 1e-4


def test_color_space_gradients():
    x = np.random.default_rng(1).random((2, 3, 4, 3))
    check_gradient(tf.image.rgb_to_yuv, x)
    check_gradient(tf.image.yiq_to_rgb, x)


def test_color_space_errors():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.rgb_to_yuv(np.zeros([2, 4], np.float32))
    with pytest.raises(TypeError):
        tf.image.rgb_to_yiq(np.zeros([2, 3], np.int32))


def sobel_reference(image):
    padded = np.pad(image, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect")
    dy = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    dx = dy.T
    h, w = image.shape[1:3]
    out = np.zeros(image.shape + (2,))
    for k, kernel in enumerate((dy, dx)):
        for i in range(3):
            for j in range(3):
                out[..., k] += kernel[i, j] * padded[:, i : i + h, j : j + w, :]
    return out


def test_sobel_matches_tensorflow_and_numpy():
    x = (np.arange(2 * 5 * 6 * 3, dtype=np.float32).reshape(2, 5, 6, 3) ** 1.5) / 10
    got = tf.image.sobel_edges(x)
    assert got.shape == (2, 5, 6, 3, 2)
    # TensorFlow 2.21: sobel_edges(x)[0, :2, :2, 0, :].
    np.testing.assert_allclose(
        got.numpy()[0, :2, :2, 0, :], [[[0.0, 0.0], [0.0, 11.180984]], [[90.87176, 0.0], [95.02117, 15.3304]]],
        rtol=1e-5, atol=1e-5,
    )  # fmt: skip
    images = np.random.default_rng(2).random((8, 28, 28, 16)).astype(np.float32)
    np.testing.assert_allclose(tf.image.sobel_edges(images).numpy(), sobel_reference(images), rtol=1e-5, atol=1e-5)
    fn = tf.function(tf.image.sobel_edges)
    np.testing.assert_allclose(fn(tf.constant(images)).numpy(), sobel_reference(images), rtol=1e-5, atol=1e-5)


def test_sobel_gradient():
    check_gradient(tf.image.sobel_edges, np.random.default_rng(3).random((2, 4, 5, 2)))


def test_sobel_errors():
    with pytest.raises(ValueError, match="4-D"):
        tf.image.sobel_edges(np.zeros([4, 4, 1], np.float32))
    with pytest.raises(TypeError, match="float"):
        tf.image.sobel_edges(np.zeros([1, 4, 4, 1], np.int32))
