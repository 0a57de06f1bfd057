"""Writes TensorFlow 2.21's results for ``tf.signal``'s windows, framing, STFTs, DCTs, MDCTs and mel
filterbanks (run once, with TensorFlow):

python tests/data/make_tf_signal.py   # in an environment with tensorflow 2.21

``tf_signal/windows.npz``, ``tf_signal/stft.npz`` and ``tf_signal/mel_dct.npz`` each hold ``cases`` (the
UTF-8 bytes of a JSON list of [key, function, arguments]), the inputs ``in_<name>`` (float64) and TensorFlow's
result for each case and dtype as ``<key>/<dtype>``. tests/test_signal_windows.py, test_signal_stft.py and
test_signal_mel_dct.py check that ferroflow computes the same.
"""

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_signal")
RNG = np.random.default_rng(2026)
DTYPES = {"float32": tf.float32, "float64": tf.float64}
WINDOWS = {
    "hann": tf.signal.hann_window,
    "hamming": tf.signal.hamming_window,
    "vorbis": tf.signal.vorbis_window,
    "kbd": tf.signal.kaiser_bessel_derived_window,
    "kaiser": tf.signal.kaiser_window,
    None: None,
}


def window(name, inverse_step=None):
    fn = WINDOWS[name]
    return tf.signal.inverse_stft_window_fn(inverse_step, fn) if inverse_step else fn


def run(fn, args, inputs, dtype):
    """Calls ``fn`` with ``args``: strings ``@name`` are inputs (cast to ``dtype``), ``window``/``window_fn``
    entries are window names (with ``inverse_step``: wrapped by inverse_stft_window_fn)."""
    kw = dict(args)
    for k, v in list(kw.items()):
        if isinstance(v, str) and v.startswith("@"):
            x = inputs[v[1:]]
            if np.iscomplexobj(x):
                kw[k] = tf.constant(x.astype(np.complex64 if dtype == "float32" else np.complex128))
            else:
                kw[k] = tf.constant(x.astype(dtype))
    if "window_fn" in kw:
        kw["window_fn"] = window(kw["window_fn"], kw.pop("inverse_step", None))
    if "forward_window_fn" in kw:
        kw["forward_window_fn"] = WINDOWS[kw["forward_window_fn"]]
    if fn == "inverse_stft_window_fn":
        inner = tf.signal.inverse_stft_window_fn(kw["frame_step"], kw["forward_window_fn"])
        return inner(kw["frame_length"], dtype=DTYPES[dtype])
    if "dtype" in kw:
        kw["dtype"] = DTYPES[dtype]
    if fn == "spectrogram":  # the Simple audio recognition tutorial's get_spectrogram, summarized
        s = tf.abs(tf.signal.stft(kw["signals"], frame_length=255, frame_step=128))[..., tf.newaxis]
        return tf.concat([tf.reshape(s[0::61], [-1]), tf.reduce_sum(s, [1, 2]), tf.reduce_sum(s, [0, 2])], 0)
    return getattr(tf.signal, fn)(**kw)


def tone(n=16000, rate=16000.0):
    """One second of a 440 Hz tone, an overtone and a chirp (recomputed by the tests, so not stored)."""
    t = np.arange(n) / rate
    return (
        0.5 * np.sin(2 * np.pi * 440 * t)
        + 0.2 * np.sin(2 * np.pi * 1234.5 * t + 0.3)
        + 0.1 * np.sin(2 * np.pi * (200 + 1500 * t) * t)
    )


def save(name, cases, inputs):
    arrays = {f"in_{k}": v for k, v in inputs.items() if k != "wave"}
    for key, fn, args in cases:
        for dtype in DTYPES:
            out = run(fn, args, inputs, dtype).numpy()
            arrays[f"{key}/{dtype}"] = out
    arrays["cases"] = np.frombuffer(json.dumps(cases).encode(), np.uint8)
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, name), **arrays)


def windows():
    cases = []
    for n in (1, 2, 5, 8, 17, 64):
        for periodic in (True, False):
            for w in ("hann", "hamming"):
                cases.append([f"{w}_{n}_{periodic}", f"{w}_window", {"window_length": n, "periodic": periodic}])
        cases.append([f"vorbis_{n}", "vorbis_window", {"window_length": n}])
        for beta in (12.0, 3.5):
            cases.append([f"kaiser_{n}_{beta}", "kaiser_window", {"window_length": n, "beta": beta}])
            cases.append([f"kbd_{n}_{beta}", "kaiser_bessel_derived_window", {"window_length": n, "beta": beta}])
    cases.append(["hann_0", "hann_window", {"window_length": 0}])
    cases.append(["kbd_0", "kaiser_bessel_derived_window", {"window_length": 0}])
    for step in (4, 3, 8):
        for fwd in ("hann", "hamming", "vorbis"):
            cases.append(
                [
                    f"istft_win_{fwd}_{step}",
                    "inverse_stft_window_fn",
                    {"frame_length": 16, "frame_step": step, "forward_window_fn": fwd},
                ]
            )
    for case in cases:
        if case[1] != "inverse_stft_window_fn":
            case[2]["dtype"] = "dtype"
    save("windows.npz", cases, {})


def stft():
    inputs = {
        "x": RNG.standard_normal((2, 3, 11)),
        "frames": RNG.standard_normal((2, 5, 6)),
        "sig": RNG.standard_normal((2, 120)),
        "spec": RNG.standard_normal((2, 9, 33)) + 1j * RNG.standard_normal((2, 9, 33)),
    }
    cases = []
    for length, step, pad_end, axis in [
        (3, 2, False, -1),
        (4, 3, True, -1),
        (11, 1, False, -1),
        (12, 5, True, -1),
        (2, 1, False, 1),
        (2, 2, True, 0),
        (1, 3, False, 1),
        (5, 7, True, 2),
    ]:
        cases.append(
            [
                f"frame_{length}_{step}_{pad_end}_{axis}",
                "frame",
                {
                    "signal": "@x",
                    "frame_length": length,
                    "frame_step": step,
                    "pad_end": pad_end,
                    "pad_value": 0.5,
                    "axis": axis,
                },
            ]
        )
    for step in (1, 2, 3, 5, 6, 8):
        cases.append([f"ola_{step}", "overlap_and_add", {"signal": "@frames", "frame_step": step}])
    for length, step, fft, win, pad_end in [
        (64, 16, None, "hann", False),
        (50, 20, None, "hamming", False),
        (40, 10, 32, "hann", True),
        (30, 7, 40, None, True),
        (64, 64, None, "vorbis", False),
        (255, 128, None, "hann", True),
    ]:
        cases.append(
            [
                f"stft_{length}_{step}_{fft}_{win}_{pad_end}",
                "stft",
                {
                    "signals": "@sig",
                    "frame_length": length,
                    "frame_step": step,
                    "fft_length": fft,
                    "window_fn": win,
                    "pad_end": pad_end,
                },
            ]
        )
    for length, step, fft, win, inv in [
        (64, 16, None, "hann", None),
        (64, 16, None, "hann", 16),
        (50, 20, 64, "hamming", 20),
        (40, 8, 32, None, None),
        (70, 16, 64, "hann", 16),
    ]:
        cases.append(
            [
                f"istft_{length}_{step}_{fft}_{win}_{inv}",
                "inverse_stft",
                {
                    "stfts": "@spec",
                    "frame_length": length,
                    "frame_step": step,
                    "fft_length": fft,
                    "window_fn": win,
                    "inverse_step": inv,
                },
            ]
        )
    cases.append(["spectrogram", "spectrogram", {"signals": "@wave"}])
    save("stft.npz", cases, dict(inputs, wave=tone()))


def mel_dct():
    inputs = {
        "x": RNG.standard_normal((3, 10)),
        "x1": RNG.standard_normal((4, 1)),
        "logmel": RNG.standard_normal((3, 4, 20)),
        "sig": RNG.standard_normal((2, 96)),
        "mdcts": RNG.standard_normal((2, 5, 8)),
    }
    cases = []
    for num_mel, bins, rate, lo, hi in [
        (20, 129, 8000, 125.0, 3800.0),
        (40, 257, 16000, 20.0, 8000.0),
        (8, 33, 22050, 0.0, 11025.0),
        (16, 65, 44100.0, 80.0, 7600.0),
    ]:
        cases.append(
            [
                f"mel_{num_mel}_{bins}_{rate}",
                "linear_to_mel_weight_matrix",
                {
                    "num_mel_bins": num_mel,
                    "num_spectrogram_bins": bins,
                    "sample_rate": rate,
                    "lower_edge_hertz": lo,
                    "upper_edge_hertz": hi,
                    "dtype": "dtype",
                },
            ]
        )
    cases.append(["mfcc", "mfccs_from_log_mel_spectrograms", {"log_mel_spectrograms": "@logmel"}])
    for fn in ("dct", "idct"):
        for t in (1, 2, 3, 4):
            for norm in (None, "ortho"):
                if t == 1 and norm:
                    continue
                for n in (None, 6, 13):
                    cases.append([f"{fn}_{t}_{norm}_{n}", fn, {"input": "@x", "type": t, "norm": norm, "n": n}])
        for t in (2, 3, 4):
            cases.append([f"{fn}_{t}_len1", fn, {"input": "@x1", "type": t, "norm": "ortho"}])
    for length, win, pad_end, norm in [
        (16, "vorbis", False, None),
        (16, "kbd", True, "ortho"),
        (8, None, False, None),
        (32, "hann", True, None),
    ]:
        cases.append(
            [
                f"mdct_{length}_{win}_{pad_end}_{norm}",
                "mdct",
                {"signals": "@sig", "frame_length": length, "window_fn": win, "pad_end": pad_end, "norm": norm},
            ]
        )
    for win, norm in [("vorbis", None), ("kbd", "ortho"), (None, None)]:
        cases.append([f"imdct_{win}_{norm}", "inverse_mdct", {"mdcts": "@mdcts", "window_fn": win, "norm": norm}])
    save("mel_dct.npz", cases, inputs)


if __name__ == "__main__":
    windows()
    stft()
    mel_dct()
