"""RandomInvert, Solarization, RandomPosterization, AutoContrast and Equalization: the outputs against NumPy
references of Keras 3's formulas and against numbers Keras 3.15 computed for the same image; the drawn
amounts measured from the outputs; inference behaviour and argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from image_augment_refs import image

layers = tf.keras.layers
X = image()  # [2, 6, 7, 3] in [0, 255]


def keras_slice(out):
    return np.asarray(out)[-1, 2, 3:5, :].ravel()


def test_invert_flips_chosen_images_about_the_top_of_the_range():
    out = layers.RandomInvert((1.0, 1.0), value_range=(0, 300))(X).numpy()
    np.testing.assert_array_equal(out, 300 - X)  # Keras subtracts from value_range[1], whatever the low end
    np.testing.assert_array_equal(keras_slice(out), [278.0, 241.0, 204.0, 156.0, 119.0, 82.0])
    np.testing.assert_array_equal(layers.RandomInvert((0.0, 0.0))(X).numpy(), X)
    many = np.repeat(X[:1], 200, 0)
    out = layers.RandomInvert(seed=3)(many).numpy()  # probability U(0, 1), threshold U(0, 1): one half
    inverted = np.all(out == 255 - many, axis=(1, 2, 3))
    np.testing.assert_array_equal(out[~inverted], many[~inverted])
    assert 70 < inverted.sum() < 130


def test_solarization_inverts_from_the_threshold_after_the_addition():
    out = layers.Solarization()(X).numpy()  # threshold 0: every pixel inverted
    np.testing.assert_array_equal(out, 255 - X)
    np.testing.assert_array_equal(keras_slice(out), [233.0, 196.0, 159.0, 111.0, 74.0, 37.0])
    unit = layers.Solarization(value_range=(0, 1))(X / 255).numpy()
    np.testing.assert_allclose(unit, 1 - X / 255, atol=1e-6)
    np.testing.assert_allclose(keras_slice(unit), [0.9137, 0.7686, 0.6235, 0.4353, 0.2902, 0.1451], atol=1e-4)
    many = np.repeat(X[:1], 64, 0)
    # (0.1, 0.1) draws the addition from [0.1, 0.1 * 255]: Keras scales only the upper end
    added = layers.Solarization(addition_factor=(0.1, 0.1), seed=1)(many).numpy()
    amount = 255 - added - many
    unclipped = many + amount < 255
    per_image = [amount[i][unclipped[i]] for i in range(64)]
    assert all(np.ptp(a) < 1e-3 for a in per_image)  # one amount per image
    amounts = np.array([a[0] for a in per_image])
    assert amounts.min() >= 0.1 - 1e-3 and amounts.max() <= 25.5 + 1e-3 and np.ptp(amounts) > 15
    # thresholds from [0, 0.5 * 255]: values below stay, the others are inverted
    cut = layers.Solarization(threshold_factor=0.5, seed=2)(many).numpy()
    kept = cut == many
    assert np.all(kept | (cut == 255 - many))
    for i in range(64):
        assert many[i][kept[i]].max(initial=-1) < many[i][~kept[i]].min(initial=256)
        assert many[i][kept[i]].max(initial=-1) < 127.5  # kept values lie below a threshold of at most 127.5
    assert len({int(k.sum()) for k in kept}) > 10  # thresholds differ per image


def posterize_ref(x, bits):
    step = 2.0 ** (8 - bits)
    return np.floor(np.floor(x) / step) * step


def test_posterization_keeps_the_top_bits():
    np.testing.assert_array_equal(layers.RandomPosterization((3, 3))(X).numpy(), posterize_ref(X, 3))
    np.testing.assert_array_equal(
        keras_slice(layers.RandomPosterization((3, 3))(X)), [0.0, 32.0, 96.0, 128.0, 160.0, 192.0]
    )
    unit = layers.RandomPosterization((5, 5), value_range=(0, 1))(X / 255).numpy()
    np.testing.assert_allclose(unit, posterize_ref(X / 255 * 255, 5) / 255, atol=1e-6)
    np.testing.assert_allclose(keras_slice(unit), [0.0627, 0.2196, 0.3765, 0.5647, 0.6902, 0.8471], atol=1e-4)
    np.testing.assert_array_equal(layers.RandomPosterization((8, 8))(X).numpy(), X)
    many = np.repeat(X[:1], 64, 0)
    out = layers.RandomPosterization(8, seed=4)(many).numpy()  # (1, 8): bits drawn from 1 to 7
    found = []
    for i in range(64):
        matches = [b for b in range(1, 9) if np.array_equal(out[i], posterize_ref(many[i], b))]
        assert len(matches) == 1
        found.append(matches[0])
    assert set(found) == set(range(1, 8))


def test_auto_contrast_stretches_each_channel_and_works_at_inference():
    x = X * 0.5 + 20
    out = layers.AutoContrast()(x).numpy()
    low, high = x.min(axis=(1, 2), keepdims=True), x.max(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - low) * 255 / (high - low), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(keras_slice(out), [18.2869, 58.9243, 93.5, 142.2311, 182.8685, 223.125], atol=1e-3)
    np.testing.assert_array_equal(layers.AutoContrast()(x, training=False).numpy(), out)
    flat = X.copy()
    flat[0, ..., 1] = 7.0  # a constant channel is left as it is
    unit = layers.AutoContrast(value_range=(0, 1))(flat / 255).numpy()
    np.testing.assert_allclose(unit[0, ..., 1], 7 / 255, rtol=1e-6)
    np.testing.assert_allclose(keras_slice(unit), [0.0717, 0.2311, 0.3667, 0.5578, 0.7171, 0.875], atol=1e-4)
    ints = layers.AutoContrast()(X.astype("uint8"), training=False)
    assert ints.dtype == tf.float32
    one = layers.AutoContrast()(x[1]).numpy()
    np.testing.assert_allclose(one, out[1], rtol=1e-6)


def equalize_ref(x, bins=256, value_range=(0, 255)):
    """Keras's Equalization: each channel's histogram over the whole batch, its rounded cumulative sum as a
    lookup table (arithmetic in float32 as Keras's, the table in exact integers)."""
    low, high = value_range
    out = np.empty(x.shape, "float64")
    for c in range(x.shape[-1]):
        ch = x[..., c].astype("float32") * np.float32(255 / (high - low)) + np.float32(-low * 255 / (high - low))
        index = np.clip((ch * np.float32(bins - 1) / np.float32(255)).astype("int32"), 0, bins - 1)
        hist = np.bincount(index.ravel(), minlength=bins)
        if (hist > 0).sum() <= 1:
            equalized = ch
        else:
            cdf = np.cumsum(hist)
            cdf_min = cdf[cdf > 0][0]
            denominator = (cdf[-1] - cdf_min) or 1
            table = np.clip(np.round((cdf - cdf_min) * 255 / denominator), 0, 255)
            lookup = np.clip(ch / np.float32(255) * np.float32(bins - 1), 0, bins - 1).astype("int32")
            equalized = table[lookup]
        out[..., c] = equalized * ((high - low) / 255) + low
    return out


def test_equalization_maps_each_channel_through_its_batch_histogram():
    out = layers.Equalization()(X).numpy()
    np.testing.assert_allclose(out, equalize_ref(X), atol=1e-4)
    np.testing.assert_array_equal(keras_slice(out), [18.0, 61.0, 98.0, 141.0, 181.0, 218.0])
    unit = layers.Equalization(bins=16, value_range=(0, 1))(X / 255).numpy()
    np.testing.assert_allclose(unit, equalize_ref(X / 255, 16, (0, 1)), atol=1e-6)
    np.testing.assert_allclose(keras_slice(unit), [0.102, 0.2118, 0.3608, 0.5765, 0.7098, 0.8471], atol=1e-4)
    rng = np.random.default_rng(5)
    big = np.clip(rng.normal(100, 20, (32, 28, 28, 3)), 0, 255).astype("float32")
    np.testing.assert_allclose(layers.Equalization()(big).numpy(), equalize_ref(big), atol=1e-4)
    flat = np.full((2, 4, 4, 3), 9.0, "float32")
    np.testing.assert_array_equal(layers.Equalization()(flat).numpy(), flat)  # one bin: unchanged
    ints = X.astype("uint8")
    assert layers.Equalization()(ints, training=False).dtype == tf.uint8
    np.testing.assert_allclose(layers.Equalization()(ints).numpy(), out, atol=1e-4)


def test_bad_tone_arguments_name_what_was_expected():
    with pytest.raises(ValueError, match=r"\[0, 1\]. Received: factor=2"):
        layers.RandomInvert(2)
    with pytest.raises(ValueError, match=r"addition_factor.*\[0, 1\]. Received: input_number=1.5"):
        layers.Solarization(addition_factor=(0.1, 1.5))
    with pytest.raises(ValueError, match="Received: threshold_factor=abc"):
        layers.Solarization(threshold_factor="abc")
    with pytest.raises(ValueError, match=r"\[1, 8\]. Received: factor=9"):
        layers.RandomPosterization(9)
    with pytest.raises(ValueError, match="value_range.*Received: value_range=.0, 1, 2"):
        layers.AutoContrast(value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="Received: bins=0"):
        layers.Equalization(bins=0)
