"""keras.ops's signal and math functions (FFTs on (real, imag) pairs, stft/istft, extract_sequences, the
complex views, segment_min/segment_prod, rearrange) against numpy.fft, NumPy and values recorded from Keras 3
(tests/data/make_keras3_ops_control.py)."""

import os

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import check_gradient

ops = keras.ops
RECORDED = os.path.join(os.path.dirname(__file__), "data", "keras3", "ops_stft.npz")
STFT_CASES = {
    "hann_center": ("sig", 4, 2, 8, "hann", True),
    "hamming_uncentered": ("sig", 5, 3, 8, "hamming", False),
    "hann_batch_f64": ("sig2", 6, 2, 6, "hann", True),
    "no_window_odd_fft": ("sig2", 4, 1, 7, None, True),
    "array_window": ("sig", 4, 2, 4, "ramp", False),
}


def _pair(z, dtype):
    return tf.constant(z.real.astype(dtype)), tf.constant(z.imag.astype(dtype))


def _random_complex(shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


@pytest.mark.parametrize("dtype,tol", [("float32", 1e-4), ("float64", 1e-10)])
@pytest.mark.parametrize("shape", [(1,), (8,), (3, 5), (2, 3, 4)])
def test_fft_family_matches_numpy(dtype, tol, shape):
    z = _random_complex(shape)
    real, imag = ops.fft(_pair(z, dtype))
    assert real.dtype == dtype and imag.dtype == dtype and real.shape == shape
    np.testing.assert_allclose(real.numpy() + 1j * imag.numpy(), np.fft.fft(z), atol=tol * 10, rtol=tol)
    if len(shape) >= 2:
        for fn, want in ((ops.fft2, np.fft.fft2), (ops.ifft2, np.fft.ifft2)):
            real, imag = fn(_pair(z, dtype))
            assert real.dtype == dtype and real.shape == shape
            np.testing.assert_allclose(real.numpy() + 1j * imag.numpy(), want(z), atol=tol * 10, rtol=tol)


@pytest.mark.parametrize("dtype,tol", [("float32", 1e-4), ("float64", 1e-10)])
@pytest.mark.parametrize("n,fft_length", [(8, None), (7, None), (5, 8), (9, 6), (2, None), (1, 1)])
def test_rfft_and_irfft_match_numpy(dtype, tol, n, fft_length):
    x = np.random.default_rng(n).standard_normal((2, n)).astype(dtype)
    real, imag = ops.rfft(tf.constant(x), fft_length=fft_length)
    want = np.fft.rfft(x, n=fft_length)
    assert real.dtype == dtype and real.shape == want.shape
    np.testing.assert_allclose(real.numpy() + 1j * imag.numpy(), want, atol=tol * 10, rtol=tol)
    back = ops.irfft((real, imag), fft_length=fft_length)
    want_back = np.fft.irfft(want, n=fft_length)
    assert back.dtype == dtype and back.shape == want_back.shape
    np.testing.assert_allclose(back.numpy(), want_back, atol=tol * 10, rtol=tol)


def test_fft_gradients_match_finite_differences():
    x = np.random.default_rng(2).standard_normal((2, 6))
    check_gradient(lambda v: tf.concat(ops.rfft(v), -1), x)
    check_gradient(lambda re, im: tf.concat(ops.fft((re, im)), -1), x, x[::-1].copy(), wrt=1)
    check_gradient(lambda re: tf.concat(ops.ifft2((re, tf.zeros_like(re))), -1), x)


def test_fft_rejects_bad_inputs():
    with pytest.raises(ValueError, match="should be a tuple of two tensors"):
        ops.fft(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="should have the same shape"):
        ops.fft((tf.zeros([3]), tf.zeros([4])))
    with pytest.raises(ValueError, match="is not of type float"):
        ops.fft((tf.constant([1, 2]), tf.constant([1, 2])))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.fft2((tf.zeros([3]), tf.zeros([3])))
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64 inputs"):
        ops.rfft(tf.constant([1, 2, 3]))


@pytest.mark.parametrize("key", sorted(STFT_CASES))
def test_stft_and_istft_match_keras(key):
    rec = np.load(RECORDED)
    sig, length, stride, fft_length, window, center = STFT_CASES[key]
    if window == "ramp":
        window = np.arange(4, dtype="float32") / 4 + 0.5
    x = rec[sig]
    real, imag = ops.stft(tf.constant(x), length, stride, fft_length, window=window, center=center)
    tol = 1e-5 if x.dtype == np.float32 else 1e-12
    assert real.dtype == x.dtype and real.shape == rec[f"{key}_real"].shape
    np.testing.assert_allclose(real.numpy(), rec[f"{key}_real"], atol=tol, rtol=tol)
    np.testing.assert_allclose(imag.numpy(), rec[f"{key}_imag"], atol=tol, rtol=tol)
    parts = (tf.constant(rec[f"{key}_real"]), tf.constant(rec[f"{key}_imag"]))
    for kwargs, name in (({}, "inverse"), ({"length": 11}, "inverse11")):
        got = ops.istft(parts, length, stride, fft_length, window=window, center=center, **kwargs)
        assert got.shape == rec[f"{key}_{name}"].shape
        np.testing.assert_allclose(got.numpy(), rec[f"{key}_{name}"], atol=tol * 10, rtol=tol)


def test_stft_in_a_functional_model_and_tf_function():
    rec = np.load(RECORDED)
    inputs = keras.Input((20,))
    real, imag = ops.stft(inputs, 4, 2, 8)
    assert tuple(real.shape) == (None, 11, 5) and tuple(imag.shape) == (None, 11, 5)
    model = keras.Model(inputs, [real, imag])
    out = model(rec["sig"][None])
    np.testing.assert_allclose(out[0].numpy()[0], rec["hann_center_real"], atol=1e-5)
    fn = tf.function(lambda v: ops.istft(ops.stft(v, 4, 2, 8), 4, 2, 8))
    np.testing.assert_allclose(fn(tf.constant(rec["sig"])).numpy(), rec["hann_center_inverse"], atol=1e-5)


def test_stft_rejects_bad_arguments():
    x = tf.constant(np.arange(10.0, dtype="float32"))
    with pytest.raises(TypeError, match="Expected `float32` or `float64`"):
        ops.stft(tf.constant(np.arange(10)), 4, 2, 4)
    with pytest.raises(ValueError, match="`fft_length` must equal or larger than `sequence_length`"):
        ops.stft(x, 4, 2, 3)
    with pytest.raises(ValueError, match='must be one of `"hann"`, `"hamming"`'):
        ops.stft(x, 4, 2, 4, window="box")
    with pytest.raises(ValueError, match="`sequence_stride` must be a positive integer"):
        ops.stft(x, 4, 0, 4)
    with pytest.raises(ValueError, match=r"The shape of `window` must be equal to \[sequence_length\]"):
        ops.stft(x, 4, 2, 4, window=np.ones(3))


@pytest.mark.parametrize("shape,length,stride", [((10,), 4, 3), ((2, 5), 3, 1), ((2, 3, 8), 8, 2), ((6,), 2, 2)])
def test_extract_sequences_matches_numpy_windows(shape, length, stride):
    x = np.arange(np.prod(shape)).reshape(shape)
    want = np.lib.stride_tricks.sliding_window_view(x, length, axis=-1)[..., ::stride, :]
    got = ops.extract_sequences(tf.constant(x), length, stride)
    assert got.dtype == "int64"
    np.testing.assert_array_equal(got.numpy(), want)


def test_view_as_complex_and_real():
    x = np.arange(12.0).reshape(3, 2, 2)
    z = ops.view_as_complex(tf.constant(x))
    assert z.dtype == "complex64" and z.shape == (3, 2)  # Keras's result is complex64 for any input
    np.testing.assert_allclose(z.numpy(), x[..., 0] + 1j * x[..., 1])
    back = ops.view_as_real(z)
    assert back.dtype == "float32" and back.shape == (3, 2, 2)
    np.testing.assert_array_equal(back.numpy(), x)
    w = ops.view_as_real(tf.constant(np.array([1 + 2j, 3 - 4j])))
    assert w.dtype == "float64"
    np.testing.assert_array_equal(w.numpy(), [[1, 2], [3, -4]])
    np.testing.assert_array_equal(ops.view_as_real(tf.constant([1.0, 2.0])).numpy(), [[1, 0], [2, 0]])
    with pytest.raises(ValueError, match="Last dimension of input must be size 2"):
        ops.view_as_complex(tf.zeros([2, 3]))


def _segment_reference(reduce, data, ids, n, empty):
    out = np.full((n,) + data.shape[1:], empty, data.dtype)
    for s in range(n):
        if np.any(ids == s):
            out[s] = reduce(data[ids == s], axis=0)
    return out


@pytest.mark.parametrize("dtype", ["float32", "int32", "float64"])
def test_segment_min_and_prod_match_numpy(dtype):
    rng = np.random.default_rng(4)
    data = (rng.standard_normal((7, 3)) * 3).astype(dtype)
    ids = np.array([0, 0, 1, 3, 3, 3, 1])
    big = np.finfo(dtype).max if dtype.startswith("float") else np.iinfo(dtype).max
    for num_segments in (None, 5):
        n = 4 if num_segments is None else num_segments
        got = ops.segment_min(tf.constant(data), tf.constant(ids), num_segments=num_segments)
        np.testing.assert_array_equal(got.numpy(), _segment_reference(np.min, data, ids, n, big))
        got = ops.segment_prod(tf.constant(data), tf.constant(ids), num_segments=num_segments)
        np.testing.assert_allclose(got.numpy(), _segment_reference(np.prod, data, ids, n, 1), rtol=1e-6)
    ids = np.sort(ids)
    got = ops.segment_min(tf.constant(data), tf.constant(ids), sorted=True)
    np.testing.assert_array_equal(got.numpy(), _segment_reference(np.min, data, ids, 4, 0))
    got = ops.segment_prod(tf.constant(data), tf.constant(ids), sorted=True)
    np.testing.assert_allclose(got.numpy(), _segment_reference(np.prod, data, ids, 4, 1), rtol=1e-6)


def test_segment_ops_in_tf_function_and_bad_arguments():
    fn = tf.function(lambda d, i: ops.segment_prod(d, i))
    np.testing.assert_array_equal(fn(tf.constant([1.0, 2, 3, 4]), tf.constant([0, 0, 2, 2])).numpy(), [2, 1, 12])
    check_gradient(lambda d: ops.segment_prod(d, tf.constant([0, 0, 1]), num_segments=2), np.array([1.5, -2.0, 3.0]))
    with pytest.raises(ValueError, match="`segment_ids` should be an 1-D vector"):
        ops.segment_min(tf.zeros([4]), tf.zeros([2, 2], "int32"))
    with pytest.raises(ValueError, match="should have same leading dimension"):
        ops.segment_min(tf.zeros([4]), tf.constant([0, 0, 1]))
    with pytest.raises(ValueError, match="`num_segments` cannot be set when sorted is True"):
        ops.segment_prod(tf.zeros([3]), tf.constant([0, 0, 1]), num_segments=2, sorted=True)


@pytest.mark.parametrize(
    "pattern,axes,reference",
    [
        ("b (h w) c -> b h w c", {"h": 2}, lambda x: x.reshape(2, 2, 3, 4)),
        ("b h c -> c b h", {}, lambda x: x.transpose(2, 0, 1)),
        ("b h c -> b (h c)", {}, lambda x: x.reshape(2, 24)),
        ("b (h w) c -> (b w) h c", {"w": 3}, lambda x: x.reshape(2, 2, 3, 4).transpose(0, 2, 1, 3).reshape(6, 2, 4)),
        ("b h c -> (c h) b", {}, lambda x: x.transpose(2, 1, 0).reshape(24, 2)),
        (
            "b (h w) c -> b (w h) c",
            {"h": 3, "w": 2},
            lambda x: x.reshape(2, 3, 2, 4).transpose(0, 2, 1, 3).reshape(2, 6, 4),
        ),
    ],
)
def test_rearrange_matches_reshape_and_transpose(pattern, axes, reference):
    x = np.arange(48.0).reshape(2, 6, 4)
    got = ops.rearrange(tf.constant(x), pattern, **axes)
    np.testing.assert_array_equal(got.numpy(), reference(x))


def test_rearrange_symbolic_and_bad_patterns():
    inputs = keras.Input((6, 4))
    out = ops.rearrange(inputs, "b (h w) c -> b w h c", h=2)
    assert tuple(out.shape) == (None, 3, 2, 4)
    x = np.arange(48.0, dtype="float32").reshape(2, 6, 4)
    np.testing.assert_array_equal(keras.Model(inputs, out)(x).numpy(), x.reshape(2, 2, 3, 4).transpose(0, 2, 1, 3))
    with pytest.raises(ValueError, match="has 2 axes but the tensor has 3"):
        ops.rearrange(tf.constant(x), "a b -> b a")
    with pytest.raises(ValueError, match="must name the same axes"):
        ops.rearrange(tf.constant(x), "a b c -> a b d")
    with pytest.raises(ValueError, match="do not make up the dimension 6"):
        ops.rearrange(tf.constant(x), "b (h w) c -> b h w c", h=4)


def test_stft_and_istft_gradients_match_finite_differences():
    x = np.random.default_rng(5).standard_normal((2, 12))
    check_gradient(lambda v: tf.concat(ops.stft(v, 4, 2, 6, window="hamming"), -1), x)
    parts = ops.stft(tf.constant(x), 4, 2, 6)
    check_gradient(lambda re: ops.istft((re, parts[1]), 4, 2, 6), parts[0].numpy())


def test_segment_ops_in_a_functional_model():
    inputs = keras.Input((3,))
    ids = np.array([0, 0, 2, 2])
    low, prod = ops.segment_min(inputs, ids, num_segments=3), ops.segment_prod(inputs, ids, num_segments=3)
    assert tuple(low.shape) == (3, 3) and tuple(prod.shape) == (3, 3)
    x = np.arange(12.0, dtype="float32").reshape(4, 3) - 5
    out = keras.Model(inputs, [low, prod])(x)
    big = np.finfo("float32").max
    np.testing.assert_array_equal(out[0].numpy(), _segment_reference(np.min, x, ids, 3, big))
    np.testing.assert_array_equal(out[1].numpy(), _segment_reference(np.prod, x, ids, 3, 1))


def test_keras_saved_signal_model_loads_and_round_trips(tmp_path):
    rec = np.load(RECORDED)
    model = keras.saving.load_model(os.path.join(os.path.dirname(RECORDED), "ops_signal_model.keras"))
    outputs = model(rec["model_input"])
    for k, got in enumerate(outputs):
        np.testing.assert_allclose(got.numpy(), rec[f"model_output_{k}"], atol=2e-5, err_msg=f"output {k}")
    entries = {entry["class_name"]: entry for entry in model.get_config()["layers"][1:]}
    assert {name: entries[name]["module"] for name in ("RFFT", "STFT", "ISTFT", "FFT", "SegmentProd")} == {
        "RFFT": "keras.src.ops.math",
        "STFT": "keras.src.ops.math",
        "ISTFT": "keras.src.ops.math",
        "FFT": "keras.src.ops.math",
        "SegmentProd": "keras.src.ops.math",
    }
    config = entries["STFT"]["config"]
    assert (config["sequence_length"], config["sequence_stride"], config["fft_length"]) == (4, 2, 8)
    path = str(tmp_path / "again.keras")
    model.save(path)
    again = keras.saving.load_model(path)
    for got, want in zip(again(rec["model_input"]), outputs):
        np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-6)
