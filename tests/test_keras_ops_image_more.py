"""keras.ops.image: colour conversions, crop/pad, Sobel edges, Gaussian blur, SSIM, 3-D patches, map_coordinates,
perspective and elastic transforms and scale_and_translate, against NumPy and recorded Keras 3 values."""

import colorsys

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras

K = keras.ops.image
RNG = np.random.default_rng(0)
IM = RNG.random((2, 7, 9, 3)).astype("float32")
IM1 = RNG.random((6, 5, 3)).astype("float32")
SMALL = (np.arange(20, dtype="float32").reshape(4, 5, 1) % 7) / 6.0


def _cf(x):
    return np.moveaxis(x, -1, -3)


def _fd_check(f, x, eps=1e-2, tol=2e-2, samples=6):
    """The tape gradient of sum(f(x) * w) against central differences at a few entries of x (float64)."""
    x = np.asarray(x, "float64")
    w = np.random.default_rng(1).random(np.asarray(f(tf.constant(x))).shape)
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(f(v) * w)
    grad = np.asarray(tape.gradient(y, v))
    for idx in np.random.default_rng(2).choice(x.size, samples, replace=False):
        d = np.zeros(x.size)
        d[idx] = eps
        d = d.reshape(x.shape)
        num = (np.sum(np.asarray(f(tf.constant(x + d))) * w) - np.sum(np.asarray(f(tf.constant(x - d))) * w)) / (
            2 * eps
        )
        assert abs(num - grad.flat[idx]) < tol * max(1.0, abs(num)), (idx, num, grad.flat[idx])


# -- colour ------------------------------------------------------------------------------------------------


def test_rgb_to_grayscale_float_layouts_and_dtypes():
    ref = np.tensordot(IM, np.array([0.2989, 0.5870, 0.1140], "float32"), axes=(-1, 0))[..., None]
    np.testing.assert_allclose(K.rgb_to_grayscale(IM), ref, atol=1e-6)
    out = K.rgb_to_grayscale(_cf(IM), data_format="channels_first")
    assert tuple(out.shape) == (2, 1, 7, 9)
    np.testing.assert_allclose(out, _cf(ref), atol=1e-6)
    out64 = K.rgb_to_grayscale(IM1.astype("float64"))
    assert out64.dtype == tf.float64 and tuple(out64.shape) == (6, 5, 1)
    np.testing.assert_allclose(out64[..., 0], IM1.astype("float64") @ [0.2989, 0.5870, 0.1140], atol=1e-6)


def test_rgb_to_grayscale_integers_are_weighted_unscaled_and_truncated():
    # Recorded from Keras 3 (TensorFlow backend).
    out = K.rgb_to_grayscale(np.array([[[10, 200, 30], [255, 255, 255]]], "uint8"))
    assert out.dtype == tf.uint8
    np.testing.assert_array_equal(out, [[[123], [254]]])


def test_rgb_to_grayscale_single_channel_passes_and_errors():
    np.testing.assert_array_equal(K.rgb_to_grayscale(IM1[..., :1]), IM1[..., :1])
    with pytest.raises(ValueError, match="Invalid channel size"):
        K.rgb_to_grayscale(IM1[..., :2])
    with pytest.raises(ValueError, match="Invalid images rank"):
        K.rgb_to_grayscale(IM1[0])


def _hsv_ref(x, fn):
    flat = x.reshape(-1, 3).astype("float64")
    return np.array([fn(*p) for p in flat]).reshape(x.shape)


def test_rgb_to_hsv_and_back_against_colorsys():
    hsv = K.rgb_to_hsv(IM)
    np.testing.assert_allclose(hsv, _hsv_ref(IM, colorsys.rgb_to_hsv), atol=1e-5)
    np.testing.assert_allclose(K.hsv_to_rgb(IM), _hsv_ref(IM, colorsys.hsv_to_rgb), atol=1e-5)
    np.testing.assert_allclose(K.hsv_to_rgb(hsv), IM, atol=1e-5)
    cf = K.rgb_to_hsv(_cf(IM1), data_format="channels_first")
    assert tuple(cf.shape) == (3, 6, 5)
    np.testing.assert_allclose(cf, _cf(_hsv_ref(IM1, colorsys.rgb_to_hsv)), atol=1e-5)
    np.testing.assert_allclose(
        K.hsv_to_rgb(_cf(IM), data_format="channels_first"), _cf(_hsv_ref(IM, colorsys.hsv_to_rgb)), atol=1e-5
    )


def test_hsv_conversions_reject_integer_images_and_bad_rank():
    for fn in (K.rgb_to_hsv, K.hsv_to_rgb):
        with pytest.raises(ValueError, match="expected float dtype"):
            fn(np.zeros((4, 4, 3), "uint8"))
        with pytest.raises(ValueError, match="Invalid images rank"):
            fn(np.zeros((4, 3), "float32"))


# -- crop and pad ------------------------------------------------------------------------------------------


def test_pad_images_each_way_of_giving_the_sizes():
    out = K.pad_images(IM1, 2, 3, target_height=10, target_width=9)
    np.testing.assert_array_equal(out, np.pad(IM1, [[2, 2], [3, 1], [0, 0]]))
    out = K.pad_images(IM, top_padding=1, bottom_padding=2, left_padding=0, right_padding=4)
    np.testing.assert_array_equal(out, np.pad(IM, [[0, 0], [1, 2], [0, 4], [0, 0]]))
    out = K.pad_images(_cf(IM), None, 1, 2, None, 10, 12, data_format="channels_first")
    np.testing.assert_array_equal(out, np.pad(_cf(IM), [[0, 0], [0, 0], [1, 2], [1, 2]]))
    assert K.pad_images(np.ones((3, 3, 1), "int32"), 1, 1, 1, 1).dtype == tf.int32


def test_pad_images_errors():
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        K.pad_images(IM1, 1, 1, bottom_padding=1, target_height=9, right_padding=1)
    with pytest.raises(ValueError, match="exactly two of left_padding"):
        K.pad_images(IM1, 1, None, 1)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        K.pad_images(IM1, None, 1, 1, 1, target_height=3)
    with pytest.raises(ValueError, match="left_padding must be >= 0"):
        K.pad_images(IM1, 0, -1, 0, 0)
    with pytest.raises(ValueError, match="Invalid images rank"):
        K.pad_images(IM1[0], 1, 1, 1, 1)


def test_crop_images_each_way_of_giving_the_sizes():
    np.testing.assert_array_equal(K.crop_images(IM1, 1, 2, target_height=3, target_width=2), IM1[1:4, 2:4])
    out = K.crop_images(IM, top_cropping=1, bottom_cropping=2, left_cropping=3, right_cropping=1)
    np.testing.assert_array_equal(out, IM[:, 1:5, 3:8])
    out = K.crop_images(_cf(IM), None, None, 1, 2, 5, 6, data_format="channels_first")
    np.testing.assert_array_equal(out, _cf(IM)[:, :, 1:6, 1:7])
    # Positional arguments are (top, left, bottom, right): as in Keras 3, two rows and columns go.
    images = np.reshape(np.arange(1, 28, dtype="float32"), [3, 3, 3])
    np.testing.assert_array_equal(K.crop_images(images, 0, 0, 2, 2)[..., 0], [[1.0]])


def test_crop_images_errors():
    with pytest.raises(ValueError, match="exactly two of top_cropping"):
        K.crop_images(IM1, 1, 1, 1, None, 3, 2)
    with pytest.raises(ValueError, match="top_cropping must be >= 0"):
        K.crop_images(IM1, None, 0, 1, None, 7, 2)
    with pytest.raises(ValueError, match="target_width must be >= 0"):
        K.crop_images(IM1, 0, 3, 0, 3)
    with pytest.raises(ValueError, match="does not fit"):
        K.crop_images(IM1, 4, 0, target_height=3, target_width=2)


# -- Sobel and blur ----------------------------------------------------------------------------------------


def _sobel_ref(x):
    p = np.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], "float64")
    h, w = x.shape[1:3]
    out = []
    for k in (ky, ky.T):
        out.append(sum(k[i, j] * p[:, i : i + h, j : j + w] for i in range(3) for j in range(3)))
    return np.stack(out, -1)


def test_sobel_edges_both_layouts():
    np.testing.assert_allclose(K.sobel_edges(IM), _sobel_ref(IM), atol=1e-5)
    out = K.sobel_edges(_cf(IM), data_format="channels_first")
    assert tuple(out.shape) == (2, 3, 7, 9, 2)
    np.testing.assert_allclose(out, np.transpose(_sobel_ref(IM), (0, 3, 1, 2, 4)), atol=1e-5)


def _gauss(n, s):
    x = np.arange(n) - (n - 1) / 2
    g = np.exp(-0.5 * (x / s) ** 2)
    return g / g.sum()


def _blur_ref(x, kernel_size, sigma):
    kh, kw = kernel_size
    kernel = np.outer(_gauss(kw, sigma[1]), _gauss(kh, sigma[0])).reshape(kh, kw)  # Keras's layout
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    p = np.pad(x, [[0, 0], [ph, kh - 1 - ph], [pw, kw - 1 - pw], [0, 0]])
    h, w = x.shape[1:3]
    return sum(kernel[i, j] * p[:, i : i + h, j : j + w] for i in range(kh) for j in range(kw))


def test_gaussian_blur_against_numpy():
    np.testing.assert_allclose(K.gaussian_blur(IM), _blur_ref(IM, (3, 3), (1.0, 1.0)), atol=1e-5)
    out = K.gaussian_blur(IM1.astype("float64"), kernel_size=(5, 5), sigma=(1.3, 0.6))
    assert out.dtype == tf.float64 and tuple(out.shape) == IM1.shape
    np.testing.assert_allclose(out, _blur_ref(IM1[None], (5, 5), (1.3, 0.6))[0], atol=1e-10)
    out = K.gaussian_blur(_cf(IM), kernel_size=(3, 5), sigma=(2.0, 0.5), data_format="channels_first")
    np.testing.assert_allclose(out, _cf(_blur_ref(IM, (3, 5), (2.0, 0.5))), atol=1e-5)


def test_gaussian_blur_non_square_kernel_recorded():
    # Recorded from Keras 3 (TensorFlow backend): the non-square kernel's layout is Keras's own.
    expected = [
        [0.135467, 0.171714, 0.294072, 0.265994, 0.154502],
        [0.308746, 0.415944, 0.468322, 0.353334, 0.269915],
        [0.299836, 0.43066, 0.525767, 0.429637, 0.27045],
        [0.217258, 0.33754, 0.348935, 0.31491, 0.274705],
    ]
    out = K.gaussian_blur(SMALL, kernel_size=(3, 5), sigma=(1.0, 2.0))
    np.testing.assert_allclose(out[..., 0], expected, atol=2e-6)


def test_gaussian_blur_errors_and_gradient():
    with pytest.raises(ValueError, match="Invalid images rank"):
        K.gaussian_blur(IM1[0])
    _fd_check(lambda x: K.gaussian_blur(x, kernel_size=(3, 5), sigma=(1.0, 0.7)), IM1[None], tol=1e-6)


# -- SSIM --------------------------------------------------------------------------------------------------


def _ssim_ref(a, b, max_val=1.0, size=11, sigma=1.5, k1=0.01, k2=0.03):
    g = _gauss(size, sigma)
    kernel = np.outer(g, g)

    def blur(x):  # valid
        h, w = x.shape[1] - size + 1, x.shape[2] - size + 1
        return sum(kernel[i, j] * x[:, i : i + h, j : j + w] for i in range(size) for j in range(size))

    a, b = a.astype("float64"), b.astype("float64")
    mu1, mu2 = blur(a), blur(b)
    s1, s2, s12 = blur(a * a) - mu1**2, blur(b * b) - mu2**2, blur(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    m = (2 * mu1 * mu2 + c1) * (2 * s12 + c2) / ((mu1**2 + mu2**2 + c1) * (s1 + s2 + c2))
    return m.mean(axis=(1, 2, 3))


def test_ssim_against_numpy():
    a = RNG.random((2, 16, 14, 3)).astype("float32")
    b = np.clip(a + 0.1 * RNG.standard_normal(a.shape), 0, 1).astype("float32")
    out = K.ssim(a, b)
    assert out.dtype == tf.float32 and tuple(out.shape) == (2,)
    np.testing.assert_allclose(out, _ssim_ref(a, b), atol=1e-5)
    single = K.ssim(a[0], b[0], filter_size=5, filter_sigma=1.0)
    assert tuple(single.shape) == ()
    np.testing.assert_allclose(single, _ssim_ref(a[:1], b[:1], size=5, sigma=1.0)[0], atol=1e-5)
    cf = K.ssim(_cf(a), _cf(b), max_val=2.0, k1=0.02, k2=0.05, data_format="channels_first")
    np.testing.assert_allclose(cf, _ssim_ref(a, b, 2.0, k1=0.02, k2=0.05), atol=1e-5)
    np.testing.assert_allclose(K.ssim(a, a), [1.0, 1.0], atol=1e-5)


def test_ssim_recorded_and_errors():
    a = (np.arange(64, dtype="float32").reshape(8, 8, 1) % 5) / 4.0
    b = (np.arange(64, dtype="float32").reshape(8, 8, 1) % 3) / 2.0
    # Recorded from Keras 3 (TensorFlow backend).
    np.testing.assert_allclose(K.ssim(a, b, filter_size=3), 0.027596, atol=2e-6)
    np.testing.assert_allclose(K.ssim(a, b, max_val=2.0, filter_size=5, filter_sigma=0.8), 0.056919, atol=2e-6)
    with pytest.raises(ValueError, match="Invalid image1 rank"):
        K.ssim(a[0], b)
    with pytest.raises(ValueError, match="Invalid image2 rank"):
        K.ssim(a, b[0])
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        K.ssim(a, b)  # an 11-pixel window does not fit in 8 pixels


def test_ssim_gradient():
    a = RNG.random((1, 7, 6, 2))
    b = RNG.random((1, 7, 6, 2))
    _fd_check(lambda x: K.ssim(x, tf.constant(b), filter_size=3), a, eps=1e-4, tol=1e-4)


# -- 3-D patches -------------------------------------------------------------------------------------------


def _patches3_ref(v, size, strides):
    d, h, w = size
    sd, sh, sw = strides
    n, D, H, W, c = v.shape
    od, oh, ow = (D - d) // sd + 1, (H - h) // sh + 1, (W - w) // sw + 1
    out = np.zeros((n, od, oh, ow, d * h * w * c), v.dtype)
    for i in range(od):
        for j in range(oh):
            for k in range(ow):
                block = v[:, i * sd : i * sd + d, j * sh : j * sh + h, k * sw : k * sw + w]
                out[:, i, j, k] = block.reshape(n, -1)
    return out


VOL = RNG.random((2, 6, 7, 8, 2)).astype("float32")


def test_extract_patches_3d_against_numpy():
    out = K.extract_patches_3d(VOL, (2, 3, 2))
    assert tuple(out.shape) == (2, 3, 2, 4, 24)
    np.testing.assert_allclose(out, _patches3_ref(VOL, (2, 3, 2), (2, 3, 2)), atol=1e-6)
    np.testing.assert_allclose(K.extract_patches(VOL, (2, 2, 2)), _patches3_ref(VOL, (2,) * 3, (2,) * 3), atol=1e-6)
    out = K.extract_patches_3d(VOL[0], 2, strides=(1, 2, 3))
    np.testing.assert_allclose(out, _patches3_ref(VOL, (2,) * 3, (1, 2, 3))[0], atol=1e-6)
    out = K.extract_patches_3d(np.moveaxis(VOL, -1, 1), (3, 2, 2), strides=1, data_format="channels_first")
    np.testing.assert_allclose(out, np.moveaxis(_patches3_ref(VOL, (3, 2, 2), (1, 1, 1)), -1, 1), atol=1e-6)


def test_extract_patches_3d_same_padding_and_dilation_shapes():
    # Shapes as Keras 3 gives them.
    assert tuple(K.extract_patches_3d(VOL[0], 2, strides=(1, 2, 3), padding="same").shape) == (6, 4, 3, 16)
    out = K.extract_patches_3d(VOL, (2, 2, 2), strides=1, dilation_rate=2)
    assert tuple(out.shape) == (2, 4, 5, 6, 16)
    np.testing.assert_allclose(out[0, 1, 2, 3], VOL[0, 1:4:2, 2:5:2, 3:6:2].reshape(-1), atol=1e-6)
    with pytest.raises(TypeError, match="Invalid `size` argument"):
        K.extract_patches_3d(VOL, (2, 2))
