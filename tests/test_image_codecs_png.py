"""PNG decoding and encoding against files written here by a minimal reference encoder (zlib + struct)."""

import struct
import zlib

import numpy as np
import pytest

import ferroflow as tf

RNG = np.random.default_rng(3)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rows: np.ndarray, width: int, color_type: int, bit_depth: int = 8, extra: bytes = b"") -> bytes:
    """A PNG of `rows` (already packed bytes per row; filter type 0 is prepended here)."""
    h = rows.shape[0]
    header = struct.pack(">IIBBBBB", width, h, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes(r) for r in rows.reshape(h, -1).astype(np.uint8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + extra
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )


def encode_reference(image: np.ndarray) -> bytes:
    """8- or 16-bit gray, gray+alpha, RGB or RGBA."""
    h, w, c = image.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    if image.dtype == np.uint16:
        return png_bytes(image.astype(">u2").view(np.uint8).reshape(h, -1), w, color_type, 16)
    return png_bytes(image.reshape(h, -1), w, color_type)


def luma_reference(rgb: np.ndarray) -> np.ndarray:
    """libpng's fixed-point BT.601 luma, truncated (what TensorFlow's decode_png gives for channels=1)."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((9798 * r + 19235 * g + 3735 * b) >> 15).astype(rgb.dtype)[..., None]


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_decode_matches_the_reference_file(channels, dtype):
    image = RNG.integers(0, np.iinfo(dtype).max, (19, 23, channels), endpoint=True).astype(dtype)
    out = tf.io.decode_png(encode_reference(image), dtype=tf.as_dtype(dtype))
    assert out.dtype == tf.as_dtype(dtype) and out.shape == (19, 23, channels)
    np.testing.assert_array_equal(out.numpy(), image)


def test_channel_conversions_follow_tensorflow():
    rgba = RNG.integers(0, 256, (5, 7, 4)).astype(np.uint8)
    data = encode_reference(rgba)
    np.testing.assert_array_equal(tf.io.decode_png(data, channels=3).numpy(), rgba[..., :3])
    np.testing.assert_array_equal(tf.io.decode_png(data, channels=1).numpy(), luma_reference(rgba))
    gray = RNG.integers(0, 256, (5, 7, 1)).astype(np.uint8)
    rgb_of_gray = tf.io.decode_png(encode_reference(gray), channels=3).numpy()
    np.testing.assert_array_equal(rgb_of_gray, np.repeat(gray, 3, axis=-1))
    with_alpha = tf.io.decode_png(encode_reference(gray), channels=4).numpy()
    np.testing.assert_array_equal(with_alpha[..., 3], 255)
    # values measured with TensorFlow 2.21: decode_png(encode_png(rgb), channels=1)
    pixels = np.array([[[0, 1, 0], [0, 0, 0], [9, 8, 2], [10, 2, 10], [19, 0, 11]]], np.uint8)
    np.testing.assert_array_equal(
        tf.io.decode_png(encode_reference(pixels), channels=1).numpy()[0, :, 0], [0, 0, 7, 5, 6]
    )


def test_bit_depth_conversions():
    image16 = RNG.integers(0, 65536, (4, 6, 3)).astype(np.uint16)
    as8 = tf.io.decode_png(encode_reference(image16)).numpy()
    np.testing.assert_array_equal(as8, (image16 >> 8).astype(np.uint8))  # libpng's strip_16
    image8 = RNG.integers(0, 256, (4, 6, 3)).astype(np.uint8)
    as16 = tf.io.decode_png(encode_reference(image8), dtype=tf.uint16).numpy()
    np.testing.assert_array_equal(as16, image8.astype(np.uint16) * 257)


def test_palette_with_transparency_and_one_bit_gray():
    palette = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
    index = RNG.integers(0, 3, (6, 8)).astype(np.uint8)
    extra = _chunk(b"PLTE", palette.tobytes()) + _chunk(b"tRNS", bytes([255, 128]))
    out = tf.io.decode_png(png_bytes(index, 8, 3, 8, extra)).numpy()
    assert out.shape == (6, 8, 4)
    np.testing.assert_array_equal(out[..., :3], palette[index])
    np.testing.assert_array_equal(out[..., 3], np.array([255, 128, 255], np.uint8)[index])
    bits = RNG.integers(0, 2, (3, 16)).astype(np.uint8)
    out = tf.io.decode_png(png_bytes(np.packbits(bits, axis=1), 16, 0, 1)).numpy()
    np.testing.assert_array_equal(out[..., 0], bits * 255)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
@pytest.mark.parametrize("compression", [-1, 0, 9])
def test_encode_round_trips(channels, compression):
    image = RNG.integers(0, 256, (31, 17, channels)).astype(np.uint8)
    data = tf.io.encode_png(image, compression=compression)
    assert data.dtype == tf.string and data.shape == ()
    np.testing.assert_array_equal(tf.io.decode_png(data).numpy(), image)


def test_uncompressed_output_is_readable_without_the_decoder():
    image = RNG.integers(0, 256, (3, 4, 3)).astype(np.uint8)
    data = tf.io.encode_png(image, compression=0).numpy()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    idat, pos = b"", 8
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + n]
        pos += 12 + n
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(3, 1 + 4 * 3)
    assert (rows[:, 0] == 0).all()  # no filter
    np.testing.assert_array_equal(rows[:, 1:].reshape(3, 4, 3), image)


def test_sixteen_bit_and_large_images_round_trip():
    image = RNG.integers(0, 65536, (480, 640, 3)).astype(np.uint16)
    np.testing.assert_array_equal(tf.io.decode_png(tf.io.encode_png(image), dtype=tf.uint16).numpy(), image)
    big = RNG.integers(0, 256, (1031, 777, 4)).astype(np.uint8)
    np.testing.assert_array_equal(tf.image.decode_png(tf.image.encode_png(big)).numpy(), big)


def test_png_decoded_in_a_graph_has_a_partial_static_shape():
    data = tf.io.encode_png(np.zeros((2, 3, 3), np.uint8))

    @tf.function
    def decode(x):
        image = tf.io.decode_png(x, channels=3)
        assert image.shape.as_list() == [None, None, 3]
        return tf.shape(image)

    np.testing.assert_array_equal(decode(data).numpy(), [2, 3, 3])


def test_bad_input_raises_clear_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        tf.io.decode_png(b"not an image")
    corrupt = encode_reference(np.zeros((4, 4, 3), np.uint8))[:-20]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid PNG data"):
        tf.io.decode_png(corrupt)
    with pytest.raises(tf.errors.InvalidArgumentError, match="contents must be scalar"):
        tf.io.decode_png([b"a", b"b"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels"):
        tf.io.decode_png(b"x", channels=2)
    with pytest.raises(TypeError, match="string"):
        tf.io.decode_png(np.zeros(3, np.uint8))
    with pytest.raises(TypeError, match="float32"):
        tf.io.encode_png(np.zeros((2, 2, 3), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="3-dimensional"):
        tf.io.encode_png(np.zeros((2, 2), np.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels"):
        tf.io.encode_png(np.zeros((2, 2, 5), np.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="compression"):
        tf.io.encode_png(np.zeros((2, 2, 3), np.uint8), compression=10)
