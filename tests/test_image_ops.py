"""tf.image: resize, crops, pads, flips and rotations against NumPy references of TensorFlow's kernels and
golden values from TensorFlow 2.21; eager and tf.function; gradients against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient, numeric_gradient

RNG = np.random.default_rng(1234)


def images(*shape, dtype=np.float32, scale=1.0):
    return (RNG.random(shape) * scale).astype(dtype)


def ref_bilinear(x, out_h, out_w):
    """TensorFlow's ResizeBilinear with half-pixel centres, written as its kernel computes it (float32)."""

    def axis(n_in, n_out):
        pos = (np.arange(n_out, dtype=np.float32) + 0.5) * np.float32(n_in / n_out) - 0.5
        pos = pos.astype(np.float32)
        low = np.floor(pos)
        return np.maximum(low, 0).astype(int), np.minimum(np.ceil(pos), n_in - 1).astype(int), pos - low

    x = x.astype(np.float32)
    y0, y1, ly = axis(x.shape[1], out_h)
    x0, x1, lx = axis(x.shape[2], out_w)
    lx = lx[None, None, :, None]
    top = x[:, y0][:, :, x0] + (x[:, y0][:, :, x1] - x[:, y0][:, :, x0]) * lx
    bottom = x[:, y1][:, :, x0] + (x[:, y1][:, :, x1] - x[:, y1][:, :, x0]) * lx
    return top + (bottom - top) * ly[None, :, None, None]


def ref_nearest(x, out_h, out_w):
    def index(n_in, n_out):
        pos = (np.arange(n_out, dtype=np.float32) + 0.5) * np.float32(n_in / n_out)
        return np.minimum(np.floor(pos).astype(int), n_in - 1)

    return x[:, index(x.shape[1], out_h)][:, :, index(x.shape[2], out_w)]


# ----------------------------------------------------------------------------------------------- resize


@pytest.mark.parametrize(
    "shape,size",
    [
        ((4, 224, 224, 3), (128, 128)),
        ((2, 28, 28, 1), (56, 56)),
        ((3, 13, 17, 3), (5, 9)),
        ((1, 13, 17, 2), (26, 34)),
        ((2, 7, 5, 3), (7, 5)),
        ((1, 9, 4, 1), (1, 1)),
        ((2, 3, 8, 3), (11, 2)),
    ],
)
def test_resize_bilinear_matches_reference(shape, size):
    x = images(*shape, scale=255.0)
    got = tf.image.resize(x, size)
    assert got.dtype == tf.float32 and got.shape == (shape[0],) + size + (shape[3],)
    np.testing.assert_allclose(got.numpy(), ref_bilinear(x, *size), rtol=1e-5, atol=2e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_resize_3d_and_dtype_rules(dtype):
    x = images(6, 9, 3, scale=200.0).astype(dtype)
    bilinear = tf.image.resize(x, [4, 5])
    assert bilinear.dtype == tf.float32 and bilinear.shape == (4, 5, 3)
    np.testing.assert_allclose(bilinear.numpy(), ref_bilinear(x[None], 4, 5)[0], rtol=1e-5, atol=1e-4)
    nearest = tf.image.resize(x, [11, 4], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert nearest.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(nearest.numpy(), ref_nearest(x[None], 11, 4)[0])


@pytest.mark.parametrize("size", [(5, 9), (26, 34), (13, 17), (1, 1), (7, 40)])
def test_resize_nearest_matches_reference(size):
    x = images(3, 13, 17, 3)
    got = tf.image.resize(x, size, method="nearest")
    np.testing.assert_array_equal(got.numpy(), ref_nearest(x, *size))


# Golden values from TensorFlow 2.21 for x = arange(30) ** 1.5 as a 1x6x5x1 image.
GOLDEN = {
    ("bilinear", True, (3, 2)): [[12.1216, 18.743], [51.6249, 62.9033], [107.2617, 121.7367]],
    ("bicubic", False, (4, 7)): [
        [1.5899, 2.3394, 3.6782, 5.3017, 7.165, 9.5066, 11.2289],
        [25.6052, 28.1096, 31.7953, 35.2496, 38.8196, 42.93, 45.8379],
        [65.1331, 68.5049, 73.4209, 77.9514, 82.5712, 87.8169, 91.5022],
        [118.5054, 122.5983, 128.5416, 133.9786, 139.4905, 145.7098, 150.0651],
    ],
    ("lanczos3", True, (4, 3)): [
        [2.7089, 6.344, 11.3644],
        [26.3394, 34.26, 42.7963],
        [68.3298, 78.8787, 89.9265],
        [118.0198, 130.5684, 143.5352],
    ],
    ("area", False, (4, 3)): [
        [4.4623, 8.1499, 13.0026],
        [26.5735, 33.934, 41.8695],
        [71.0243, 81.1598, 91.7146],
        [116.073, 127.957, 140.2001],
    ],
    ("area", False, (9, 7)): [
        [0.0, 0.6, 1.3657, 2.8284, 4.7226, 6.3177, 8.0],
        [5.5902, 6.9451, 8.4136, 10.6743, 13.2643, 15.3471, 17.5],
        [11.1803, 13.2903, 15.4616, 18.5203, 21.806, 24.3764, 27.0],
        [31.6228, 34.5388, 37.5001, 41.5692, 45.8116, 49.0766, 52.3832],
        [44.8588, 48.0884, 51.3594, 55.831, 60.4621, 64.0123, 67.6012],
        [58.0947, 61.6379, 65.2185, 70.0928, 75.1126, 78.9481, 82.8191],
        [89.4428, 93.5176, 97.6251, 103.1892, 108.8812, 113.2127, 117.5756],
        [107.2214, 111.5311, 115.8719, 121.7426, 127.735, 132.2888, 136.8726],
        [125.0, 129.5447, 134.1188, 140.2961, 146.5889, 151.365, 156.1698],
    ],
    ("gaussian", True, (4, 2)): [[8.0891, 13.2692], [32.421, 41.069], [73.9246, 85.3958], [116.9815, 130.3574]],
    ("mitchellcubic", False, (3, 8)): [
        [4.6861, 5.5398, 7.0749, 8.7532, 10.6073, 12.617, 14.9543, 16.379],
        [44.4042, 46.5643, 50.2343, 53.7206, 57.2849, 60.9258, 64.9496, 67.36],
        [108.7682, 111.6632, 116.561, 121.1616, 125.8216, 130.5403, 135.7085, 138.7945],
    ],
    ("lanczos5", False, (4, 4)): [
        [1.2822, 3.7361, 5.8933, 10.2815],
        [25.9778, 33.2289, 37.5823, 45.5573],
        [63.5309, 72.8733, 78.3998, 88.3488],
        [120.1165, 131.4344, 138.0748, 149.9217],
    ],
    ("bicubic", True, (2, 3)): [[17.4561, 23.4858, 30.3884], [88.4641, 99.657, 111.2523]],
}


@pytest.mark.parametrize("method,antialias,size", list(GOLDEN))
def test_resize_kernels_match_tensorflow(method, antialias, size):
    x = np.arange(30, dtype=np.float32).reshape(1, 6, 5, 1) ** 1.5
    got = tf.image.resize(x, size, method=method, antialias=antialias).numpy()[0, :, :, 0]
    np.testing.assert_allclose(got, GOLDEN[(method, antialias, size)], rtol=1e-4, atol=1e-3)


def test_resize_antialias_upsampling_is_bilinear_inside():
    x = images(1, 8, 8, 1)
    got = tf.image.resize(x, [16, 16], antialias=True).numpy()
    # Away from the border the triangle kernel at scale 2 gives the bilinear weights.
    np.testing.assert_allclose(got[:, 2:-2, 2:-2], ref_bilinear(x, 16, 16)[:, 2:-2, 2:-2], rtol=1e-5, atol=1e-6)


def test_resize_preserve_aspect_ratio_and_with_pad():
    x = images(2, 13, 17, 3)
    assert tf.image.resize(x, [20, 20], preserve_aspect_ratio=True).shape == (2, 15, 20, 3)
    assert tf.image.resize(x, [7, 30], preserve_aspect_ratio=True).shape == (2, 7, 9, 3)
    padded = tf.image.resize_with_pad(x, 20, 11).numpy()
    assert padded.shape == (2, 20, 11, 3)
    # 13x17 -> 8x11 (ratio 17/11; 13/ratio = 8.4) at floor((20 - 8.4) / 2) = 5: rows 5..12, zeros around.
    np.testing.assert_allclose(padded[:, 5:13], ref_bilinear(x, 8, 11), rtol=1e-5, atol=1e-6)
    assert not padded[:, :5].any() and not padded[:, 13:].any()


def test_resize_errors():
    with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
        tf.image.resize(np.zeros((4, 4), np.float32), [2, 2])
    with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
        tf.image.resize(np.zeros((1, 1, 4, 4, 3), np.float32), [2, 2])
    with pytest.raises(ValueError, match="1-D Tensor of 2 elements"):
        tf.image.resize(np.zeros((4, 4, 3), np.float32), [2, 2, 2])
    with pytest.raises(ValueError, match="1-D int32"):
        tf.image.resize(np.zeros((4, 4, 3), np.float32), [2.0, 2])
    with pytest.raises(ValueError, match="Resize method is not implemented: foo"):
        tf.image.resize(np.zeros((4, 4, 3), np.float32), [2, 2], method="foo")
    with pytest.raises(tf.errors.InvalidArgumentError, match="positive"):
        tf.image.resize(np.zeros((4, 4, 3), np.float32), [0, 2])
    with pytest.raises(ValueError, match="known height"):
        tf.function(lambda v: tf.image.resize(v, [2, 2], preserve_aspect_ratio=True))(
            tf.TensorSpec([None, None, 3], tf.float32)
        )


def test_resize_images_whose_size_is_known_only_when_the_graph_runs():
    spec = tf.TensorSpec([None, None, 3], tf.uint8)
    seen = {}

    def fn(image):
        out = tf.image.resize(image, [6, 4], method="bicubic")
        seen["shape"] = out.shape.as_list()
        return out

    traced = tf.function(fn, input_signature=[spec])
    for shape in [(13, 17, 3), (5, 3, 3), (40, 9, 3)]:
        x = (images(*shape, scale=255.0)).astype(np.uint8)
        want = tf.image.resize(x.astype(np.float32), [6, 4], method="bicubic").numpy()
        np.testing.assert_allclose(traced(x).numpy(), want, rtol=1e-6, atol=1e-4)
    assert seen["shape"] == [6, 4, 3]
    # in a pipeline of images of different sizes, batched after the resize
    sizes = [(8, 8), (20, 14), (9, 31)]
    ds = tf.data.Dataset.from_generator(
        lambda: (np.full(s + (3,), i, np.uint8) for i, s in enumerate(sizes)), output_signature=spec
    )
    batch = next(iter(ds.map(lambda v: tf.image.resize(v, [5, 5], method="nearest")).batch(3)))
    assert batch.shape == (3, 5, 5, 3) and batch.dtype == tf.uint8
    np.testing.assert_array_equal(batch.numpy()[:, 0, 0, 0], [0, 1, 2])


def test_resize_in_function_with_unknown_batch():
    x = images(3, 10, 12, 2)
    spec = tf.TensorSpec([None, 10, 12, 2], tf.float32)
    bilinear = tf.function(lambda v: tf.image.resize(v, [4, 7]), input_signature=[spec])
    np.testing.assert_allclose(bilinear(x).numpy(), ref_bilinear(x, 4, 7), rtol=1e-5, atol=1e-6)
    nearest = tf.function(lambda v: tf.image.resize(v, [21, 5], method="nearest"), input_signature=[spec])
    np.testing.assert_array_equal(nearest(x).numpy(), ref_nearest(x, 21, 5))


def linear_gradient_check(fn, x, rtol=2e-3, atol=1e-4):
    """The tape's gradient of sum(fn(x) * w) against central differences with a wide step: for an op that is
    (piecewise) linear in x and computes in float32, a wide step is exact but for float32 rounding."""
    w = np.random.default_rng(5).standard_normal(np.shape(fn(tf.constant(x)).numpy()))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.reduce_sum(tf.cast(fn(xt), tf.float64) * w)
    got = tape.gradient(y, xt).numpy()
    want = numeric_gradient(lambda v: np.asarray(fn(tf.constant(v))) * w, x, eps=1e-2)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize(
    "size,method,antialias",
    [
        ((3, 7), "bilinear", False),
        ((2, 3), "bilinear", True),
        ((3, 3), "area", False),
        ((7, 6), "bicubic", False),
        ((2, 2), "lanczos3", True),
    ],
)
def test_resize_gradient(size, method, antialias):
    x = RNG.random((2, 5, 4, 2))
    linear_gradient_check(lambda v: tf.image.resize(v, size, method=method, antialias=antialias), x)


def test_resize_nearest_gradient_float64():
    x = RNG.random((1, 4, 5, 2))
    check_gradient(lambda v: tf.image.resize(v, [7, 3], method="nearest"), x)


def test_separable_product_gradient_float64():
    from ferroflow.ops.image_resize_ops import apply_separable

    mh, mw = RNG.random((3, 5)), RNG.random((9, 4))  # SSIM's window is such a pair of dense matrices
    check_gradient(lambda v: apply_separable(v, mh, mw), RNG.random((2, 5, 4, 3)))


# --------------------------------------------------------------------------------------- crops and pads


def test_crop_and_pad_to_bounding_box():
    x = images(2, 6, 7, 3)
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(x, 1, 2, 3, 4).numpy(), x[:, 1:4, 2:6])
    np.testing.assert_array_equal(tf.image.crop_to_bounding_box(x[0], 0, 0, 6, 7).numpy(), x[0])
    got = tf.image.pad_to_bounding_box(x, 2, 1, 9, 10).numpy()
    want = np.zeros((2, 9, 10, 3), np.float32)
    want[:, 2:8, 1:8] = x
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(tf.image.pad_to_bounding_box(x[1], 2, 1, 9, 10).numpy(), want[1])


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda x: tf.image.crop_to_bounding_box(x, -1, 0, 2, 2), "offset_height must be >= 0."),
        (lambda x: tf.image.crop_to_bounding_box(x, 1, 0, 4, 2), "height must be >= target \\+ offset."),
        (lambda x: tf.image.crop_to_bounding_box(x, 0, 1, 2, 4), "width must be >= target \\+ offset."),
        (lambda x: tf.image.crop_to_bounding_box(x, 1, 0, 0, 2), "target_height must be > 0."),
        (lambda x: tf.image.pad_to_bounding_box(x, 1, 0, 4, 4), "height must be <= target - offset"),
        (lambda x: tf.image.pad_to_bounding_box(x, 0, -1, 4, 4), "offset_width must be >= 0"),
        (lambda x: tf.image.resize_with_crop_or_pad(x, 0, 3), "target_height must be > 0."),
        (lambda x: tf.image.resize_with_pad(x, 3, 0), "target_width must be > 0."),
        (lambda x: tf.image.central_crop(x, 0.0), "central_fraction must be within \\(0, 1\\]"),
        (lambda x: tf.image.central_crop(x, 1.5), "central_fraction must be within \\(0, 1\\]"),
        (lambda x: tf.image.crop_to_bounding_box(x[0], 0, 0, 1, 1), "must have either 3 or 4 dimensions"),
        (lambda x: tf.image.central_crop(x[0], 0.5), "must be at least three-dimensional"),
    ],
)
def test_crop_and_pad_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call(np.zeros((4, 4, 3), np.float32))


@pytest.mark.parametrize("target", [(10, 22), (16, 6), (13, 17), (4, 4)])
def test_resize_with_crop_or_pad(target):
    x = images(3, 13, 17, 3)
    got = tf.image.resize_with_crop_or_pad(x, *target).numpy()

    def fit(a, axis, n):
        size = a.shape[axis]
        if n < size:
            start = (size - n) // 2
            return np.take(a, np.arange(start, start + n), axis=axis)
        pad = [(0, 0)] * a.ndim
        pad[axis] = ((n - size) // 2, n - size - (n - size) // 2)
        return np.pad(a, pad)

    np.testing.assert_array_equal(got, fit(fit(x, 1, target[0]), 2, target[1]))


@pytest.mark.parametrize("fraction,window", [(0.5, (3, 10, 4, 13)), (0.33, (4, 9, 5, 12)), (1.0, (0, 13, 0, 17))])
def test_central_crop(fraction, window):
    x = images(2, 13, 17, 3)
    top, bottom, left, right = window
    np.testing.assert_array_equal(tf.image.central_crop(x, fraction).numpy(), x[:, top:bottom, left:right])
    np.testing.assert_array_equal(tf.image.central_crop(x[1], fraction).numpy(), x[1, top:bottom, left:right])


def test_crop_and_pad_in_function_and_gradients():
    x = images(2, 6, 7, 3)
    spec = tf.TensorSpec([None, 6, 7, 3], tf.float32)
    padded = tf.function(lambda v: tf.image.resize_with_crop_or_pad(v, 8, 5), input_signature=[spec])(x)
    np.testing.assert_array_equal(padded.numpy(), tf.image.resize_with_crop_or_pad(x, 8, 5).numpy())
    check_gradient(
        lambda v: tf.image.pad_to_bounding_box(tf.image.crop_to_bounding_box(v, 1, 2, 3, 4), 1, 0, 5, 6),
        RNG.random((2, 6, 7, 2)),
    )


# ---------------------------------------------------------------------------------- flips and rotations


@pytest.mark.parametrize("batched", [False, True])
def test_flips_rotations_transpose(batched):
    x = images(2, 5, 7, 3)
    x = x if batched else x[0]
    h, w = (1, 2) if batched else (0, 1)
    np.testing.assert_array_equal(tf.image.flip_left_right(x).numpy(), np.flip(x, w))
    np.testing.assert_array_equal(tf.image.flip_up_down(x).numpy(), np.flip(x, h))
    np.testing.assert_array_equal(tf.image.transpose(x).numpy(), np.swapaxes(x, h, w))
    for k in range(-1, 6):
        np.testing.assert_array_equal(tf.image.rot90(x, k).numpy(), np.rot90(x, k, axes=(h, w)))


def test_flip_errors_and_gradient():
    for op in (tf.image.flip_left_right, tf.image.flip_up_down, tf.image.rot90, tf.image.transpose):
        with pytest.raises(ValueError, match="must be at least three-dimensional"):
            op(np.zeros((4, 4), np.float32))
        with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
            op(np.zeros((1, 1, 4, 4, 3), np.float32))
    check_gradient(lambda v: tf.image.rot90(tf.image.flip_up_down(v), 3), RNG.random((2, 3, 4, 2)))


def test_flips_in_function_with_unknown_batch():
    x = images(3, 4, 5, 2)
    spec = tf.TensorSpec([None, 4, 5, 2], tf.float32)
    got = tf.function(lambda v: tf.image.rot90(tf.image.flip_left_right(v), 1), input_signature=[spec])(x)
    np.testing.assert_array_equal(got.numpy(), np.rot90(np.flip(x, 2), 1, axes=(1, 2)))
