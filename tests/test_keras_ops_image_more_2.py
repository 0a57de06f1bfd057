"""keras.ops.image resampling: map_coordinates, perspective_transform, scale_and_translate and
elastic_transform, against NumPy and recorded Keras 3 values, eagerly, in tf.function and under a tape."""

import itertools

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras

K = keras.ops.image
RNG = np.random.default_rng(0)
SMALL = (np.arange(20, dtype="float32").reshape(4, 5, 1) % 7) / 6.0


def _fix(i, n, mode):
    if mode in ("constant", "nearest") or n == 1:
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    mirror = lambda j, m: np.abs(np.mod(j + m - 1, 2 * (m - 1)) - (m - 1))  # noqa: E731
    if mode == "mirror":
        return mirror(i, n)
    return (mirror(2 * i + 1, 2 * n + 1) - 1) // 2


def _map_ref(x, coords, order, mode="constant", cval=0.0):
    """The documented map_coordinates (nearest or linear nodes per axis, each mapped by ``mode``)."""
    x = np.asarray(x, "float64")
    nodes = []
    for c in coords:
        if order == 0:
            nodes.append([(np.round(c).astype(int), 1.0)])
        else:
            lo = np.floor(c)
            nodes.append([(lo.astype(int), 1 - (c - lo)), (lo.astype(int) + 1, c - lo)])
    total = 0.0
    for combo in itertools.product(*nodes):
        idx = tuple(_fix(i, n, mode) for (i, _), n in zip(combo, x.shape))
        vals = x[idx]
        if mode == "constant":
            ok = np.all([(i >= 0) & (i < n) for (i, _), n in zip(combo, x.shape)], axis=0)
            vals = np.where(ok, vals, cval)
        total = total + np.prod([w for _, w in combo], axis=0) * vals
    return total


def test_map_coordinates_fill_modes_recorded():
    # Recorded from Keras 3: constant/nearest/wrap from the TensorFlow backend, mirror/reflect from the JAX
    # backend (the documented modes, ``c d c b | a b c d`` and ``d c b a | a b c d``).
    x = np.arange(4, dtype="float32")
    c = np.arange(-6, 10, dtype="float32")[None]
    expected = {
        "constant": ([-1] * 6 + [0, 1, 2, 3] + [-1] * 6, [-1] * 5 + [-0.75, 0.25, 1.25, 2.25, 2.0] + [-1] * 6),
        "nearest": ([0] * 7 + [1, 2] + [3] * 7, [0] * 6 + [0.25, 1.25, 2.25] + [3] * 7),
        "wrap": ([2, 3, 0, 1] * 4, [2.25, 2.25, 0.25, 1.25] * 4),
        "mirror": (
            [0, 1, 2, 3, 2, 1] * 2 + [0, 1, 2, 3],
            [0.25, 1.25, 2.25, 2.75, 1.75, 0.75] * 2 + [0.25, 1.25, 2.25, 2.75],
        ),
        "reflect": (
            [2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1],
            [2.25, 3, 2.75, 1.75, 0.75, 0, 0.25, 1.25, 2.25, 3, 2.75, 1.75, 0.75, 0, 0.25, 1.25],
        ),
    }
    for mode, (nearest, linear) in expected.items():
        np.testing.assert_allclose(K.map_coordinates(x, c, 0, fill_mode=mode, fill_value=-1), nearest)
        np.testing.assert_allclose(K.map_coordinates(x, c + 0.25, 1, fill_mode=mode, fill_value=-1), linear, atol=1e-6)


@pytest.mark.parametrize("mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates_2d_and_3d_against_numpy(mode, order):
    x = RNG.random((5, 6)).astype("float32")
    coords = np.stack([RNG.uniform(-7, 12, (4, 3)), RNG.uniform(-7, 13, (4, 3))]).astype("float32")
    out = K.map_coordinates(x, coords, order, fill_mode=mode, fill_value=-2.0)
    assert out.dtype == tf.float32 and tuple(out.shape) == (4, 3)
    np.testing.assert_allclose(out, _map_ref(x, coords, order, mode, -2.0), atol=1e-5)
    x3 = RNG.random((3, 4, 5)).astype("float32")
    c3 = np.stack([RNG.uniform(-2, 4, (6,)), RNG.uniform(-2, 5, (6,)), RNG.uniform(-2, 6, (6,))]).astype("float32")
    np.testing.assert_allclose(K.map_coordinates(x3, c3, order, mode), _map_ref(x3, c3, order, mode), atol=1e-5)


def test_map_coordinates_integer_inputs_round_and_errors():
    xi = (RNG.random((5, 6)) * 100).astype("int32")
    coords = np.stack([RNG.uniform(-1, 5, (7,)), RNG.uniform(-1, 6, (7,))]).astype("float32")
    out = K.map_coordinates(xi, coords, 1, fill_mode="nearest")
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out, np.round(_map_ref(xi, coords, 1, "nearest")))
    with pytest.raises(ValueError, match="First dim of `coordinates`"):
        K.map_coordinates(xi, coords[:1], 1)
    with pytest.raises(ValueError, match="Invalid value for argument `fill_mode`"):
        K.map_coordinates(xi, coords, 1, fill_mode="edge")
    with pytest.raises(NotImplementedError):
        K.map_coordinates(xi, coords, 3)


def test_map_coordinates_in_tf_function_and_gradient():
    x = RNG.random((5, 6))
    coords = tf.constant(np.stack([RNG.uniform(0, 4, (5,)), RNG.uniform(0, 5, (5,))]))
    fn = tf.function(lambda v: K.map_coordinates(v, coords, 1, fill_mode="reflect"))
    np.testing.assert_allclose(fn(tf.constant(x)), _map_ref(x, np.asarray(coords), 1, "reflect"), atol=1e-10)
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(K.map_coordinates(v, coords, 1))
    # d(sum of samples)/dx is each pixel's total interpolation weight.
    eye = np.eye(30).reshape(30, 5, 6)
    expected = np.array([_map_ref(e, np.asarray(coords), 1).sum() for e in eye]).reshape(5, 6)
    np.testing.assert_allclose(tape.gradient(y, v), expected, atol=1e-10)


# -- perspective -------------------------------------------------------------------------------------------

SP = np.array([[0, 0], [0, 4], [5, 0], [5, 4]], "float32")
EP = np.array([[0.5, 0.2], [0, 3.5], [4.6, 0.4], [5.2, 4.1]], "float32")


def test_perspective_transform_recorded():
    # Recorded from Keras 3 (TensorFlow backend).
    bilinear = [
        [0.0, 0.068028, 0.187975, 0.276471, 0.19478],
        [0.410316, 0.928973, 0.055476, 0.20907, 0.293896],
        [0.264212, 0.537029, 0.7536, 0.896229, 0.037509],
        [0.075054, 0.196884, 0.351556, 0.536479, 0.733329],
    ]
    nearest = [
        [-1.0, 0.166667, 0.333333, 0.5, -1.0],
        [0.833333, 1.0, 0.0, 0.166667, 0.333333],
        [0.5, 0.666667, 0.833333, 1.0, 0.0],
        [-1.0, 0.333333, 0.5, 0.666667, 0.833333],
    ]
    np.testing.assert_allclose(K.perspective_transform(SMALL, SP, EP)[..., 0], bilinear, atol=2e-5)
    out = K.perspective_transform(SMALL, SP, EP, interpolation="nearest", fill_value=-1)
    np.testing.assert_allclose(out[..., 0], nearest, atol=2e-6)


def test_perspective_transform_batches_layouts_and_shifts():
    im = RNG.random((2, 6, 7, 3)).astype("float32")
    same = K.perspective_transform(im, np.stack([SP, SP]), np.stack([SP, SP]))
    np.testing.assert_allclose(same, im, atol=1e-5)
    # end = start + (1, 2): the content moves one pixel right and two down.
    out = K.perspective_transform(im, SP, SP + np.array([1, 2], "float32"), interpolation="nearest")
    np.testing.assert_allclose(out[:, 2:, 1:], im[:, :-2, :-1], atol=1e-6)
    np.testing.assert_array_equal(out[:, :2], 0.0)
    cf = K.perspective_transform(np.moveaxis(im, -1, 1), SP, EP, data_format="channels_first")
    np.testing.assert_allclose(cf, np.moveaxis(np.asarray(K.perspective_transform(im, SP, EP)), -1, 1), atol=1e-6)
    with pytest.raises(ValueError, match="Invalid start_points shape"):
        K.perspective_transform(im, SP[:3], EP[:3])
    with pytest.raises(ValueError, match="must have the same shape"):
        K.perspective_transform(im, np.stack([SP, SP]), EP)
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        K.perspective_transform(im, SP, EP, interpolation="bicubic")


# -- scale_and_translate -----------------------------------------------------------------------------------


def test_scale_and_translate_docstring_and_recorded():
    images = np.arange(9, dtype="float32").reshape((3, 3))
    scale = np.array([2.0, 2.0], "float32")
    out = K.scale_and_translate(images, (5, 5), scale, -(scale / 2.0 - 0.5), (0, 1), "linear")
    np.testing.assert_allclose(out, np.arange(0, 6.5, 0.5)[None, :5] + 1.5 * np.arange(5)[:, None], atol=1e-6)
    # Recorded from Keras 3 (TensorFlow backend).
    cubic = [
        [0.141396, 0.274879, 0.269619, 0.257573, 0.390369, 0.575717, 0.666238],
        [0.706498, 0.868647, 0.604987, 0.344255, 0.513466, 0.285867, 0.142722],
        [0.259016, 0.374374, 0.532509, 0.693015, 0.813601, 0.642051, 0.531537],
    ]
    lanczos3 = [
        [-0.035254, 0.074847, 0.253751, 0.395751, 0.512688, 0.641706, 0.694709],
        [0.907782, 1.094883, 0.641842, 0.225129, 0.421838, 0.207433, 0.017066],
        [0.204354, 0.314791, 0.48537, 0.643233, 0.759753, 0.718457, 0.666285],
    ]
    s, t = np.array([0.7, 1.4], "float32"), np.array([0.2, -0.3], "float32")
    np.testing.assert_allclose(K.scale_and_translate(SMALL[..., 0], (3, 7), s, t, (0, 1), "cubic"), cubic, atol=2e-6)
    out = K.scale_and_translate(SMALL[..., 0], (3, 7), s, t, (0, 1), "lanczos3", antialias=False)
    np.testing.assert_allclose(out, lanczos3, atol=2e-6)


def _weights_ref(n_in, n_out, scale, shift, kernel, antialias):
    inv = 1.0 / scale
    ks = max(inv, 1.0) if antialias else 1.0
    sample = (np.arange(n_out) + 0.5) * inv - shift * inv - 0.5
    w = kernel(np.abs(sample[None] - np.arange(n_in)[:, None]) / ks)
    tot = w.sum(0, keepdims=True)
    w = np.where(np.abs(tot) > 1000 * np.finfo(np.float32).eps, w / np.where(tot != 0, tot, 1), 0)
    return np.where(((sample >= -0.5) & (sample <= n_in - 0.5))[None], w, 0)


def test_scale_and_translate_linear_batch_against_numpy():
    im = RNG.random((2, 7, 9, 3)).astype("float32")
    tri = lambda x: np.maximum(0, 1 - np.abs(x))  # noqa: E731
    for antialias in (True, False):
        out = K.scale_and_translate(im, (2, 4, 3, 3), [0.5, 0.4], [0.3, -0.2], (1, 2), "bilinear", antialias)
        wh = _weights_ref(7, 4, 0.5, 0.3, tri, antialias)
        ww = _weights_ref(9, 3, 0.4, -0.2, tri, antialias)
        np.testing.assert_allclose(out, np.einsum("bhwc,hi,wj->bijc", im, wh, ww), atol=1e-5)
    out = K.scale_and_translate(im, (2, 7, 12, 3), [1.6], [-0.4], (-2,), "trilinear")
    np.testing.assert_allclose(
        out, np.einsum("bhwc,wj->bhjc", im, _weights_ref(9, 12, 1.6, -0.4, tri, True)), atol=1e-5
    )


def test_scale_and_translate_integers_errors_and_gradient():
    img = (RNG.random((4, 5)) * 255).astype("uint8")
    out = K.scale_and_translate(img, (3, 8), [0.6, 1.5], [0.0, 0.0], (0, 1), "cubic")
    assert out.dtype == tf.uint8 and tuple(out.shape) == (3, 8)
    flt = np.asarray(K.scale_and_translate(img.astype("float32"), (3, 8), [0.6, 1.5], [0.0, 0.0], (0, 1), "cubic"))
    np.testing.assert_array_equal(out, np.clip(np.round(flt), img.min(), img.max()))
    with pytest.raises(ValueError, match="Invalid value for argument `method`"):
        K.scale_and_translate(img, (3, 8), [1.0, 1.0], [0.0, 0.0], (0, 1), "area")
    x = tf.Variable(RNG.random((4, 5)))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(K.scale_and_translate(x, (6, 3), [1.5, 0.6], [0.1, 0.0], (0, 1), "linear") ** 2)
    w = _weights_ref(4, 6, 1.5, 0.1, lambda v: np.maximum(0, 1 - np.abs(v)), True)
    v = _weights_ref(5, 3, 0.6, 0.0, lambda v: np.maximum(0, 1 - np.abs(v)), True)
    expected = 2 * w @ (w.T @ np.asarray(x) @ v) @ v.T
    np.testing.assert_allclose(tape.gradient(y, x), expected, atol=1e-6)  # float32 weights


# -- elastic -----------------------------------------------------------------------------------------------


def _elastic_ref(im, alpha, sigma, order, mode, seed):
    """Keras's algorithm, NumPy: one smoothed normal field (keras.random.normal with ``seed``) moves both axes."""
    b, h, w, c = im.shape
    noise = np.asarray(keras.random.normal((b, h, w), seed=seed)).astype("float64") * sigma
    size = 6 * int(sigma) | 1
    g = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    kernel = np.outer(g / g.sum(), g / g.sum())
    p = np.pad(noise, [[0, 0], [size // 2] * 2, [size // 2] * 2])
    field = alpha * sum(kernel[i, j] * p[:, i : i + h, j : j + w] for i in range(size) for j in range(size))
    out = np.zeros(im.shape)
    for n in range(b):
        rows, cols = np.arange(h)[:, None] + field[n], np.arange(w)[None] + field[n]
        for ch in range(c):
            out[n, ..., ch] = _map_ref(im[n, ..., ch], np.stack([rows, cols]), order, mode)
    return out


@pytest.mark.parametrize(
    "alpha,sigma,interpolation,mode", [(2.0, 1.0, "bilinear", "constant"), (3.0, 2.0, "nearest", "reflect")]
)
def test_elastic_transform_against_numpy(alpha, sigma, interpolation, mode):
    im = RNG.random((2, 12, 10, 3)).astype("float32")
    out = K.elastic_transform(im, alpha=alpha, sigma=sigma, interpolation=interpolation, fill_mode=mode, seed=3)
    assert out.dtype == tf.float32 and tuple(out.shape) == im.shape
    order = 0 if interpolation == "nearest" else 1
    np.testing.assert_allclose(out, _elastic_ref(im, alpha, sigma, order, mode, 3), atol=1e-4)


def test_elastic_transform_layouts_seeds_and_errors():
    im = RNG.random((2, 9, 8, 2)).astype("float32")
    out = K.elastic_transform(im, alpha=2.0, sigma=1.5, fill_mode="wrap", seed=11)
    cf = K.elastic_transform(
        np.moveaxis(im, -1, 1), alpha=2.0, sigma=1.5, fill_mode="wrap", seed=11, data_format="channels_first"
    )
    np.testing.assert_allclose(cf, np.moveaxis(np.asarray(out), -1, 1), atol=1e-6)
    single = K.elastic_transform(im[0], seed=5)
    assert tuple(single.shape) == (9, 8, 2)
    np.testing.assert_allclose(K.elastic_transform(im, alpha=0.0, seed=1), im, atol=1e-6)
    fn = tf.function(lambda x: K.elastic_transform(x, alpha=2.0, sigma=1.0, seed=4))
    np.testing.assert_allclose(fn(tf.constant(im)), K.elastic_transform(im, alpha=2.0, sigma=1.0, seed=4), atol=1e-6)
    with pytest.raises(ValueError, match="Invalid value for argument `fill_mode`"):
        K.elastic_transform(im, fill_mode="mirror")
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        K.elastic_transform(im, interpolation="bicubic")
    with pytest.raises(ValueError, match="Invalid images rank"):
        K.elastic_transform(im[0, 0])


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: K.perspective_transform(x, SP, EP),
        lambda x: K.elastic_transform(x, alpha=2.0, sigma=1.0, fill_mode="reflect", seed=2),
        lambda x: K.map_coordinates(x[0, ..., 0], [[0.3, 2.7, -1.2], [4.1, 0.5, 2.2]], 1, fill_mode="mirror"),
    ],
)
def test_resampling_gradients_match_finite_differences(fn):
    x = RNG.random((1, 4, 5, 2))
    w = RNG.random(np.asarray(fn(tf.constant(x))).shape)
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(fn(v) * w)
    grad = np.asarray(tape.gradient(y, v))
    eps = 1e-2
    for idx in RNG.choice(x.size, 8, replace=False):
        d = np.zeros(x.size)
        d[idx] = eps
        d = d.reshape(x.shape)
        up, down = np.sum(np.asarray(fn(tf.constant(x + d))) * w), np.sum(np.asarray(fn(tf.constant(x - d))) * w)
        np.testing.assert_allclose(grad.flat[idx], (up - down) / (2 * eps), atol=1e-3)
