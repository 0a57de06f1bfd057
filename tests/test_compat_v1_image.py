"""``tf.compat.v1.image``: TF1's resizing (legacy sampling, ``align_corners``, ``half_pixel_centers``, Keys
bicubic from TensorFlow's 1024-step kernel table, ``resize_images`` methods 0-3 and its same-size shortcut,
``resize_image_with_pad``), and TF1's signatures of ``crop_and_resize`` / ``transpose_image``; values as
TensorFlow 2.21 gives them, also in a Session. The file passes unchanged under TensorFlow 2.21 with the
import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
IMG = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], np.float32).reshape(1, 2, 3, 1)

EXPECTED = {
    ("resize_bilinear", False, False): [
        [1.0, 1.6, 2.4, 3.6, 4.0],
        [2.333334, 3.333334, 4.666667, 6.666667, 7.333334],
        [3.0, 4.2, 5.8, 8.2, 9.0],
    ],
    ("resize_bilinear", True, False): [
        [1.0, 1.5, 2.0, 3.0, 4.0],
        [2.0, 2.75, 3.5, 5.0, 6.5],
        [3.0, 4.0, 5.0, 7.0, 9.0],
    ],
    ("resize_bilinear", False, True): [[1.0, 1.4, 2.0, 3.2, 4.0], [2.0, 2.6, 3.5, 5.3, 6.5], [3.0, 3.8, 5.0, 7.4, 9.0]],
    ("resize_bicubic", False, False): [
        [1.0, 1.395637, 2.448434, 3.671654, 4.21593],
        [2.371076, 3.037936, 4.812465, 6.87425, 7.791647],
        [3.222222, 4.057456, 6.280027, 8.862382, 10.011407],
    ],
    ("resize_bicubic", True, False): [
        [1.0, 1.3125, 2.0, 3.09375, 4.0],
        [2.0, 2.46875, 3.5, 5.140625, 6.5],
        [3.0, 3.625, 5.0, 7.1875, 9.0],
    ],
    ("resize_bicubic", False, True): [
        [0.797673, 1.112518, 1.802333, 3.05632, 3.811654],
        [1.886712, 2.392292, 3.5, 5.513658, 6.726576],
        [2.97575, 3.672065, 5.197666, 7.970994, 9.641497],
    ],
    ("resize_nearest_neighbor", False, False): [[1, 1, 2, 2, 4], [1, 1, 2, 2, 4], [3, 3, 5, 5, 9]],
    ("resize_nearest_neighbor", True, False): [[1, 2, 2, 4, 4], [3, 5, 5, 9, 9], [3, 5, 5, 9, 9]],
    ("resize_nearest_neighbor", False, True): [[1, 1, 2, 4, 4], [3, 3, 5, 9, 9], [3, 3, 5, 9, 9]],
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_tf1_resize_ops(key):
    fn, align_corners, half_pixel = key
    out = getattr(v1.image, fn)(IMG, (3, 5), align_corners=align_corners, half_pixel_centers=half_pixel)
    np.testing.assert_allclose(out.numpy()[0, :, :, 0], EXPECTED[key], rtol=1e-5, atol=1e-5)


def test_resize_images_methods_and_dtypes():
    area = v1.image.resize_images(IMG[0], (3, 5), method=v1.image.ResizeMethod.AREA)
    np.testing.assert_allclose(
        area.numpy()[:, :, 0],
        [
            [1.0, 1.333333, 2.0, 3.333334, 3.999999],
            [2.0, 2.5, 3.5, 5.5, 6.499999],
            [3.0, 3.666667, 4.999999, 7.666666, 8.999997],
        ],
        rtol=1e-5,
    )
    bilinear = v1.image.resize(IMG[0], (3, 5))
    np.testing.assert_allclose(bilinear.numpy()[:, :, 0], EXPECTED[("resize_bilinear", False, False)], rtol=1e-5)
    as_bytes = (IMG * 20).astype(np.uint8)
    assert v1.image.resize_images(as_bytes, (2, 3)).dtype == tf.uint8  # already that size: returned unchanged
    assert v1.image.resize_images(as_bytes, (4, 4), method=1).dtype == tf.uint8
    assert v1.image.resize_images(as_bytes, (4, 4)).dtype == tf.float32
    assert v1.image.resize_images(IMG, (20, 10), preserve_aspect_ratio=True).shape == (1, 7, 10, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="align_corners must be False"):
        v1.image.resize_bilinear(IMG, (3, 5), align_corners=True, half_pixel_centers=True)


def test_resize_in_a_session():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2, 3, 1])
        y = v1.image.resize_bilinear(x, [3, 5], align_corners=True)
        with v1.Session() as sess:
            out = sess.run(y, {x: np.concatenate([IMG, 2 * IMG])})
    np.testing.assert_allclose(out[1, :, :, 0], 2 * np.array(EXPECTED[("resize_bilinear", True, False)]), rtol=1e-6)


def test_resize_image_with_pad_crop_and_resize_transpose():
    padded = v1.image.resize_image_with_pad(np.ones((4, 2, 1), np.float32), 4, 4)
    assert padded.numpy()[:, :, 0].tolist() == [[0.0, 1.0, 1.0, 0.0]] * 4
    crops = v1.image.crop_and_resize(IMG, [[0.0, 0.0, 1.0, 1.0]], box_ind=[0], crop_size=[2, 2])
    assert crops.numpy()[0, :, :, 0].tolist() == [[1.0, 4.0], [3.0, 9.0]]
    assert v1.image.transpose_image(IMG[0]).shape == (3, 2, 1)
