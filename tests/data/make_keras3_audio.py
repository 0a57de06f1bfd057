"""Writes Keras 3's outputs of its audio layers, STFTSpectrogram and MelSpectrogram (run once, with Keras 3 on
the TensorFlow backend):

KERAS_BACKEND=tensorflow python tests/data/make_keras3_audio.py

``keras3/audio_spectrograms.npz`` holds ``cases`` (the UTF-8 bytes of a JSON list of [key, layer class,
config, input name]), the inputs ``in_<name>``, and per case Keras's output ``<key>`` and output shape for a
symbolic input ``<key>/symbolic_shape`` (the "real" and "imag" modes show the initial kernels);
``model_output`` is the output of ``keras3/audio_model.keras`` (written here too) on the stereo and audio
inputs.
tests/test_keras_audio_layers.py checks that ferroflow computes the same.
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras3", "audio_spectrograms.npz")
RNG = np.random.default_rng(17)


def main():
    t = np.arange(300) / 8000.0
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 1000 * t + 1.0)], -1)
    inputs = {
        "stereo": (stereo[None] * [[[1.0, 0.5]]] + 0.05 * RNG.standard_normal((2, 300, 2))).astype(np.float32),
        "mono_first": RNG.standard_normal((2, 1, 200)).astype(np.float32),
        "audio": (np.sin(2 * np.pi * 440 * np.arange(1200) / 8000.0) + 0.1 * RNG.standard_normal((2, 1200))).astype(
            np.float32
        ),
        "unbatched": RNG.standard_normal(800).astype(np.float32),
    }
    cases = []
    for mode in ("log", "magnitude", "psd", "real", "imag", "angle", "stft"):
        config = {"mode": mode, "frame_length": 64, "frame_step": 32}
        cases.append([f"stft_{mode}", "STFTSpectrogram", config, "stereo"])
    cases += [
        [
            "stft_same_hamming",
            "STFTSpectrogram",
            {
                "frame_length": 50,
                "frame_step": 20,
                "fft_length": 64,
                "window": "hamming",
                "padding": "same",
                "periodic": True,
                "scaling": "spectrum",
            },
            "stereo",
        ],
        ["stft_expand", "STFTSpectrogram", {"frame_length": 32, "expand_dims": True, "window": None}, "stereo"],
        [
            "stft_first",
            "STFTSpectrogram",
            {"frame_length": 32, "frame_step": 8, "data_format": "channels_first", "scaling": None},
            "mono_first",
        ],
        [
            "stft_first_expand",
            "STFTSpectrogram",
            {"frame_length": 32, "data_format": "channels_first", "expand_dims": True, "mode": "magnitude"},
            "mono_first",
        ],
        ["mel_default", "MelSpectrogram", {}, "audio"],
        [
            "mel_small",
            "MelSpectrogram",
            {
                "fft_length": 256,
                "sequence_stride": 64,
                "sequence_length": 200,
                "sampling_rate": 8000,
                "num_mel_bins": 40,
                "min_freq": 50.0,
                "max_freq": 3000.0,
            },
            "audio",
        ],
        [
            "mel_power",
            "MelSpectrogram",
            {
                "fft_length": 128,
                "sequence_stride": 50,
                "window": "hamming",
                "sampling_rate": 8000,
                "num_mel_bins": 16,
                "power_to_db": False,
                "mag_exp": 1.0,
            },
            "audio",
        ],
        [
            "mel_db",
            "MelSpectrogram",
            {
                "fft_length": 128,
                "sequence_stride": 32,
                "sampling_rate": 8000,
                "num_mel_bins": 20,
                "top_db": 30.0,
                "ref_power": 0.5,
                "window": None,
            },
            "unbatched",
        ],
    ]
    arrays = {f"in_{k}": v for k, v in inputs.items()}
    for key, cls, config, name in cases:
        layer = getattr(keras.layers, cls)(**config)
        x = inputs[name]
        arrays[key] = np.asarray(layer(x))
        arrays[f"{key}/symbolic_shape"] = np.array(
            [-1 if d is None else d for d in layer.compute_output_shape((None,) + x.shape[1:])]
        )
    arrays["cases"] = np.frombuffer(json.dumps(cases).encode(), np.uint8)
    arrays["model_output"] = save_model(inputs["stereo"], inputs["audio"])
    np.savez_compressed(OUT, **arrays)


def save_model(stereo, audio):
    """``keras3/audio_model.keras``: both layers in one functional model, the STFT kernels changed from their
    initial values (as after training); returns its output on (stereo, audio)."""
    from make_keras3_convnet import deflate

    a = keras.Input(shape=stereo.shape[1:])
    b = keras.Input(shape=audio.shape[1:])
    s = keras.layers.STFTSpectrogram(mode="magnitude", frame_length=64, frame_step=32, name="stft")(a)
    m = keras.layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=16, sampling_rate=8000)(b)
    y = keras.layers.Concatenate()([keras.layers.Flatten()(s), keras.layers.Flatten()(m)])
    model = keras.Model([a, b], keras.layers.Dense(3, name="head")(y))
    for w in model.get_layer("stft").weights:
        w.assign(np.asarray(w) * RNG.uniform(0.5, 1.5, size=w.shape).astype(np.float32))
    path = os.path.join(os.path.dirname(OUT), "audio_model.keras")
    model.save(path)
    deflate(path)
    return np.asarray(model([stereo, audio]))


if __name__ == "__main__":
    main()
