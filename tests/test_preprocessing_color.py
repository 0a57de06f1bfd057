"""RandomHue, RandomSaturation, RandomGrayscale, RandomColorDegeneration and RandomColorJitter: with the drawn
amounts pinned, the outputs against NumPy references of Keras 3's formulas and against numbers Keras 3.15
computed for the same image; draws, dtypes, channels-first images and argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from image_augment_refs import hsv_to_rgb, image, luma, rgb_to_hsv

layers = tf.keras.layers
X = image()  # [2, 6, 7, 3]


def keras_slice(out):
    """The pixels the pasted Keras numbers cover."""
    return np.asarray(out)[-1, 2, 3:5, :].ravel()


def saturation_ref(x, draw, value_range=(0, 255)):
    hsv = rgb_to_hsv(x)
    hsv[..., 1] = np.clip(hsv[..., 1] * draw / (1 - draw + 1e-7), *value_range)
    return hsv_to_rgb(hsv)


def hue_ref(x, delta, value_range=(0, 255)):
    low, high = value_range
    hsv = rgb_to_hsv((np.asarray(x, "float64") - low) / (high - low))
    h = hsv[..., 0] + delta
    hsv[..., 0] = np.where(h > 1, h - 1, np.where(h < 0, h + 1, h))
    return np.clip(hsv_to_rgb(hsv), 0, 1) * (high - low) + low


def test_saturation_scales_the_hsv_saturation_by_f_over_one_minus_f():
    for f, keras in [
        (0.25, [71.3333, 83.6667, 96.0, 193.3333, 205.6667, 218.0]),
        (0.0, [96.0, 96.0, 96.0, 218.0, 218.0, 218.0]),
        # Keras clips the saturation to value_range, not [0, 1]: past 0.5 colours leave the range
        (0.9, [-569.9992, -236.9997, 96.0, -447.9992, -114.9997, 218.0]),
    ]:
        out = layers.RandomSaturation((f, f))(X).numpy()
        np.testing.assert_allclose(out, saturation_ref(X, f), rtol=1e-5, atol=2e-3)
        np.testing.assert_allclose(keras_slice(out), keras, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(layers.RandomSaturation((0.5, 0.5))(X).numpy(), X, atol=1e-3)  # f / (1 - f) = 1
    unit = layers.RandomSaturation((0.3, 0.3), value_range=(0, 1))(X / 255).numpy()
    np.testing.assert_allclose(unit, saturation_ref(X / 255, 0.3, (0, 1)), rtol=1e-5, atol=1e-6)


def test_hue_turns_each_image_by_half_the_factor_with_a_random_sign():
    x = np.concatenate([X] * 16)
    out = layers.RandomHue((0.4, 0.4), seed=3)(x).numpy()
    plus, minus = hue_ref(x, 0.2), hue_ref(x, -0.2)
    signs = []
    for i in range(len(x)):
        if np.allclose(out[i], plus[i], atol=2e-3):
            signs.append(1)
        else:
            np.testing.assert_allclose(out[i], minus[i], atol=2e-3)
            signs.append(-1)
    assert set(signs) == {1, -1}
    # Keras 3.15 turned this image by -0.2
    np.testing.assert_allclose(keras_slice(minus), [22.0, 96.0, 44.2, 144.0, 218.0, 166.2], atol=1e-3)
    unit = layers.RandomHue((0.0, 0.0), value_range=(0, 1))(X / 255).numpy()
    np.testing.assert_allclose(unit, X / 255, atol=1e-6)
    draws = layers.RandomHue(0.6, value_range=(0, 1), seed=4)(x / 255).numpy()
    turned = rgb_to_hsv(draws)[..., 0] - rgb_to_hsv(x / 255)[..., 0]
    turned = (turned + 0.5) % 1 - 0.5  # the hue difference, wrapped into [-0.5, 0.5)
    assert np.abs(turned).max() <= 0.3 + 1e-4 and np.abs(turned).max() > 0.1


def test_grayscale_replaces_chosen_images_by_their_luma_keeping_the_dtype():
    out = layers.RandomGrayscale(1.0)(X).numpy()
    np.testing.assert_allclose(out, np.repeat(luma(X), 3, -1), rtol=1e-6)
    np.testing.assert_allclose(keras_slice(out), [52.1528, 52.1528, 52.1528, 174.1406, 174.1406, 174.1406], atol=1e-3)
    ints = layers.RandomGrayscale(1.0)(X.astype("uint8"))
    assert ints.dtype == tf.uint8
    np.testing.assert_array_equal(ints.numpy(), np.repeat(np.trunc(luma(X)), 3, -1))  # truncated, as tf.cast
    np.testing.assert_array_equal(layers.RandomGrayscale(0.0)(X).numpy(), X)
    one = np.arange(2 * 4 * 4, dtype="float32").reshape(2, 4, 4, 1)
    np.testing.assert_array_equal(layers.RandomGrayscale(1.0)(one).numpy(), one)  # already gray
    many = np.concatenate([X] * 64)  # 128 images, about half chosen
    out = layers.RandomGrayscale(0.5, seed=2)(many).numpy()
    gray = np.all(out == out[..., :1], axis=(1, 2, 3))
    assert 30 < gray.sum() < 98
    np.testing.assert_array_equal(out[~gray], many[~gray])


def test_color_degeneration_moves_towards_the_luma_and_clips():
    for f, value_range, keras in [
        (0.3, (0, 255), [31.0458, 56.9458, 82.8458, 153.0422, 178.9422, 204.8422]),
        (-0.6, (0, 200), [3.9083, 63.1083, 122.3083, 125.9156, 185.1156, 200.0]),
    ]:
        out = layers.RandomColorDegeneration((f, f), value_range=value_range)(X).numpy()
        np.testing.assert_allclose(out, np.clip(X + f * (luma(X) - X), *value_range), rtol=1e-5, atol=1e-3)
        np.testing.assert_allclose(keras_slice(out), keras, atol=1e-3)
    with pytest.raises(ValueError, match="must have 3 channels, but received images with 4 channels"):
        layers.RandomColorDegeneration(0.2).compute_output_shape((None, 8, 8, 4))
    spread = layers.RandomColorDegeneration(0.8, seed=1)(np.repeat(X[:1], 64, 0)).numpy()
    f = (spread[:, 0, 1, 0] - X[0, 0, 1, 0]) / (luma(X)[0, 0, 1, 0] - X[0, 0, 1, 0])
    assert f.min() >= -0.8 - 1e-4 and f.max() <= 0.8 + 1e-4 and np.ptp(f) > 0.8


def contrast_ref(x, factor, value_range):
    mean = x.mean(axis=(1, 2), keepdims=True)
    return np.clip((x - mean) * factor + mean, *value_range)


def test_color_jitter_applies_brightness_contrast_saturation_and_hue_in_turn():
    # contrast (-0.2, 0.2) draws from [1 - (-0.2), 1 + 0.2]: exactly 1.2
    jitter = layers.RandomColorJitter(brightness_factor=(0.1, 0.1), contrast_factor=(-0.2, 0.2), saturation_factor=0.3)
    assert jitter.get_config()["saturation_factor"] == 0.3
    pinned = layers.RandomColorJitter(
        brightness_factor=(0.1, 0.1), contrast_factor=(-0.2, 0.2), saturation_factor=(0.3, 0.3)
    )(X).numpy()
    want = np.clip(X + 25.5, 0, 255)
    want = saturation_ref(contrast_ref(want, 1.2, (0, 255)), 0.3)
    np.testing.assert_allclose(pinned, want, rtol=1e-5, atol=2e-3)
    np.testing.assert_allclose(
        keras_slice(pinned), [77.2932, 96.5483, 115.4167, 219.798, 239.053, 255.0], rtol=1e-5, atol=1e-3
    )
    unit = layers.RandomColorJitter(
        value_range=(0, 1), brightness_factor=(-0.05, -0.05), contrast_factor=(-0.5, 0.5), saturation_factor=(0.7, 0.7)
    )(X / 255).numpy()
    want = saturation_ref(contrast_ref(np.clip(X / 255 - 0.05, 0, 1), 1.5, (0, 1)), 0.7, (0, 1))
    np.testing.assert_allclose(unit, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(keras_slice(unit), [0.0, 0.0499, 0.2634, 0.0, 0.5018, 0.981], atol=1e-4)
    hue = layers.RandomColorJitter(hue_factor=(0.4, 0.4), seed=1)(X).numpy()
    for i in range(2):
        assert np.allclose(hue[i], hue_ref(X, 0.2)[i], atol=2e-3) or np.allclose(hue[i], hue_ref(X, -0.2)[i], atol=2e-3)
    np.testing.assert_array_equal(layers.RandomColorJitter()(X).numpy(), X)  # no factor: nothing to do


def test_channels_first_images_give_the_same_colours():
    first = X.transpose(0, 3, 1, 2)
    for make in [
        lambda fmt: layers.RandomSaturation((0.2, 0.2), data_format=fmt),
        lambda fmt: layers.RandomColorDegeneration((0.4, 0.4), data_format=fmt),
        lambda fmt: layers.RandomGrayscale(1.0, data_format=fmt),
        lambda fmt: layers.RandomColorJitter(
            brightness_factor=(0.1, 0.1), saturation_factor=(0.2, 0.2), data_format=fmt
        ),
    ]:
        np.testing.assert_allclose(
            make("channels_first")(first).numpy(), make("channels_last")(X).numpy().transpose(0, 3, 1, 2), atol=1e-3
        )


def test_bad_color_factors_name_what_was_expected():
    with pytest.raises(ValueError, match=r"\[0, 1\]. Received: factor=1.5"):
        layers.RandomHue(1.5)
    with pytest.raises(ValueError, match=r"\[-1, 1\]. Received: factor=-2"):
        layers.RandomSaturation(-2)
    with pytest.raises(ValueError, match="value_range.*Received: value_range=255"):
        layers.RandomSaturation(0.2, value_range=255)
    with pytest.raises(ValueError, match="between 0 and 1. Received: factor=1.2"):
        layers.RandomGrayscale(1.2)
    with pytest.raises(TypeError, match="Received: factor=.0.1, 0.2"):
        layers.RandomGrayscale((0.1, 0.2))
    with pytest.raises(ValueError, match="Received: factor=.0.1, 0.2, 0.3"):
        layers.RandomColorDegeneration((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"\[0, 1\]. Received: factor=-0.5"):
        layers.RandomColorJitter(hue_factor=-0.5)
    with pytest.raises(ValueError, match="Invalid channel size"):
        layers.RandomGrayscale(1.0)(np.zeros((1, 4, 4, 2), "float32"))
