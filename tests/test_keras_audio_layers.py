"""Keras 3's audio layers, ``STFTSpectrogram`` and ``MelSpectrogram``, against Keras 3.15's outputs on the
TensorFlow backend (every STFTSpectrogram mode, both paddings and data formats, expand_dims; MelSpectrogram
with its defaults, other windows, powers and decibel settings, batched and unbatched), symbolic output
shapes, configs, trainable kernels, use in tf.data and in a fitted model, and Keras's argument errors."""

import json
import os

import numpy as np
import pytest

import ferroflow as tf

DATA = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "keras3", "audio_spectrograms.npz"))
CASES = json.loads(DATA["cases"].tobytes().decode())
INPUTS = {k[3:]: DATA[k] for k in DATA.files if k.startswith("in_")}
layers = tf.keras.layers


@pytest.mark.parametrize("key,cls,config,name", CASES, ids=[c[0] for c in CASES])
def test_matches_keras(key, cls, config, name):
    layer = getattr(layers, cls)(**config)
    got = layer(tf.constant(INPUTS[name])).numpy()
    want = DATA[key]
    assert got.shape == want.shape and got.dtype == want.dtype
    # float32 convolutions / FFTs of a few hundred terms; angles are compared where the bin is not ~zero.
    scale = max(1.0, float(np.abs(want).max()))
    if config.get("mode") == "angle":
        magnitude = np.hypot(DATA["stft_real"], DATA["stft_imag"])
        keep = magnitude > 1e-3 * magnitude.max()
        np.testing.assert_allclose(got[keep], want[keep], atol=1e-3)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5 * scale)
    symbolic = tuple(None if d == -1 else int(d) for d in DATA[f"{key}/symbolic_shape"])
    shape = INPUTS[name].shape
    assert tuple(layer.compute_output_shape((None,) + shape[1:])) == symbolic


def test_stft_spectrogram_in_a_model_trains_its_kernels():
    x = INPUTS["stereo"]
    model = tf.keras.Sequential(
        [
            layers.Input(shape=x.shape[1:]),
            layers.STFTSpectrogram(mode="log", frame_length=64, frame_step=32, expand_dims=True),
            layers.Conv2D(4, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ]
    )
    assert model.output_shape == (None, 1)
    spectrogram = model.layers[0]
    assert [w.name.split("/")[-1] for w in spectrogram.weights] == ["real_kernel", "imag_kernel"]
    before = spectrogram.weights[0].numpy().copy()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.ones((2, 1), np.float32), epochs=2, verbose=0)
    assert not np.allclose(before, spectrogram.weights[0].numpy())
    frozen = layers.STFTSpectrogram(mode="real", trainable=False)
    frozen.build((None, 512, 1))
    assert frozen.trainable_weights == [] and len(frozen.weights) == 1


def test_configs_round_trip():
    stft = layers.STFTSpectrogram(mode="psd", frame_length=100, frame_step=25, window="hamming", padding="same")
    again = layers.STFTSpectrogram.from_config(stft.get_config())
    assert again.get_config() == stft.get_config()
    assert stft.get_config()["fft_length"] is None and again._fft_length == 128
    mel = layers.MelSpectrogram(num_mel_bins=40, sampling_rate=8000)
    config = mel.get_config()
    assert config["max_freq"] == 4000 and config["sequence_length"] == 2048
    assert layers.MelSpectrogram.from_config(config).get_config() == config


def test_mel_spectrogram_in_tf_data():
    audio = INPUTS["audio"]
    mel = layers.MelSpectrogram(fft_length=256, sequence_stride=64, num_mel_bins=20, sampling_rate=8000)
    ds = tf.data.Dataset.from_tensor_slices(audio).batch(2).map(mel)
    got = next(iter(ds)).numpy()
    np.testing.assert_allclose(got, mel(tf.constant(audio)).numpy(), rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.STFTSpectrogram(frame_length=64, frame_step=65),
        lambda: layers.STFTSpectrogram(frame_length=64, frame_step=0),
        lambda: layers.STFTSpectrogram(frame_length=64, fft_length=32),
        lambda: layers.STFTSpectrogram(mode="power"),
        lambda: layers.STFTSpectrogram(scaling="l2"),
        lambda: layers.STFTSpectrogram(padding="causal"),
        lambda: layers.MelSpectrogram(fft_length=256, sequence_length=512),
    ],
)
def test_argument_errors_as_keras(make):
    with pytest.raises(ValueError):
        make()


def test_input_type_errors_as_keras():
    with pytest.raises(TypeError):
        layers.STFTSpectrogram(frame_length=8)(tf.zeros([1, 32, 1], tf.int32))
    with pytest.raises(ValueError):
        layers.MelSpectrogram(fft_length=64, window="blackman")(tf.zeros([1, 256]))


def test_loads_a_keras_model_with_both_layers():
    """keras3/audio_model.keras (made by Keras 3 with changed STFT kernels) loads and computes Keras's output."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "keras3", "audio_model.keras")
    model = tf.keras.models.load_model(path)
    got = model.predict([INPUTS["stereo"], INPUTS["audio"]], verbose=0)
    np.testing.assert_allclose(got, DATA["model_output"], rtol=1e-4, atol=1e-3)
