"""``tf.signal`` Fourier transforms against ``numpy.fft`` (float32 and float64, rows of real-model sizes,
prime lengths, cropping and padding by ``fft_length``), their gradients against finite differences with
TensorFlow's convention, and their errors."""

import numpy as np
import pytest

import ferroflow as tf
from complex_gradcheck import crandn, finite_difference, real_loss, tape_gradient, weights_for

RNG = np.random.default_rng(3)

COMPLEX = {
    "fft": (tf.signal.fft, lambda z: np.fft.fft(z)),
    "ifft": (tf.signal.ifft, lambda z: np.fft.ifft(z)),
    "fft2d": (tf.signal.fft2d, lambda z: np.fft.fft2(z)),
    "ifft2d": (tf.signal.ifft2d, lambda z: np.fft.ifft2(z)),
    "fft3d": (tf.signal.fft3d, lambda z: np.fft.fftn(z, axes=(-3, -2, -1))),
    "ifft3d": (tf.signal.ifft3d, lambda z: np.fft.ifftn(z, axes=(-3, -2, -1))),
}


@pytest.mark.parametrize("name", sorted(COMPLEX))
@pytest.mark.parametrize("shape", [(2, 3, 4, 8), (1, 5, 7, 97), (3, 4, 6, 512)])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_transforms_match_numpy(name, shape, dtype):
    ours, reference = COMPLEX[name]
    z = crandn(*shape, dtype=dtype)
    got = ours(tf.constant(z)).numpy()
    assert got.dtype == dtype
    want = reference(z.astype(np.complex128))
    scale = np.abs(want).max()
    tol = 1e-5 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got / scale, want / scale, atol=tol)


@pytest.mark.parametrize("name", sorted(COMPLEX))
def test_complex_transform_gradients(name):
    ours, _ = COMPLEX[name]
    z = crandn(2, 3, 4)
    w = weights_for((2, 3, 4))
    f = lambda x: real_loss(ours(x), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [z])[0], finite_difference(f, [z], 0), rtol=1e-5, atol=1e-6)


REAL = [
    # (rank, input shape, fft_length or None)
    (1, (4, 16), None),
    (1, (3, 97), None),
    (1, (16, 400), [512]),  # a spectrogram's frames, padded to the next power of two
    (1, (2, 10), [7]),  # cropped, odd length
    (2, (2, 6, 8), None),
    (2, (2, 5, 7), [8, 4]),
    (3, (1, 4, 6, 8), None),
]


def _np_rfft(x, rank, lengths):
    axes = tuple(range(-rank, 0))
    return np.fft.rfftn(x, s=lengths, axes=axes)


@pytest.mark.parametrize("rank,shape,fft_length", REAL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rfft_matches_numpy(rank, shape, fft_length, dtype):
    fn = {1: tf.signal.rfft, 2: tf.signal.rfft2d, 3: tf.signal.rfft3d}[rank]
    x = RNG.standard_normal(shape).astype(dtype)
    got = fn(tf.constant(x), fft_length).numpy() if fft_length else fn(tf.constant(x)).numpy()
    assert got.dtype == (np.complex64 if dtype == np.float32 else np.complex128)
    want = _np_rfft(x.astype(np.float64), rank, fft_length)
    assert got.shape == want.shape
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(got, want, atol=tol * np.abs(want).max())


@pytest.mark.parametrize("rank,shape,fft_length", REAL)
def test_irfft_matches_numpy(rank, shape, fft_length):
    fn = {1: tf.signal.irfft, 2: tf.signal.irfft2d, 3: tf.signal.irfft3d}[rank]
    lengths = fft_length or list(shape[-rank:])
    z = _np_rfft(RNG.standard_normal(shape), rank, lengths)
    got = fn(tf.constant(z), lengths).numpy()
    want = np.fft.irfftn(z, s=lengths, axes=tuple(range(-rank, 0)))
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_irfft_default_length_assumes_an_even_signal():
    z = np.fft.rfft(RNG.standard_normal(10))
    np.testing.assert_allclose(tf.signal.irfft(tf.constant(z)).numpy(), np.fft.irfft(z), atol=1e-12)


@pytest.mark.parametrize(
    "rank,shape,fft_length",
    [
        (1, (2, 8), None),
        (1, (2, 7), None),
        (1, (2, 6), [9]),
        (1, (1, 9), [6]),
        (2, (2, 4, 6), None),
        (2, (1, 3, 5), [4, 6]),
    ],
)
def test_real_transform_gradients(rank, shape, fft_length):
    rfft = {1: tf.signal.rfft, 2: tf.signal.rfft2d}[rank]
    irfft = {1: tf.signal.irfft, 2: tf.signal.irfft2d}[rank]
    lengths = fft_length or list(shape[-rank:])
    x = RNG.standard_normal(shape)
    spectrum_shape = _np_rfft(x, rank, lengths).shape
    w = weights_for(spectrum_shape)
    f = lambda v: real_loss(rfft(v, lengths), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [x])[0], finite_difference(f, [x], 0), rtol=1e-5, atol=1e-6)
    z = _np_rfft(x, rank, lengths)
    w_out = weights_for(tuple(shape[:-rank]) + tuple(lengths))
    g = lambda v: real_loss(irfft(v, lengths), w_out)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(g, [z])[0], finite_difference(g, [z], 0), rtol=1e-5, atol=1e-6)


def test_transforms_run_and_differentiate_in_tf_function():
    x = RNG.standard_normal((4, 32)).astype(np.float32)

    @tf.function
    def power(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            p = tf.reduce_sum(tf.abs(tf.signal.rfft(v)) ** 2)
        return p, tape.gradient(p, v)

    p, g = power(tf.constant(x))
    spectrum = np.fft.rfft(x.astype(np.float64))
    np.testing.assert_allclose(p.numpy(), (np.abs(spectrum) ** 2).sum(), rtol=1e-4)
    assert g.shape == (4, 32) and g.dtype == tf.float32


def test_fftshift_matches_numpy():
    x = np.arange(30.0).reshape(5, 6)
    np.testing.assert_array_equal(tf.signal.fftshift(x).numpy(), np.fft.fftshift(x))
    np.testing.assert_array_equal(tf.signal.ifftshift(x, axes=1).numpy(), np.fft.ifftshift(x, axes=1))
    np.testing.assert_array_equal(tf.signal.ifftshift(tf.signal.fftshift(x)).numpy(), x)


def test_errors_name_what_was_expected():
    with pytest.raises(tf.errors.InvalidArgumentError, match="complex64 or tf.complex128"):
        tf.signal.fft(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64"):
        tf.signal.rfft(tf.constant([1j, 2j]))
    with pytest.raises(ValueError, match="IRFFT requires tf.complex64"):
        tf.signal.irfft(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="fft_length"):
        tf.signal.rfft(tf.constant([[1.0, 2.0]]), fft_length=[2, 2])
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="rank"):
        tf.signal.fft2d(tf.constant([1j, 2j]))


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
def test_nd_transforms_over_any_axes_match_numpy(norm):
    z = crandn(3, 4, 5)
    np_norm = norm or "backward"
    got = tf.signal.fftnd(tf.constant(z), fft_length=[6, 3], axes=[0, 2], norm=norm).numpy()
    np.testing.assert_allclose(got, np.fft.fftn(z, s=[6, 3], axes=[0, 2], norm=np_norm), atol=1e-12)
    got = tf.signal.ifftnd(tf.constant(z), axes=[1, 0], norm=norm).numpy()
    np.testing.assert_allclose(got, np.fft.ifftn(z, axes=[1, 0], norm=np_norm), atol=1e-12)
    x = RNG.standard_normal((4, 6, 5))
    spectrum = tf.signal.rfftnd(tf.constant(x), axes=[0, 1], norm=norm)
    np.testing.assert_allclose(spectrum.numpy(), np.fft.rfftn(x, axes=[0, 1], norm=np_norm), atol=1e-12)
    back = tf.signal.irfftnd(spectrum, fft_length=[4, 6], axes=[0, 1], norm=norm).numpy()
    np.testing.assert_allclose(back, x, atol=1e-12)
    with pytest.raises(ValueError, match="norm"):
        tf.signal.fftnd(tf.constant(z), norm="both")
