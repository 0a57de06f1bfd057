"""tf.audio.encode_wav/decode_wav: byte-exact with TensorFlow 2.21's WAV codec (golden bytes written here),
eager, in tf.function and in Dataset.map."""

import struct

import numpy as np
import pytest

import ferroflow as tf

# TensorFlow 2.21: tf.audio.encode_wav(MONO, 16000) and tf.audio.encode_wav(STEREO, 44100).
MONO = np.array(
    [-1.0, -0.5, 0.0, 0.49999, 0.99999, 1.0, 1.5, -1.5, 1 / 65536, 3 / 65536, -1 / 65536, -3 / 65536, 0.7],
    np.float32,
).reshape(-1, 1)
MONO_WAV = bytes.fromhex(
    "524946463e00000057415645666d74201000000001000100803e0000007d000002001000646174611a000000"
    "008000c000000040ff7fff7fff7f008001000200fffffeff9a59"
)
STEREO = np.array([[0.1, -0.2], [0.3, 0.4], [-0.9, 0.25]], np.float32)
STEREO_WAV = bytes.fromhex(
    "524946463000000057415645666d7420100000000100020044ac000010b1020004001000646174610c000000cd0c66e666263333cd8c0020"
)
# TensorFlow 2.21: tf.audio.decode_wav(STEREO_WAV).audio.
STEREO_DECODED = [
    [0.100006103515625, -0.20001220703125],
    [0.29998779296875, 0.399993896484375],
    [-0.899993896484375, 0.25],
]
# TensorFlow 2.21: encode_wav(np.zeros([3, 1]), 10) and encode_wav(np.zeros([0, 2]), 8000).
SILENCE_WAV = bytes.fromhex(
    "524946462a00000057415645666d742010000000010001000a00000014000000020010006461746106000000000000000000"
)
EMPTY_WAV = bytes.fromhex("524946462400000057415645666d74201000000001000200401f0000007d0000040010006461746100000000")


def wav(body):
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def test_encode_is_byte_exact():
    assert tf.audio.encode_wav(MONO, 16000).numpy() == MONO_WAV
    assert tf.audio.encode_wav(tf.constant(STEREO), tf.constant(44100)).numpy() == STEREO_WAV
    assert tf.audio.encode_wav(np.zeros([3, 1]), 10).numpy() == SILENCE_WAV
    empty = tf.audio.encode_wav(np.zeros([0, 2], np.float32), 8000)
    assert empty.dtype == tf.string and empty.shape == () and empty.numpy() == EMPTY_WAV


def test_decode_matches_tensorflow():
    audio, rate = tf.audio.decode_wav(STEREO_WAV)
    assert audio.dtype == tf.float32 and rate.dtype == tf.int32
    assert audio.numpy().tolist() == STEREO_DECODED and int(rate) == 44100
    out = tf.audio.decode_wav(tf.constant(STEREO_WAV), desired_channels=3, desired_samples=5)
    want = [row + [row[-1]] for row in STEREO_DECODED] + [[0.0] * 3] * 2
    assert out.audio.numpy().tolist() == want and int(out.sample_rate) == 44100
    assert tf.audio.decode_wav(STEREO_WAV, 1, 2).audio.numpy().tolist() == [[0.100006103515625], [0.29998779296875]]
    assert tf.audio.decode_wav(STEREO_WAV, desired_channels=0).audio.shape == (3, 0)
    assert tf.audio.decode_wav(STEREO_WAV, desired_samples=0).audio.shape == (0, 2)
    decoded = tf.audio.decode_wav(MONO_WAV).audio.numpy().ravel()
    np.testing.assert_array_equal(decoded, np.frombuffer(MONO_WAV[44:], "<i2") / np.float32(32768))


def test_chunks_tensorflow_reads():
    fmt, data = STEREO_WAV[12:36], STEREO_WAV[36:]
    junk = b"JUNK" + struct.pack("<I", 4) + b"abcd"
    listing = b"LIST" + struct.pack("<I", 6) + b"xyzuvw"
    fmt18 = b"fmt " + struct.pack("<I", 18) + fmt[8:] + b"\0\0"
    for body in [junk + fmt + data, fmt + listing + data, fmt18 + data, fmt + data + listing]:
        assert tf.audio.decode_wav(wav(body)).audio.numpy().tolist() == STEREO_DECODED
    for body, message in [
        (fmt + data + data, "More than one data chunk found in WAV"),
        (fmt + listing, "No data chunk found in WAV"),
        (listing + fmt + data, "Unexpected field LIST"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            tf.audio.decode_wav(wav(body))


def test_bad_files_raise_tensorflow_errors():
    eight_bit = wav(
        b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8) + b"data" + struct.pack("<I", 3) + b"abc"
    )
    for contents, message in [
        (b"", "Data too short"),
        (b"RIFX" + STEREO_WAV[4:], "Header mismatch: Expected RIFF but found RIFX"),
        (STEREO_WAV[:40], "Data too short"),
        (STEREO_WAV[:-2], "Data too short"),
        (eight_bit, "Can only read 16-bit WAV files, but received 8"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            tf.audio.decode_wav(contents)
    with pytest.raises(tf.errors.InvalidArgumentError, match="contents must be scalar"):
        tf.audio.decode_wav([STEREO_WAV])
    with pytest.raises(tf.errors.InvalidArgumentError, match="desired_channels must be >= -1, got -2"):
        tf.audio.decode_wav(STEREO_WAV, desired_channels=-2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a string tensor"):
        tf.audio.decode_wav(tf.constant(1))


def test_encode_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"audio must be 2-dimensional\[3\]"):
        tf.audio.encode_wav(np.zeros([3], np.float32), 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor but is a float64"):
        tf.audio.encode_wav(tf.constant(STEREO, tf.float64), 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"num_channels must be in \(0, 2\^16\), got: 0"):
        tf.audio.encode_wav(np.zeros([3, 0], np.float32), 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"sample_rate must be in \(0, 2\^32\), got: 0"):
        tf.audio.encode_wav(STEREO, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="should be a scalar tensor"):
        tf.audio.encode_wav(STEREO, [10])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor but is a int64"):
        tf.audio.encode_wav(STEREO, tf.constant(10, tf.int64))


def test_round_trip_of_realistic_audio():
    # Two seconds of stereo at 16 kHz: decoding gives the int16 quantization of the input.
    rng = np.random.default_rng(0)
    audio = np.clip(rng.normal(0, 0.3, size=(32000, 2)), -1, 1).astype(np.float32)
    contents = tf.audio.encode_wav(audio, 16000)
    assert len(contents.numpy()) == 44 + 32000 * 2 * 2
    scaled = audio.astype(np.float64) * 32768
    rounded = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5), -32768, 32767)
    decoded, rate = tf.audio.decode_wav(contents)
    np.testing.assert_array_equal(decoded.numpy(), (rounded / 32768).astype(np.float32))
    assert int(rate) == 16000


def test_inside_tf_function_and_dataset_map():
    @tf.function
    def round_trip(audio, rate):
        decoded = tf.audio.decode_wav(tf.audio.encode_wav(audio, rate), desired_channels=1)
        return decoded.audio, decoded.sample_rate

    audio, rate = round_trip(tf.constant(STEREO), tf.constant(44100))
    assert audio.numpy().tolist() == [[row[0]] for row in STEREO_DECODED] and int(rate) == 44100
    spec = tf.function(lambda c: tf.audio.decode_wav(c, desired_samples=4)).get_concrete_function(
        tf.TensorSpec([], tf.string)
    )
    assert spec.structured_outputs[0].shape.as_list() == [4, None]
    ds = tf.data.Dataset.from_tensor_slices([STEREO_WAV, STEREO_WAV]).map(lambda c: tf.audio.decode_wav(c).audio)
    for item in ds:
        assert item.numpy().tolist() == STEREO_DECODED
    with pytest.raises(tf.errors.InvalidArgumentError, match="Header mismatch"):
        tf.function(tf.audio.decode_wav)(tf.constant(b"RIFXxxxxWAVE"))


def test_namespace():
    assert dir(tf.audio) == ["decode_wav", "encode_wav"]
