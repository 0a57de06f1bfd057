"""keras.ops's NumPy-named elementwise functions, sequences and windows, compared with NumPy, and the result
dtypes of all the array functions compared with those Keras 3 records."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from ferroflow import keras

sys.path.insert(0, str(Path(__file__).parent))
from keras_ops_arrays_cases import cases, result_dtype  # noqa: E402
from keras_ops_arrays_expected import EXPECTED  # noqa: E402

ops = keras.ops
RNG = np.random.default_rng(3)
A = RNG.normal(size=(3, 4)).astype("float32")
B = RNG.normal(size=(3, 4)).astype("float32")
I = RNG.integers(-40, 40, size=(3, 4)).astype("int32")  # noqa: E741
J = RNG.integers(1, 30, size=(3, 4)).astype("int32")

# Where Keras's TensorFlow backend fails and ferroflow gives what Keras's symbolic shape inference promises.
_DELIBERATE = {f"erfc({d})": "float32" for d in ("bool", "int8", "uint8", "int16", "int32", "int64")}
_DELIBERATE["i0(bfloat16)"] = "bfloat16"
_CASES = cases(ops)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_result_dtypes_match_keras(name):
    want = _DELIBERATE.get(name, EXPECTED[name])
    got = result_dtype(_CASES[name])
    if want.startswith("ERR"):
        assert got.startswith("ERR"), f"{name}: Keras raises ({want}), ferroflow gives {got}"
    else:
        assert got == want


def close(got, want, rtol=1e-5, atol=1e-6):
    got = np.asarray(got)
    assert got.shape == np.shape(want), (got.shape, np.shape(want))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "int64"])
def test_bitwise(dtype):
    x, y = np.abs(I).astype(dtype), J.astype(dtype)
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        got = getattr(ops, name)(x, y)
        assert got.dtype.name == dtype
        assert np.array_equal(np.asarray(got), getattr(np, name)(x, y))
    assert np.array_equal(np.asarray(ops.bitwise_invert(x)), np.invert(x))
    assert np.array_equal(np.asarray(ops.bitwise_not(x)), np.invert(x))
    for name, ref in (
        ("bitwise_left_shift", np.left_shift),
        ("left_shift", np.left_shift),
        ("bitwise_right_shift", np.right_shift),
        ("right_shift", np.right_shift),
    ):
        assert np.array_equal(np.asarray(getattr(ops, name)(x, y % 5)), ref(x, (y % 5).astype(dtype)))
        got = getattr(ops, name)(x, 2)  # (a Python int keeps x's dtype)
        assert got.dtype.name == dtype and np.array_equal(np.asarray(got), ref(x, np.array(2, dtype)))
    assert np.array_equal(np.asarray(ops.right_shift(np.array([-8], "int32"), 1)), [-4])


def test_gcd_lcm():
    assert np.array_equal(np.asarray(ops.gcd(I, J)), np.gcd(I, J))
    assert np.array_equal(np.asarray(ops.lcm(I, J)), np.lcm(I, J))
    z = np.array([0, 0, 6, -4], "int64")
    w = np.array([0, 5, 0, 6], "int64")
    assert np.array_equal(np.asarray(ops.gcd(z, w)), np.gcd(z, w))
    assert np.array_equal(np.asarray(ops.lcm(z, w)), np.lcm(z, w))
    assert np.array_equal(np.asarray(ops.gcd(I, 12)), np.gcd(I, 12))  # (broadcasts)
    u = np.array([12, 200], "uint8")
    assert np.array_equal(np.asarray(ops.gcd(u, np.array([18, 150], "uint8"))), [6, 50])
    with pytest.raises(TypeError, match="integers"):
        ops.gcd(A, B)
    with pytest.raises(TypeError, match="integers"):
        ops.lcm(I, A)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_pairs(dtype):
    a, b = (A * 3).astype(dtype), B.astype(dtype)
    close(ops.hypot(a, b), np.hypot(a, b))
    close(ops.hypot(np.array([3e30, 0.0], dtype), np.array([4e30, 0.0], dtype)), [5e30, 0.0])  # (no overflow)
    close(ops.fmod(a, b), np.fmod(a, b), atol=1e-5)
    close(ops.logaddexp(a * 100, b), np.logaddexp(a * 100, b), rtol=1e-5)
    close(ops.logaddexp2(a, b * 100), np.logaddexp2(a, b * 100), rtol=1e-5)
    close(ops.ldexp(a, I), np.ldexp(a, I), rtol=1e-6)
    nxt = ops.nextafter(a, b)
    assert nxt.dtype.name == dtype
    close(nxt, np.nextafter(a.astype("float64"), b.astype("float64")).astype(dtype), rtol=0, atol=0)
    inf = np.array([np.inf, -np.inf, np.nan], dtype)
    with np.errstate(invalid="ignore"):
        close(ops.logaddexp(inf, np.array([1.0, 1.0, 1.0], dtype)), np.logaddexp(inf, 1.0))


def test_fmax_fmin_heaviside_fmod_ints():
    x = np.array([1.0, np.nan, np.nan, 2.0, -0.5])
    y = np.array([np.nan, 3.0, np.nan, 1.0, 0.5])
    close(ops.fmax(x, y), np.fmax(x, y))
    close(ops.fmin(x, y), np.fmin(x, y))
    assert ops.fmax(I, 2).dtype.name == "int32"
    assert np.array_equal(np.asarray(ops.fmin(I, 2)), np.fmin(I, 2))
    h = np.array([-1.5, 0.0, 2.0, 0.0])
    close(ops.heaviside(h, 0.5), np.heaviside(h, 0.5))
    close(ops.heaviside(h, np.array([1.0, 7.0, 1.0, -1.0])), np.heaviside(h, np.array([1.0, 7.0, 1.0, -1.0])))
    assert np.array_equal(np.asarray(ops.fmod(I, J)), np.fmod(I, J))
    with pytest.raises(TypeError, match="exponent must be an integer"):
        ops.ldexp(A, B)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_unary_floats(dtype):
    x = np.array([-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 27.0], dtype)
    tol = {"rtol": 2e-3, "atol": 2e-3} if dtype == "float16" else {"rtol": 1e-5, "atol": 1e-6}
    close(ops.sinc(x), np.sinc(x), **tol)
    with np.errstate(over="ignore"):
        close(ops.i0(x), np.i0(x), **tol)
    close(ops.cbrt(x), np.cbrt(x), **tol)
    close(ops.fabs(x), np.fabs(x))
    close(ops.angle(x), np.angle(x), **tol)
    close(ops.erfc(x), [math.erfc(v) for v in x.astype("float64")], **tol)
    assert np.array_equal(np.asarray(ops.signbit(x)), np.signbit(x))
    special_values = np.array([np.inf, -np.inf, np.nan, -np.nan, 1.0], dtype)
    assert np.array_equal(np.asarray(ops.isposinf(special_values)), np.isposinf(special_values))
    assert np.array_equal(np.asarray(ops.isneginf(special_values)), np.isneginf(special_values))
    assert np.array_equal(np.asarray(ops.signbit(special_values)), np.signbit(special_values))


def test_unary_ints_and_bools():
    close(ops.fabs(I), np.fabs(I))
    assert ops.fabs(I).dtype.name == "float32"
    close(ops.cbrt(np.array([-8, 27, 0], "int64")), [-2.0, 3.0, 0.0], rtol=1e-12)
    assert np.array_equal(np.asarray(ops.signbit(I)), np.signbit(I))
    assert not np.asarray(ops.signbit(np.array([True, False]))).any()
    assert not np.asarray(ops.isposinf(I)).any() and not np.asarray(ops.isneginf(I)).any()
    assert np.asarray(ops.isreal(A)).all()
    assert np.array_equal(np.asarray(ops.real(I)), I)
    assert np.array_equal(np.asarray(ops.imag(I)), np.zeros_like(I))
    assert np.array_equal(np.asarray(ops.conj(I)), I)
    with pytest.raises(TypeError):
        ops.real(np.array([True]))


def test_complex_parts():
    z = np.array([1 + 2j, -3 - 1j, 0.5j, 2 + 0j], "complex64")
    close(ops.real(z), z.real)
    close(ops.imag(z), z.imag)
    close(ops.conj(z), np.conj(z))
    close(ops.conjugate(z), np.conjugate(z))
    close(ops.angle(z), np.angle(z))
    assert np.array_equal(np.asarray(ops.isreal(z)), np.isreal(z))


@pytest.mark.parametrize(
    "args, kwargs",
    [((1, 1000, 4), {}), ((-1.0, -1000.0, 4), {"endpoint": False}), ((2.0, 32.0, 5), {"dtype": "float64"})],
)
def test_geomspace(args, kwargs):
    got = ops.geomspace(*args, **kwargs)
    assert got.dtype.name == kwargs.get("dtype", "float32")
    close(got, np.geomspace(*args, **kwargs), rtol=1e-5)


@pytest.mark.parametrize(
    "args, kwargs", [((0.0, 3.0, 4), {"base": 2}), ((0, 3, 5), {"endpoint": False}), ((1.0, 2.0, 1), {})]
)
def test_logspace(args, kwargs):
    close(ops.logspace(*args, **kwargs), np.logspace(*args, **kwargs), rtol=1e-5)
    close(ops.logspace(np.array([0.0, 1.0]), np.array([2.0, 3.0]), 3, axis=1), np.logspace([0, 1], [2, 3], 3, axis=1))


@pytest.mark.parametrize("m", [0, 1, 2, 5, 6, 12])
def test_windows(m):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        got = getattr(ops, name)(m)
        assert got.dtype.name == "float32"
        close(got, getattr(np, name)(m), atol=1e-6)
    close(ops.kaiser(m, 5.0), np.kaiser(m, 5.0), rtol=1e-5)


def test_view():
    x = np.array([[1.5, -2.0], [3.25, 4.0]], "float32")
    for dtype in ("int32", "uint32", "int16", "uint8", "float16", "int64", "float64"):
        got = ops.view(x, dtype)
        assert got.dtype.name == dtype
        assert np.array_equal(np.asarray(got), x.view(dtype))
    assert np.array_equal(np.asarray(ops.view(x)), x)
    with pytest.raises(ValueError, match="not divisible"):
        ops.view(np.ones((2, 3), "int16"), "int32")
    with pytest.raises(ValueError, match="scalar"):
        ops.view(np.float32(1.0), "int16")


def test_saturate_cast():
    x = np.array([-1.0, 256.0, 3.7, np.inf, -np.inf], "float32")
    got = ops.saturate_cast(x, "uint8")
    assert got.dtype.name == "uint8" and np.asarray(got).tolist() == [0, 255, 3, 255, 0]
    big = np.array([3e9, -3e9], "float32")  # float32 holds neither int32 limit: the nearest ones inside it
    assert np.asarray(ops.saturate_cast(big, "int32")).tolist() == [2147483520, -2147483648]
    assert np.asarray(ops.saturate_cast(np.array([300, -3], "int32"), "uint8")).tolist() == [255, 0]
    close(ops.saturate_cast(np.array([1e40, -1e300]), "float32"), [3.4028235e38, -3.4028235e38], rtol=1e-7)


def test_edge_cases():
    t = ops.convert_to_tensor(np.array([1.5, -2.0], "float32"))
    got = ops.array(t, "int32")  # (a tensor of another dtype is cast)
    assert got.dtype.name == "int32" and np.asarray(got).tolist() == [1, -2]
    got = ops.saturate_cast(np.array([True, False]), "int32")
    assert got.dtype.name == "int32" and np.asarray(got).tolist() == [1, 0]
    assert np.asarray(ops.saturate_cast(np.array([3, 0, -1], "int32"), "bool")).tolist() == [True, False, False]
    f16 = ops.saturate_cast(np.array([1e6, -1e6, 2.5]), "float16")
    assert np.asarray(f16).tolist() == [65504.0, -65504.0, 2.5]
    z = np.array([1 + 1j, 0j, -0.5 + 2j], "complex64")
    got = ops.sinc(z)
    assert got.dtype.name == "complex64"
    np.testing.assert_allclose(np.asarray(got), np.sinc(z), rtol=1e-5)
    assert [int(c) for c in ops.unravel_index(7, (3, 4))] == [1, 3]
    assert ops.kaiser(0, 1.0).shape == (0,) and ops.bartlett(-2).shape == (0,)
    close(ops.vander(np.array([1.0, 2.0]), 0), np.vander([1.0, 2.0], 0))
    close(ops.diagflat(np.float32(3.0), 1), np.diagflat(np.float32(3.0), 1))
