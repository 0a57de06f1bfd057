"""TensorFlow 2.21's ``tf.signal`` results (tests/data/tf_signal/*.npz, written by tests/data/make_tf_signal.py)
and the same calls made with ferroflow, for the tests of windows, STFTs, DCTs and mel filterbanks."""

import json
import os

import numpy as np

import ferroflow as tf

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "tf_signal")
DTYPES = {"float32": tf.float32, "float64": tf.float64}
WINDOWS = {
    "hann": tf.signal.hann_window,
    "hamming": tf.signal.hamming_window,
    "vorbis": tf.signal.vorbis_window,
    "kbd": tf.signal.kaiser_bessel_derived_window,
    "kaiser": tf.signal.kaiser_window,
    None: None,
}


def tone(n=16000, rate=16000.0):
    """make_tf_signal.py's test waveform: a 440 Hz tone, an overtone and a chirp."""
    t = np.arange(n) / rate
    return (
        0.5 * np.sin(2 * np.pi * 440 * t)
        + 0.2 * np.sin(2 * np.pi * 1234.5 * t + 0.3)
        + 0.1 * np.sin(2 * np.pi * (200 + 1500 * t) * t)
    )


def load(name):
    """(cases, inputs, expected) of one reference file."""
    data = np.load(os.path.join(DATA, name))
    cases = json.loads(data["cases"].tobytes().decode())
    inputs = {k[3:]: data[k] for k in data.files if k.startswith("in_")}
    inputs["wave"] = tone()
    expected = {k: data[k] for k in data.files if "/" in k}
    return cases, inputs, expected


def prepare(args, inputs, dtype):
    """The keyword arguments of one case for ferroflow: ``@name`` inputs as tensors of ``dtype`` (complex64 or
    complex128 for complex inputs), window names as functions."""
    kw = dict(args)
    for k, v in list(kw.items()):
        if isinstance(v, str) and v.startswith("@"):
            x = inputs[v[1:]]
            if np.iscomplexobj(x):
                kw[k] = tf.constant(x.astype(np.complex64 if dtype == "float32" else np.complex128))
            else:
                kw[k] = tf.constant(x.astype(dtype))
    if "window_fn" in kw:
        fn, step = WINDOWS[kw["window_fn"]], kw.pop("inverse_step", None)
        kw["window_fn"] = tf.signal.inverse_stft_window_fn(step, fn) if step else fn
    if "forward_window_fn" in kw:
        kw["forward_window_fn"] = WINDOWS[kw["forward_window_fn"]]
    if "dtype" in kw:
        kw["dtype"] = DTYPES[dtype]
    return kw


def spectrogram(waveform):
    """TensorFlow's Simple audio recognition tutorial's ``get_spectrogram``."""
    spectrogram = tf.signal.stft(waveform, frame_length=255, frame_step=128)
    spectrogram = tf.abs(spectrogram)
    return spectrogram[..., tf.newaxis]


def summarize_spectrogram(s):
    """What make_tf_signal.py keeps of a tutorial spectrogram: frames 0, 61 and 122, and sums per frame and
    per frequency."""
    return tf.concat([tf.reshape(s[0::61], [-1]), tf.reduce_sum(s, [1, 2]), tf.reduce_sum(s, [0, 2])], 0)


def call(fn, args, inputs, dtype, traced=False):
    """One case run with ferroflow: eagerly, or (``traced``) by a ``tf.function`` taking the tensors."""
    kw = prepare(args, inputs, dtype)
    if fn == "inverse_stft_window_fn":
        inner = tf.signal.inverse_stft_window_fn(kw["frame_step"], kw["forward_window_fn"])
        return inner(kw["frame_length"], dtype=DTYPES[dtype])
    tensors = {k: v for k, v in kw.items() if isinstance(v, tf.Tensor)}
    static = {k: v for k, v in kw.items() if k not in tensors}

    def body(**ts):
        if fn == "spectrogram":
            return summarize_spectrogram(spectrogram(ts["signals"]))
        return getattr(tf.signal, fn)(**ts, **static)

    return tf.function(body)(**tensors) if traced else body(**tensors)


def tolerance(dtype, scale=1.0):
    """float32 results agree with TensorFlow's to a few units of rounding of the result's magnitude; float64
    ones to ~1e-12 (the FFT algorithms differ, not the formulas)."""
    return (2e-5 if dtype == "float32" else 1e-11) * max(1.0, scale)


def check_case(fn, args, inputs, expected_value, dtype, traced=False):
    got = call(fn, args, inputs, dtype, traced)
    want = expected_value
    assert tuple(got.shape) == want.shape, (got.shape, want.shape)
    assert got.dtype.as_numpy_dtype == want.dtype, (got.dtype, want.dtype)
    scale = float(np.abs(want).max()) if want.size else 1.0
    tol = tolerance(dtype, scale)
    np.testing.assert_allclose(got.numpy(), want, rtol=0, atol=tol)
