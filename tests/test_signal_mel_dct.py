"""``tf.signal``'s DCTs (types I-IV, ``norm``, ``n``), MDCTs, mel filterbanks and MFCCs against TensorFlow
2.21's values (float32 and float64, eagerly and in ``tf.function``) and the DCT's definition, their gradients
against finite differences (float64), MDCT reconstruction, and TensorFlow's errors for bad arguments."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient
from signal_cases import check_case, load

CASES, INPUTS, EXPECTED = load("mel_dct.npz")
RNG = np.random.default_rng(5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("key,fn,args", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(key, fn, args, dtype):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/{dtype}"], dtype)


@pytest.mark.parametrize("key,fn,args", CASES[::3], ids=[c[0] for c in CASES[::3]])
def test_matches_tensorflow_in_tf_function(key, fn, args):
    check_case(fn, args, INPUTS, EXPECTED[f"{key}/float32"], "float32", traced=True)


def _dct_reference(x, dct_type):
    """scipy.fftpack's unnormalized DCTs, from their sums."""
    size = x.shape[-1]
    n = np.arange(size)
    if dct_type == 1:
        basis = np.cos(np.pi * np.outer(n, n) / (size - 1)) * 2
        basis[0], basis[-1] = 1.0, (-1.0) ** n
        return x @ basis
    if dct_type == 2:
        return 2 * x @ np.cos(np.pi * np.outer(2 * n + 1, n) / (2 * size))
    if dct_type == 3:
        basis = 2 * np.cos(np.pi * np.outer(n, 2 * n + 1) / (2 * size))
        basis[0] = 1.0
        return x @ basis
    return 2 * x @ np.cos(np.pi * np.outer(2 * n + 1, 2 * n + 1) / (4 * size))


@pytest.mark.parametrize("dct_type", [1, 2, 3, 4])
@pytest.mark.parametrize("size", [2, 7, 64, 255])
def test_dct_matches_its_definition(dct_type, size):
    x = RNG.standard_normal((3, size))
    got = tf.signal.dct(tf.constant(x), type=dct_type).numpy()
    np.testing.assert_allclose(got, _dct_reference(x, dct_type), atol=1e-10 * size)


@pytest.mark.parametrize("dct_type", [2, 3, 4])
def test_orthonormal_dct_inverts(dct_type):
    x = RNG.standard_normal((2, 3, 16))
    back = tf.signal.idct(tf.signal.dct(tf.constant(x), type=dct_type, norm="ortho"), type=dct_type, norm="ortho")
    np.testing.assert_allclose(back.numpy(), x, atol=1e-12)
    plain = tf.signal.idct(tf.signal.dct(tf.constant(x), type=dct_type), type=dct_type).numpy() * 0.5 / 16
    np.testing.assert_allclose(plain, x, atol=1e-12)


@pytest.mark.parametrize(
    "dct_type,norm,n", [(1, None, None), (2, None, 5), (2, "ortho", 9), (3, "ortho", None), (4, None, 9)]
)
def test_dct_gradients(dct_type, norm, n):
    x = RNG.standard_normal((2, 7))
    check_gradient(lambda v: tf.signal.dct(v, type=dct_type, norm=norm, n=n), x)
    check_gradient(lambda v: tf.signal.idct(v, type=dct_type, norm=norm), x)


def test_mfcc_gradient_and_scaling():
    x = RNG.standard_normal((2, 3, 8))
    check_gradient(tf.signal.mfccs_from_log_mel_spectrograms, x)
    got = tf.signal.mfccs_from_log_mel_spectrograms(tf.constant(x)).numpy()
    np.testing.assert_allclose(got, _dct_reference(x, 2) / np.sqrt(16.0), atol=1e-12)


def test_mdct_gradients():
    x = RNG.standard_normal((2, 24))
    check_gradient(lambda v: tf.signal.mdct(v, 8), x)
    check_gradient(lambda v: tf.signal.mdct(v, 8, window_fn=None, norm="ortho", pad_end=True), x)
    m = RNG.standard_normal((2, 3, 4))
    check_gradient(lambda v: tf.signal.inverse_mdct(v), m)
    check_gradient(lambda v: tf.signal.inverse_mdct(v, window_fn=tf.signal.kaiser_bessel_derived_window), m)


@pytest.mark.parametrize("window", [tf.signal.vorbis_window, tf.signal.kaiser_bessel_derived_window, None])
@pytest.mark.parametrize("norm", [None, "ortho"])
def test_mdct_round_trip(window, norm):
    """TensorFlow's inverse_mdct example, in tf.function: the padded signal comes back."""
    samples, frame_length = 1000, 400
    half = frame_length // 2
    waveform = RNG.standard_normal(samples).astype(np.float32)

    @tf.function
    def round_trip(w):
        padded = tf.pad(w, [[half, 0]])
        spectrum = tf.signal.mdct(padded, frame_length, pad_end=True, window_fn=window, norm=norm)
        return tf.signal.inverse_mdct(spectrum, window_fn=window, norm=norm)[half : half + samples]

    np.testing.assert_allclose(round_trip(tf.constant(waveform)).numpy(), waveform, rtol=1e-3, atol=1e-4)


def test_mel_matrix_shape_and_triangles():
    m = tf.signal.linear_to_mel_weight_matrix(
        num_mel_bins=80, num_spectrogram_bins=513, sample_rate=16000, lower_edge_hertz=80.0, upper_edge_hertz=7600.0
    )
    assert m.shape == (513, 80) and m.dtype == tf.float32
    w = m.numpy()
    assert (w >= 0).all() and (w <= 1).all() and not w[0].any()
    assert (w.max(axis=0) > 0.5).all()  # every band catches some bins
    default = tf.signal.linear_to_mel_weight_matrix()
    assert default.shape == (129, 20)
    rate_tensor = tf.signal.linear_to_mel_weight_matrix(sample_rate=tf.constant(8000.0), dtype=tf.float64)
    np.testing.assert_allclose(rate_tensor.numpy(), default.numpy(), atol=1e-5)  # float64 vs float32
    assert tf.signal.linear_to_mel_weight_matrix(num_spectrogram_bins=0).shape == (1, 20)


def test_log_mel_pipeline_in_tf_function():
    """The MFCC pipeline of mfccs_from_log_mel_spectrograms's documentation, traced, with a gradient."""
    pcm = tf.constant(RNG.standard_normal((2, 4000)), tf.float32)

    @tf.function
    def mfccs(x):
        stfts = tf.signal.stft(x, frame_length=1024, frame_step=256, fft_length=1024)
        spectrograms = tf.abs(stfts)
        matrix = tf.signal.linear_to_mel_weight_matrix(80, stfts.shape[-1], 16000.0, 80.0, 7600.0)
        mel = tf.tensordot(spectrograms, matrix, 1)
        return tf.signal.mfccs_from_log_mel_spectrograms(tf.math.log(mel + 1e-6))[..., :13]

    out = mfccs(pcm)
    assert out.shape == (2, 12, 13)
    with tf.GradientTape() as tape:
        tape.watch(pcm)
        loss = tf.reduce_sum(mfccs(pcm))
    grad = tape.gradient(loss, pcm)
    assert grad.shape == (2, 4000) and np.isfinite(grad.numpy()).all() and np.abs(grad.numpy()).max() > 0


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: tf.signal.dct(tf.range(10.0), axis=0), NotImplementedError),
        (lambda: tf.signal.dct(tf.range(10.0), type=5), ValueError),
        (lambda: tf.signal.dct(tf.range(10.0), n=0), ValueError),
        (lambda: tf.signal.dct(tf.range(10.0), norm="foo"), ValueError),
        (lambda: tf.signal.dct(tf.range(10.0), type=1, norm="ortho"), ValueError),
        (lambda: tf.signal.dct(tf.ones([1]), type=1), ValueError),
        (lambda: tf.signal.dct(tf.range(4)), TypeError),
        (lambda: tf.signal.dct(tf.constant(1.0)), IndexError),
        (lambda: tf.signal.idct(tf.range(10.0), type=0), ValueError),
        (lambda: tf.signal.mdct(tf.range(10.0), 6), ValueError),
        (lambda: tf.signal.mdct(tf.range(10.0), 0), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.mdct(tf.constant(1.0), 4), ValueError),
        (lambda: tf.signal.mdct(tf.range(10.0), 4, norm="x"), ValueError),
        (lambda: tf.signal.inverse_mdct(tf.range(10.0)), ValueError),
        (lambda: tf.signal.inverse_mdct(tf.ones([2, 3])), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(0), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=-1.0), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=300.0, upper_edge_hertz=200.0), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(sample_rate=0), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(dtype=tf.int32), ValueError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(num_spectrogram_bins=-3), tf.errors.InvalidArgumentError),
        (lambda: tf.signal.linear_to_mel_weight_matrix(num_mel_bins=3.0), TypeError),
        (lambda: tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 0])), ValueError),
        (lambda: tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 3], tf.int32)), TypeError),
    ],
)
def test_errors_as_tensorflow(call, error):
    with pytest.raises(error):
        call()


def test_dct_and_mdct_with_unknown_batch_in_graph():
    x = RNG.standard_normal((3, 32))

    @tf.function(input_signature=[tf.TensorSpec([None, 32], tf.float64)])
    def f(v):
        outs = [tf.signal.dct(v, type=t) for t in (1, 2, 3, 4)]
        mdcts = tf.signal.mdct(v, 8)
        return outs + [mdcts, tf.signal.inverse_mdct(mdcts)]

    got = f(tf.constant(x))
    for t, out in zip((1, 2, 3, 4), got):
        np.testing.assert_allclose(out.numpy(), _dct_reference(x, t), atol=1e-10)
    np.testing.assert_allclose(got[4].numpy(), tf.signal.mdct(tf.constant(x), 8).numpy(), atol=1e-12)
    np.testing.assert_allclose(got[5].numpy()[:, 4:-4], x[:, 4:-4], atol=1e-12)
