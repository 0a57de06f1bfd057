"""RandomShear and RandomPerspective: the transforms read back from coordinate images, outputs against NumPy
references (homography, bilinear resampling) and numbers Keras 3.15 computed for the same image; argument
errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.layers.preprocessing_projective import homography as layer_homography
from ferroflow.ops.image_transform_ops import image_projective_transform_v3
from image_augment_refs import bilinear_constant, homography, image, project

layers = tf.keras.layers
X = image()  # [2, 6, 7, 3] in [0, 255]


def coordinates(batch, h, w):
    """Two channels holding each pixel's column and row (bilinear reads of them give back coordinates)."""
    ys, xs = np.meshgrid(np.arange(h, dtype="float32"), np.arange(w, dtype="float32"), indexing="ij")
    return np.broadcast_to(np.stack([xs, ys], -1), (batch, h, w, 2)).copy()


def test_shear_reads_x_plus_sx_y_and_y_plus_sy_x_with_a_random_sign():
    h, w = 24, 20
    grid = coordinates(64, h, w)
    out = layers.RandomShear((0.3, 0.3), (0.2, 0.2), fill_mode="constant", fill_value=-1.0, seed=1)(grid).numpy()
    ys, xs = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    signs = []
    for img in out:
        sign = 1 if img[h - 1, 0, 0] > 0 else -1  # the bottom-left pixel reads x = 0.3 * 23 or outside
        source_x, source_y = xs + sign * 0.3 * ys, ys + sign * 0.2 * xs
        inside = (source_x >= 0) & (source_x <= w - 1) & (source_y >= 0) & (source_y <= h - 1)
        np.testing.assert_allclose(img[inside, 0], source_x[inside], atol=2e-3)
        np.testing.assert_allclose(img[inside, 1], source_y[inside], atol=2e-3)
        assert np.all(img[~inside] <= w - 1)
        signs.append(sign)
    assert 16 < signs.count(1) < 48
    # the layer against Keras 3.15's affine_transform of the same two shears (reflect fill)
    keras = {
        1: ([127.0, 164.0, 111.48, 130.12, 141.68, 98.08], [139.8, 177.9, 116.9]),
        -1: ([132.04, 110.24, 151.2, 147.76, 65.4, 102.4], [119.5, 135.3, 173.4]),
    }
    out = layers.RandomShear((0.3, 0.3), (0.2, 0.2), seed=2)(np.repeat(X, 8, 0)).numpy()
    for i, img in enumerate(out):
        matrices = {sign: [1, 0.3 * sign, 0, 0.2 * sign, 1, 0, 0, 0] for sign in (1, -1)}
        references = {
            sign: tf.keras.ops.image.affine_transform(X[i // 8], m, fill_mode="reflect").numpy()
            for sign, m in matrices.items()
        }
        sign = 1 if np.allclose(img, references[1], atol=1e-3) else -1
        np.testing.assert_allclose(img, references[sign], atol=1e-3)
        if i // 8:
            np.testing.assert_allclose(img[2, 3:5].ravel(), keras[sign][0], atol=1e-3)
        else:
            np.testing.assert_allclose(img[5, 6], keras[sign][1], atol=1e-3)


def test_shear_of_zero_and_a_number_factor():
    np.testing.assert_allclose(layers.RandomShear()(X).numpy(), X, atol=1e-4)  # default factors are 0
    layer = layers.RandomShear(0.4, seed=3)
    assert layer.x_factor == (-0.4, 0.4) and layer.y_factor == (0, 0)
    grid = coordinates(64, 16, 16)
    out = layer(grid).numpy()
    shear_x = (out[:, 10, 8, 0] - 8) / 10  # column 8 of row 10 reads x = 8 + s_x * 10
    assert shear_x.min() >= -0.4 - 1e-4 and shear_x.max() <= 0.4 + 1e-4 and np.ptp(shear_x) > 0.5
    np.testing.assert_allclose(out[..., 1], grid[..., 1], atol=1e-4)


def test_homography_takes_the_end_corners_to_the_start_corners():
    start = [[0, 0], [6, 0], [0, 5], [6, 5]]
    end = [[0, 0], [6.5, -0.4], [0.8, 4.2], [5.1, 5.9]]
    params = layer_homography(np.ravel(start).astype(float).tolist(), tf.constant([np.ravel(end)], tf.float32))
    keras = [1.6100545, -0.3066771, 0.0, 0.0528339, 0.8585507, 0.0, 0.1123632, -0.0857749]
    np.testing.assert_allclose(params.numpy()[0], keras, atol=2e-5)
    np.testing.assert_allclose(params.numpy()[0], homography(start, end), rtol=1e-4, atol=1e-5)
    for (sx, sy), (ex, ey) in zip(start, end):
        np.testing.assert_allclose(project(keras, ex, ey), (sx, sy), atol=1e-4)


def test_perspective_warps_by_a_homography_of_moved_corners():
    h, w = 12, 15
    rng = np.random.default_rng(0)
    values = rng.random((32, h, w, 1)).astype("float32") * 255
    ones = np.ones((32, h, w, 1), "float32")  # 1 where no neighbour read falls outside (and gives the fill)
    x = np.concatenate([coordinates(32, h, w), ones, values], -1)
    out = layers.RandomPerspective(factor=(1, 1), scale=0.4, fill_value=-7.0, seed=1)(x).numpy()
    start = np.array([[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]], "float64")
    ys, xs = np.meshgrid(np.arange(h, dtype="float64"), np.arange(w, dtype="float64"), indexing="ij")
    moved = []
    for img, value in zip(out, values):
        # the pixels read wholly inside recover the map; the corners it sends to `start` are the moved
        # corners, each coordinate start * (1 + m) for m in [-0.2, 0.2]
        inside = np.abs(img[..., 2] - 1) < 1e-5
        a = []
        for yy, xx in zip(ys[inside], xs[inside]):
            a.append([xx, yy, 1, 0, 0, 0, -img[int(yy), int(xx), 0] * xx, -img[int(yy), int(xx), 0] * yy])
            a.append([0, 0, 0, xx, yy, 1, -img[int(yy), int(xx), 1] * xx, -img[int(yy), int(xx), 1] * yy])
        b = np.stack([img[inside, 0], img[inside, 1]], -1).ravel()
        params = np.linalg.lstsq(np.array(a), b, rcond=None)[0]
        end = []
        for sx, sy in start:  # invert the map at each start corner by solving for the end corner
            m = np.array(
                [
                    [params[0] - sx * params[6], params[1] - sx * params[7]],
                    [params[3] - sy * params[6], params[4] - sy * params[7]],
                ]
            )
            end.append(np.linalg.solve(m, [sx - params[2], sy - params[5]]))
        end = np.array(end)
        ratio = np.divide(end, start, out=np.ones_like(end), where=start != 0) - 1
        assert np.all(np.abs(ratio) <= 0.2 + 2e-3)
        moved.append(ratio)
        # the value channel is the bilinear, constant-filled resampling through the same homography
        px, py = project(homography(start, end), xs, ys)
        np.testing.assert_allclose(img[..., 3], bilinear_constant(value, px, py, -7.0)[..., 0], atol=0.05)
    assert np.ptp(np.array(moved)) > 0.3
    np.testing.assert_allclose(np.array(moved)[:, 0], 0.0)  # the top-left corner stays


def test_perspective_of_scale_zero_and_the_choice_of_images():
    np.testing.assert_allclose(layers.RandomPerspective(factor=(1, 1), scale=0.0)(X).numpy(), X, atol=1e-4)
    # Keras 3.15's perspective_transform of this image, through the same homography
    params = layer_homography([0, 0, 6.0, 0, 0, 5.0, 6.0, 5.0], tf.constant([[0, 0, 6.5, -0.4, 0.8, 4.2, 5.1, 5.9]]))
    warped = image_projective_transform_v3(X[:1], params, [6, 7], 3.0, "BILINEAR").numpy()
    keras = [94.6925, 135.8332, 115.898, 102.2647, 141.7302, 108.1667]
    np.testing.assert_allclose(warped[0, 2, 3:5].ravel(), keras, atol=1e-3)
    np.testing.assert_allclose(warped[0, 5, 6], [67.0713, 84.6069, 102.1424], atol=1e-3)
    many = np.repeat(X, 40, 0)
    out = layers.RandomPerspective(factor=0.5, seed=2)(many).numpy()  # U(0, 0.5) then U(0, 1): one in four
    kept = np.all(out == many, axis=(1, 2, 3))
    assert 8 < (~kept).sum() < 35  # of 80


def test_bad_projective_arguments_name_what_was_expected():
    with pytest.raises(ValueError, match=r"\[0, 1.0\]. Received: input_number=1.5"):
        layers.RandomShear(x_factor=1.5)
    with pytest.raises(ValueError, match=r"Received: input_number=-0.3"):
        layers.RandomShear(x_factor=-0.3)  # one number must lie in [0, 1]
    with pytest.raises(ValueError, match=r"Received: input_number=-1.5"):
        layers.RandomShear(x_factor=(-1.5, 0.2))
    with pytest.raises(ValueError, match="Received: y_factor=.0.1, 0.2, 0.3"):
        layers.RandomShear(y_factor=(0.1, 0.2, 0.3))
    with pytest.raises(NotImplementedError, match="Unknown `fill_mode` mirror"):
        layers.RandomShear(0.1, fill_mode="mirror")
    with pytest.raises(NotImplementedError, match="Unknown `interpolation` bicubic"):
        layers.RandomPerspective(interpolation="bicubic")
    with pytest.raises(ValueError, match=r"`scale`.*\[0,1\]. Received: scale=1.5"):
        layers.RandomPerspective(scale=1.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]. Received: factor=-0.5"):
        layers.RandomPerspective(factor=-0.5)
