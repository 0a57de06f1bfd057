"""JPEG decoding against golden files encoded and decoded once by TensorFlow 2.21 (tests/data/images)."""

import os

import numpy as np
import pytest

import ferroflow as tf

HERE = os.path.join(os.path.dirname(__file__), "data", "images")
GOLDEN = ["rgb_q90", "rgb_q75_444_progressive", "gray_q90"]
RNG = np.random.default_rng(11)


def _read(name: str) -> bytes:
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read()


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0**2 / mse)


@pytest.mark.parametrize("stem", GOLDEN)
@pytest.mark.parametrize("channels", [0, 1, 3])
def test_decode_is_within_a_level_or_two_of_libjpeg(stem, channels):
    expected = np.load(os.path.join(HERE, f"{stem}_tf_c{channels}.npy"))
    out = tf.io.decode_jpeg(_read(stem + ".jpg"), channels=channels)
    assert out.dtype == tf.uint8 and out.shape == expected.shape
    diff = np.abs(out.numpy().astype(int) - expected.astype(int))
    # Another IDCT and chroma upsampler: small per-pixel differences, none visible.
    assert diff.mean() < 2.0 and diff.max() <= 8, (diff.mean(), diff.max())


def test_decode_image_and_decode_png_read_jpeg_too():
    data = _read("rgb_q90.jpg")
    a = tf.io.decode_jpeg(data).numpy()
    np.testing.assert_array_equal(tf.io.decode_image(data).numpy(), a)
    np.testing.assert_array_equal(tf.io.decode_png(data).numpy(), a)
    as_float = tf.io.decode_image(data, dtype=tf.float32)
    assert as_float.dtype == tf.float32
    np.testing.assert_allclose(as_float.numpy(), a / 255.0, atol=1e-6)


def test_extract_shape_and_is_jpeg():
    np.testing.assert_array_equal(tf.io.extract_jpeg_shape(_read("rgb_q90.jpg")).numpy(), [37, 53, 3])
    shape = tf.image.extract_jpeg_shape(_read("gray_q90.jpg"), output_type=tf.int64)
    assert shape.dtype == tf.int64
    np.testing.assert_array_equal(shape.numpy(), [37, 53, 1])
    assert bool(tf.io.is_jpeg(_read("rgb_q90.jpg")))
    assert not bool(tf.io.is_jpeg(tf.io.encode_png(np.zeros((1, 1, 1), np.uint8))))


def test_ratio_shrinks_like_libjpeg():
    expected = np.load(os.path.join(HERE, "rgb_q90_tf_ratio2.npy"))
    out = tf.io.decode_jpeg(_read("rgb_q90.jpg"), ratio=2).numpy()
    assert out.shape == expected.shape == (19, 27, 3)
    assert np.abs(out.astype(int) - expected.astype(int)).mean() < 4


def test_decode_and_crop():
    data = _read("rgb_q90.jpg")
    full = tf.io.decode_jpeg(data).numpy()
    crop = tf.io.decode_and_crop_jpeg(data, [3, 5, 10, 20]).numpy()
    np.testing.assert_array_equal(crop, full[3:13, 5:25])


@pytest.mark.parametrize("quality,min_psnr", [(95, 30), (75, 28), (30, 24)])
def test_encode_then_decode_keeps_the_image(quality, min_psnr):
    source = np.load(os.path.join(HERE, "source_rgb.npy"))
    data = tf.io.encode_jpeg(source, quality=quality)
    assert data.dtype == tf.string and data.numpy()[:3] == b"\xff\xd8\xff"
    assert _psnr(tf.io.decode_jpeg(data).numpy(), source) > min_psnr


def test_encoder_options_change_the_file():
    source = np.load(os.path.join(HERE, "source_rgb.npy"))
    base = tf.io.encode_jpeg(source).numpy()
    assert len(tf.io.encode_jpeg(source, quality=20).numpy()) < len(base)
    assert tf.io.encode_jpeg(source, optimize_size=True).numpy() != base
    progressive = tf.io.encode_jpeg(source, progressive=True).numpy()
    assert b"\xff\xc2" in progressive and b"\xff\xc2" not in base  # progressive DCT frame marker
    full_chroma = tf.io.encode_jpeg(source, chroma_downsampling=False)
    assert _psnr(tf.io.decode_jpeg(full_chroma).numpy(), source) > 33
    with_xmp = tf.io.encode_jpeg(source, xmp_metadata="<x:xmpmeta/>").numpy()
    assert b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>" in with_xmp
    gray = tf.io.encode_jpeg(source[..., :1], format="grayscale")
    np.testing.assert_array_equal(tf.io.extract_jpeg_shape(gray).numpy(), [37, 53, 1])


def test_large_image_round_trip_exercises_every_block_path():
    y, x = np.mgrid[0:1000, 0:1203]
    waves = [np.sin(x / 40 + k) * np.cos(y / 50 - k) for k in range(3)]
    image = (128 + 100 * np.stack(waves, -1)).astype(np.uint8)
    out = tf.image.decode_jpeg(tf.image.encode_jpeg(image, quality=95)).numpy()
    assert out.shape == image.shape
    assert _psnr(out, image) > 35


def test_adjust_jpeg_quality_keeps_dtype_and_shape():
    source = np.load(os.path.join(HERE, "source_rgb.npy")).astype(np.float32) / 255.0
    out = tf.image.adjust_jpeg_quality(source, 90)
    assert out.dtype == tf.float32 and out.shape == source.shape
    assert np.abs(out.numpy() - source).mean() < 0.02


def test_decode_in_a_dataset_map():
    data = [tf.io.encode_jpeg(np.full((4 + i, 6, 3), 40 * i, np.uint8)).numpy() for i in range(3)]
    ds = tf.data.Dataset.from_tensor_slices(data).map(lambda s: tf.shape(tf.io.decode_jpeg(s, channels=3)))
    assert [list(s) for s in ds.as_numpy_iterator()] == [[4, 6, 3], [5, 6, 3], [6, 6, 3]]


def test_bad_input_raises_clear_errors():
    data = _read("rgb_q90.jpg")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid JPEG data"):
        tf.io.decode_jpeg(data[:200])
    with pytest.raises(tf.errors.InvalidArgumentError, match="JPEG does not support 4 channels"):
        tf.io.decode_image(data, channels=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels"):
        tf.io.decode_jpeg(data, channels=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="GIF and BMP images are not supported"):
        tf.io.decode_image(b"GIF89a....")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        tf.io.decode_image(b"\x00\x01 not an image")
    with pytest.raises(ValueError, match="ratio"):
        tf.io.decode_jpeg(data, ratio=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 or 3 channels"):
        tf.io.encode_jpeg(np.zeros((4, 4, 4), np.uint8))
    with pytest.raises(TypeError, match="float32"):
        tf.io.encode_jpeg(np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match="quality"):
        tf.io.encode_jpeg(np.zeros((4, 4, 3), np.uint8), quality=101)
