"""RandomSharpness, RandomGaussianBlur and RandomErasing: pinned outputs against NumPy references of Keras 3's
formulas (zero-padded filters, Gaussian kernels, erased rectangles) and numbers Keras 3.15 computed for the
same image; draws measured from the outputs; argument errors."""

import numpy as np
import pytest

import ferroflow as tf
from image_augment_refs import filter_same, gaussian, image

layers = tf.keras.layers
X = image()  # [2, 6, 7, 3] in [0, 255]
SMOOTH = np.full((3, 3), 1 / 13)
SMOOTH[1, 1] = 5 / 13


def keras_slice(out):
    return np.asarray(out)[-1, 2, 3:5, :].ravel()


def test_sharpness_blends_the_image_with_its_smoothed_copy():
    smoothed = filter_same(X, SMOOTH)
    for f, keras in [
        (0.0, [100.7692, 100.0769, 119.0769, 140.6154, 139.9231, 139.2308]),
        (0.9, [0.0, 26.1385, 77.5384, 146.7077, 213.8616, 255.0]),
    ]:
        out = layers.RandomSharpness((f, f))(X).numpy()
        want = np.clip(X + (1 - 2 * f) * (smoothed - X), 0, 255)
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-3)
        np.testing.assert_allclose(keras_slice(out), keras, atol=1e-3)
    np.testing.assert_allclose(layers.RandomSharpness((0.5, 0.5))(X).numpy(), X, atol=1e-4)
    many = np.repeat(X[:1], 64, 0)
    out = layers.RandomSharpness(0.8, seed=1)(many).numpy()  # (0, 0.8): 1 - 2f from -0.6 to 1
    amount = (out[:, 2, 3, 0] - X[0, 2, 3, 0]) / (smoothed[0, 2, 3, 0] - X[0, 2, 3, 0])
    assert amount.min() >= -0.6 - 1e-4 and amount.max() <= 1 + 1e-4 and np.ptp(amount) > 1.2


def test_gaussian_blur_with_pinned_sigmas_is_the_zero_padded_gaussian_filter():
    out = layers.RandomGaussianBlur(factor=(1, 1), kernel_size=5, sigma=(0.7, 0.7))(X).numpy()
    kernel = np.outer(gaussian(5, 0.7 + 1e-6), gaussian(5, 0.7 + 1e-6))
    np.testing.assert_allclose(out, np.clip(filter_same(X, kernel), 0, 255), rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(
        keras_slice(out), [107.9198, 103.5657, 131.0682, 140.3062, 136.4343, 134.4956], atol=1e-3
    )
    # (3, 5): Keras forms the [5, 3] outer product and lays it out again as [3, 5]
    odd = layers.RandomGaussianBlur(factor=(1, 1), kernel_size=(3, 5), sigma=(0.5, 0.5), value_range=(10, 200))(X)
    kernel = np.outer(gaussian(5, 0.5 + 1e-6), gaussian(3, 0.5 + 1e-6)).reshape(3, 5)
    np.testing.assert_allclose(odd.numpy(), np.clip(filter_same(X, kernel), 10, 200), rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(keras_slice(odd), [70.7657, 102.9928, 118.6204, 142.8261, 137.0072, 172.144], atol=1e-3)
    # no image chosen: each is still clipped to value_range
    np.testing.assert_array_equal(
        layers.RandomGaussianBlur(factor=(0, 0), value_range=(50, 200))(X), np.clip(X, 50, 200)
    )


def test_gaussian_blur_draws_one_pair_of_sigmas_per_batch_and_chooses_images():
    point = np.zeros((64, 9, 9, 1), "float32")
    point[:, 4, 4] = 1000.0
    out = layers.RandomGaussianBlur(factor=0.8, kernel_size=5, sigma=(0.3, 0.9), value_range=(0, 1000), seed=3)(point)
    out = out.numpy()
    blurred = out[:, 4, 4, 0] < 1000
    assert 15 < blurred.sum() < 49  # probability U(0, 0.8), threshold U(0, 1): 0.4 on average
    np.testing.assert_array_equal(out[~blurred], point[~blurred])
    spots = out[blurred, 2:7, 2:7, 0] / 1000
    np.testing.assert_allclose(spots, np.broadcast_to(spots[:1], spots.shape), rtol=1e-6)  # one kernel
    kernel = spots[0]
    # each axis's sigma from the ratio of neighbouring weights, exp(-1 / (2 sigma^2))
    sigma_x, sigma_y = (np.sqrt(-0.5 / np.log(k[1] / k[2])) for k in (kernel[2], kernel[:, 2]))
    assert 0.3 <= min(sigma_x, sigma_y) and max(sigma_x, sigma_y) <= 0.9 + 1e-4 and sigma_x != sigma_y
    np.testing.assert_allclose(kernel, np.outer(gaussian(5, sigma_y), gaussian(5, sigma_x)), rtol=1e-4, atol=1e-7)


def boxes(out, fill):
    """Each image's erased cells as (rows, columns) of its bounding box, and whether they fill it."""
    found = []
    for img in out:
        mask = np.all(img == fill, axis=-1)
        rows, cols = np.nonzero(mask.any(1))[0], np.nonzero(mask.any(0))[0]
        found.append((len(rows), len(cols), mask.sum() == len(rows) * len(cols)))
    return found


def test_erasing_fills_one_rectangle_of_sqrt_scale_sides():
    x = np.full((32, 20, 20, 3), 100.0, "float32")
    out = layers.RandomErasing(factor=(1, 1), scale=(0.25, 0.25), fill_value=7.0, seed=1)(x).numpy()
    assert boxes(out, 7.0) == [(10, 10, True)] * 32  # sides sqrt(0.25) * 20 = 10 at random places
    corners = {tuple(np.argwhere(np.all(o == 7.0, -1))[0]) for o in out}
    assert len(corners) > 10
    np.testing.assert_array_equal(out[out != 7.0], 100.0)
    colours = layers.RandomErasing(factor=(1, 1), scale=(0.09, 0.09), fill_value=[10, 20, 300], seed=2)(x).numpy()
    assert boxes(colours, [10, 20, 255]) == [(6, 6, True)] * 32  # clipped to value_range
    never = layers.RandomErasing(factor=(0, 0), fill_value=0.0)(x).numpy()
    np.testing.assert_array_equal(never, x)
    noise = layers.RandomErasing(factor=(1, 1), scale=(0.5, 0.5), value_range=(0, 1), seed=3)(x / 200).numpy()
    changed = noise != 0.5
    assert noise.min() >= 0 and noise.max() <= 1 and changed.any()
    erased = noise[changed]
    assert 0 < np.mean(erased == 0) < 1 and len(np.unique(erased)) > 100  # N(0, 1) noise, clipped
    half = layers.RandomErasing(factor=(0.5, 0.5), scale=(0.25, 0.25), fill_value=7.0, seed=4)(
        np.repeat(x, 4, 0)
    ).numpy()
    chosen = np.any(half == 7.0, axis=(1, 2, 3))
    assert 40 < chosen.sum() < 88


def test_erasing_sides_follow_the_scale_range():
    x = np.zeros((128, 40, 30, 1), "float32")
    out = layers.RandomErasing(factor=(1, 1), scale=(0.1, 0.4), fill_value=1.0, seed=5)(x).numpy()
    found = boxes(out, 1.0)
    assert all(full for _, _, full in found)
    rows = np.array([r for r, _, _ in found]) / 40
    cols = np.array([c for _, c, _ in found]) / 30
    for sides in (rows, cols):  # sqrt(0.1) to sqrt(0.4), within a cell
        assert sides.min() >= np.sqrt(0.1) - 0.05 and sides.max() <= np.sqrt(0.4) + 0.05 and np.ptp(sides) > 0.2


def test_bad_filter_and_erasing_arguments_name_what_was_expected():
    with pytest.raises(ValueError, match=r"\[0, 1\]. Received: factor=1.5"):
        layers.RandomSharpness(1.5)
    with pytest.raises(ValueError, match="kernel_size must be an odd number. Received: kernel_size=4"):
        layers.RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match="Received: kernel_size=.3, 5, 7"):
        layers.RandomGaussianBlur(kernel_size=(3, 5, 7))
    with pytest.raises(ValueError, match=r"`sigma`.*\[0, 1\]. Received: sigma=2"):
        layers.RandomGaussianBlur(sigma=2)
    with pytest.raises(ValueError, match=r"`scale`.*Received: scale=.0.1, 0.2, 0.3"):
        layers.RandomErasing(scale=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="fill_value.*three numbers.*Received: fill_value=.1, 2"):
        layers.RandomErasing(fill_value=[1, 2])
