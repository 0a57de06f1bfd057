"""``tf.signal``'s window functions and ``inverse_stft_window_fn`` against TensorFlow 2.21's values (float32
and float64, eagerly and in ``tf.function``), their defining properties, a Kaiser window's gradient with
respect to ``beta``, and TensorFlow's errors for bad arguments."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient
from signal_cases import check_case, load

CASES, INPUTS, EXPECTED = load("windows.npz")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("key,fn,args", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(key, fn, args, dtype):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/{dtype}"], dtype)


@pytest.mark.parametrize("key,fn,args", CASES[::7], ids=[c[0] for c in CASES[::7]])
def test_matches_tensorflow_in_tf_function(key, fn, args):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/float32"], "float32", traced=True)


def test_defaults_are_periodic_float32():
    w = tf.signal.hann_window(8)
    assert w.dtype == tf.float32
    np.testing.assert_allclose(w.numpy(), 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(8) / 8), atol=1e-7)
    sym = tf.signal.hamming_window(9, periodic=False, dtype=tf.float64).numpy()
    np.testing.assert_allclose(sym, np.hamming(9), atol=1e-15)
    np.testing.assert_allclose(tf.signal.hann_window(4, periodic=tf.constant(False)).numpy(), np.hanning(4), atol=1e-7)


def test_kaiser_matches_numpy_and_power_complementary_windows():
    np.testing.assert_allclose(tf.signal.kaiser_window(11, beta=5.0, dtype=tf.float64).numpy(), np.kaiser(11, 5.0))
    for w in (
        tf.signal.vorbis_window(32, dtype=tf.float64),
        tf.signal.kaiser_bessel_derived_window(32, 4.0, tf.float64),
    ):
        w = w.numpy()
        np.testing.assert_allclose(w[:16] ** 2 + w[16:] ** 2, np.ones(16), atol=1e-12)
        np.testing.assert_allclose(w, w[::-1], atol=1e-15)


def test_kaiser_beta_gradient():
    check_gradient(lambda beta: tf.signal.kaiser_window(7, beta, dtype=tf.float64), np.array(4.0))
    check_gradient(lambda beta: tf.signal.kaiser_bessel_derived_window(8, beta, dtype=tf.float64), np.array(2.5))


def test_windows_in_graph_with_tensor_length():
    f = tf.function(lambda: tf.signal.hann_window(tf.constant(5), periodic=False))
    np.testing.assert_allclose(f().numpy(), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-7)


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: tf.signal.hann_window([3]), ValueError),
        (lambda: tf.signal.vorbis_window([2]), ValueError),
        (lambda: tf.signal.hann_window(3, dtype=tf.int32), ValueError),
        (lambda: tf.signal.hamming_window(3, dtype=tf.complex64), ValueError),
        (lambda: tf.signal.kaiser_window(3, dtype=tf.int32), ValueError),
        (lambda: tf.signal.hann_window(3.0), TypeError),
        (lambda: tf.signal.hann_window(-1), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.kaiser_window(0), tf.errors.InvalidArgumentError),
    ],
)
def test_errors_as_tensorflow(call, error):
    with pytest.raises(error):
        call()


def test_empty_windows():
    assert tf.signal.hann_window(0).shape == (0,)
    assert tf.signal.vorbis_window(0).shape == (0,)
    assert tf.signal.kaiser_bessel_derived_window(1).shape == (0,)
