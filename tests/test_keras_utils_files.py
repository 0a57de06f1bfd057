"""keras.utils.load_img / save_img (PIL) and audio_dataset_from_directory (WAV files written with Python's
``wave``), with values and messages recorded from Keras 3.15 (TensorFlow 2.21, the same Pillow)."""

import io
import os
import pathlib
import wave

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras

Image = pytest.importorskip("PIL.Image")  # PIL is optional, in Keras too


def _image(rng_seed=1):
    return np.random.RandomState(rng_seed).randint(0, 256, size=(6, 10, 3)).astype("float32")


def test_save_and_load_img(tmp_path):
    x = _image()
    keras.utils.save_img(tmp_path / "a.png", x)
    img = keras.utils.load_img(str(tmp_path / "a.png"))
    assert img.mode == "RGB" and img.size == (10, 6)
    got = keras.utils.img_to_array(img)
    np.testing.assert_array_equal(got[0, :3], [[36, 234, 139], [71, 255, 136], [202, 132, 78]])
    # unscaled PNG: a lossless round trip; channels_first arrays and file objects (format given) too
    keras.utils.save_img(tmp_path / "b.png", x, scale=False)
    np.testing.assert_array_equal(keras.utils.img_to_array(keras.utils.load_img(tmp_path / "b.png")), x)
    buf = io.BytesIO()
    keras.utils.save_img(buf, x.transpose(2, 0, 1), data_format="channels_first", file_format="png", scale=False)
    buf.seek(0)
    np.testing.assert_array_equal(keras.utils.img_to_array(keras.utils.load_img(buf)), x)
    assert keras.preprocessing.image.load_img is keras.utils.load_img
    assert keras.preprocessing.image.save_img is keras.utils.save_img


def test_save_img_jpeg_drops_alpha(tmp_path):
    xa = np.concatenate([_image(), np.full((6, 10, 1), 128.0)], -1)
    with pytest.warns(UserWarning, match="The JPEG format does not support RGBA images, converting to RGB."):
        keras.utils.save_img(str(tmp_path / "c.jpg"), xa, scale=False, quality=95)
    with Image.open(tmp_path / "c.jpg") as img:
        assert img.format == "JPEG" and img.mode == "RGB"


def test_load_img_modes_and_resizing(tmp_path):
    x = _image()
    keras.utils.save_img(tmp_path / "b.jpg", x, scale=False, quality=95)
    img = keras.utils.load_img(pathlib.Path(tmp_path) / "b.jpg", color_mode="grayscale", target_size=(3, 4))
    assert img.mode == "L" and img.size == (4, 3)
    expected = [[230, 136, 80, 128], [214, 147, 118, 135], [183, 35, 154, 166]]
    np.testing.assert_array_equal(keras.utils.img_to_array(img)[:, :, 0], expected)
    path = str(tmp_path / "a.png")
    keras.utils.save_img(path, x)
    # keep_aspect_ratio crops the centre 6x6 square of the 10x6 image before resizing to 4x4
    sums = {"nearest": 9553, "bilinear": 9745, "bicubic": 9727, "lanczos": 9748, "box": 9501, "hamming": 9673}
    for method, total in sums.items():
        img = keras.utils.load_img(path.encode(), "rgba", (4, 4), interpolation=method, keep_aspect_ratio=True)
        assert img.mode == "RGBA" and img.size == (4, 4)
        assert keras.utils.img_to_array(img).sum() == total, method
    nearest = keras.utils.load_img(path, target_size=(4, 4), keep_aspect_ratio=True)
    crop = keras.utils.load_img(path).crop((2, 0, 8, 6)).resize((4, 4), Image.NEAREST)
    np.testing.assert_array_equal(np.asarray(nearest), np.asarray(crop))
    img = keras.utils.load_img(path, target_size=(3, 5), interpolation="bilinear")
    assert keras.utils.img_to_array(img).sum() == 5545


def test_load_img_errors(tmp_path):
    path = str(tmp_path / "a.png")
    keras.utils.save_img(path, _image())
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO, not <class 'int'>"):
        keras.utils.load_img(5)
    with pytest.raises(ValueError, match='color_mode must be "grayscale", "rgb", or "rgba"'):
        keras.utils.load_img(path, color_mode="hsv")
    message = "Invalid interpolation method cubic specified. Supported methods are nearest, bilinear, bicubic, hamming"
    with pytest.raises(ValueError, match=message):
        keras.utils.load_img(path, target_size=(2, 2), interpolation="cubic")


_LENGTHS = {"a": [5, 3, 7], "b": [4, 6]}


@pytest.fixture
def wav_dir(tmp_path):
    """Stereo 16-bit clips of different lengths in classes a and b (and a .txt file that is not audio);
    returns the directory and the int16 samples of each file, in sorted path order."""
    rng = np.random.RandomState(0)
    clips = []
    for cls, lengths in _LENGTHS.items():
        os.makedirs(tmp_path / cls)
        for i, n in enumerate(lengths):
            data = rng.randint(-3000, 3000, size=(n, 2)).astype("<i2")
            with wave.open(str(tmp_path / cls / f"clip{i}.wav"), "wb") as w:
                w.setnchannels(2)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes(data.tobytes())
            clips.append((data, 0 if cls == "a" else 1))
    (tmp_path / "a" / "notes.txt").write_text("x")
    return str(tmp_path), clips


def _padded(clips, length=None):
    length = length or max(len(c) for c in clips)
    out = np.zeros((len(clips), length, 2), "float32")
    for i, c in enumerate(clips):
        out[i, : min(len(c), length)] = c[:length] / 32768.0
    return out


def test_audio_dataset_padded_batches(wav_dir, capsys):
    root, clips = wav_dir
    ds = keras.utils.audio_dataset_from_directory(root, batch_size=2, shuffle=False)
    assert capsys.readouterr().out == "Found 5 files belonging to 2 classes.\n"
    assert ds.class_names == ["a", "b"]
    spec = ds.element_spec
    assert spec[0].shape.as_list() == [None, None, None] and spec[0].dtype == tf.float32
    assert spec[1].shape.as_list() == [None] and spec[1].dtype == tf.int32
    batches = list(ds)
    assert len(batches) == 3
    for k, (audio, labels) in enumerate(batches):
        part = clips[2 * k : 2 * k + 2]
        np.testing.assert_array_equal(audio.numpy(), _padded([c for c, _ in part]))
        assert labels.numpy().tolist() == [y for _, y in part]


def test_audio_dataset_fixed_length_and_no_labels(wav_dir):
    root, clips = wav_dir
    ds = keras.utils.audio_dataset_from_directory(
        root, batch_size=2, seed=5, output_sequence_length=4, label_mode="categorical", verbose=False
    )
    assert ds.element_spec[0].shape.as_list() == [None, 4, None]
    assert ds.element_spec[1].shape.as_list() == [None, 2]
    got = sorted((a.tolist(), y.tolist()) for audio, labels in ds for a, y in zip(audio.numpy(), labels.numpy()))
    expected = sorted(
        (a.tolist(), np.eye(2)[y].tolist()) for a, (_, y) in zip(_padded([c for c, _ in clips], 4), clips)
    )
    assert got == expected
    ds = keras.utils.audio_dataset_from_directory(root, batch_size=None, shuffle=False, label_mode=None)
    assert ds.element_spec.shape.as_list() == [None, None]
    for audio, (clip, _) in zip(ds, clips, strict=True):
        np.testing.assert_array_equal(audio.numpy(), clip / 32768.0)


def test_audio_dataset_validation_split_and_ragged(wav_dir, capsys):
    root, clips = wav_dir
    train, val = keras.utils.audio_dataset_from_directory(
        root, batch_size=3, seed=2, validation_split=0.4, subset="both", label_mode="binary"
    )
    assert capsys.readouterr().out.splitlines()[1:] == ["Using 3 files for training.", "Using 2 files for validation."]
    assert val.element_spec[1].shape.as_list() == [None, 1]
    # the files are shuffled with NumPy's RandomState(seed) as in Keras: validation holds b/clip0 and a/clip0
    (audio, labels), *rest = list(val)
    assert not rest
    np.testing.assert_array_equal(audio.numpy(), _padded([clips[3][0], clips[0][0]]))
    assert labels.numpy().tolist() == [[1.0], [0.0]]
    lengths = sorted(int((np.abs(a).sum(-1) > 0).sum()) for a in next(iter(train))[0].numpy())
    assert lengths == [3, 6, 7]
    ds = keras.utils.audio_dataset_from_directory(root, batch_size=2, shuffle=False, ragged=True)
    assert isinstance(ds.element_spec[0], tf.RaggedTensorSpec)
    rows = [(r.numpy(), int(y)) for audio, labels in ds for r, y in zip(audio, labels)]
    for (row, y), (clip, label) in zip(rows, clips, strict=True):
        np.testing.assert_array_equal(row, clip / 32768.0)
        assert y == label


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"labels": 5}, "The `labels` argument should be a list/tuple of integer labels, of the same size as the"),
        ({"labels": [0, 1], "class_names": ["a"]}, 'You can only pass `class_names` if `labels="inferred"`.'),
        ({"label_mode": "x"}, '`label_mode` argument must be one of "int", "categorical", "binary", or None.'),
        ({"ragged": True, "output_sequence_length": 3}, "Cannot set both `ragged` and `output_sequence_length`"),
        ({"sampling_rate": 1.5}, "`sampling_rate` should have an integer value. Received: sampling_rate=1.5"),
        ({"sampling_rate": 0}, "`sampling_rate` should be higher than 0. Received: sampling_rate=0"),
        ({"validation_split": 0.3}, "If `subset` is set, `validation_split` must be set, and inversely."),
        ({"label_mode": "binary", "class_names": ["a"]}, "there must be exactly 2 class_names."),
        ({"labels": [0, 1]}, "len(labels) is 2 while we found 5 files"),
        ({"class_names": ["c"]}, "Expected: ['a', 'b'] (or a subset of it), but received: class_names=['c']"),
    ],
)
def test_audio_dataset_errors(wav_dir, kwargs, message):
    with pytest.raises(ValueError) as info:
        keras.utils.audio_dataset_from_directory(wav_dir[0], verbose=False, **kwargs)
    assert message in str(info.value)


def test_audio_dataset_without_files(tmp_path):
    os.makedirs(tmp_path / "a")
    with pytest.raises(ValueError, match=r"No audio files found in directory .*\. Allowed format\(s\): \('\.wav',\)"):
        keras.utils.audio_dataset_from_directory(str(tmp_path), verbose=False)
    with pytest.raises(ImportError, match="To use the argument `sampling_rate`, you should install tensorflow_io."):
        keras.utils.audio_dataset_from_directory(str(tmp_path), sampling_rate=16000)
