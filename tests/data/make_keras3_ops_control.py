"""Writes Keras 3's ``keras.ops.stft`` and ``keras.ops.istft`` outputs (run once, with Keras 3 on the TensorFlow
backend):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_ops_control.py

``keras3/ops_stft.npz`` holds the signals ``sig`` (float32) and ``sig2`` (float64), and per case of ``CASES``
the ``stft`` parts ``<key>_real``/``<key>_imag``, the ``istft`` of those parts ``<key>_inverse`` and the
``istft`` with ``length=11`` ``<key>_inverse11``; ``model_input`` and ``model_output_<k>`` are the input and
outputs of ``keras3/ops_signal_model.keras`` (written here too), a functional model of these ops.
tests/test_keras_ops_control_signal.py checks that ferroflow computes the same and loads the model.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3", "ops_stft.npz")
MODEL = os.path.join(os.path.dirname(OUT), "ops_signal_model.keras")

# key: (signal, sequence_length, sequence_stride, fft_length, window, center); a window "ramp" is an array.
CASES = {
    "hann_center": ("sig", 4, 2, 8, "hann", True),
    "hamming_uncentered": ("sig", 5, 3, 8, "hamming", False),
    "hann_batch_f64": ("sig2", 6, 2, 6, "hann", True),
    "no_window_odd_fft": ("sig2", 4, 1, 7, None, True),
    "array_window": ("sig", 4, 2, 4, "ramp", False),
}


def window(name):
    return np.arange(4, dtype="float32") / 4 + 0.5 if name == "ramp" else name


def main():
    rng = np.random.default_rng(0)
    out = {"sig": rng.standard_normal(20).astype("float32"), "sig2": rng.standard_normal((2, 17))}
    for key, (sig, length, stride, fft_length, win, center) in CASES.items():
        real, imag = ops.stft(out[sig], length, stride, fft_length, window=window(win), center=center)
        out[f"{key}_real"], out[f"{key}_imag"] = np.asarray(real), np.asarray(imag)
        args = (length, stride, fft_length)
        out[f"{key}_inverse"] = np.asarray(ops.istft((real, imag), *args, window=window(win), center=center))
        out[f"{key}_inverse11"] = np.asarray(
            ops.istft((real, imag), *args, length=11, window=window(win), center=center)
        )
    out["model_input"] = rng.standard_normal((2, 16)).astype("float32")
    model = signal_model()
    model.save(MODEL)
    for k, value in enumerate(model(out["model_input"])):
        out[f"model_output_{k}"] = np.asarray(value)
    np.savez(OUT, **out)


def signal_model():
    import keras

    x = keras.Input((16,))
    real, imag = ops.rfft(x, fft_length=20)
    spec = ops.stft(x, 4, 2, 8, window="hamming")
    frames = ops.extract_sequences(x, 4, 2)
    outputs = [
        real,
        spec[1],
        ops.istft(spec, 4, 2, 8, window="hamming"),
        frames,
        ops.fft((x, x))[0],
        ops.ifft2(ops.fft2((frames, frames)))[1],
        ops.irfft((real, imag)),
        ops.segment_prod(ops.transpose(x), np.arange(16) // 4, num_segments=4),
    ]
    return keras.Model(x, outputs)


if __name__ == "__main__":
    main()
