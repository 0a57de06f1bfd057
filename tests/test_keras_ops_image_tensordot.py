"""``keras.ops.image.resize``, ``keras.ops.image.extract_patches`` and ``keras.ops.tensordot`` (used by keras.io's
Vision Transformer and collaborative-filtering examples). Expected values recorded with Keras 3.15 on
TensorFlow 2.21."""

import numpy as np
import pytest

from ferroflow.keras import ops

IMG = np.arange(2 * 4 * 6 * 3).reshape(2, 4, 6, 3).astype("float32")


def test_resize_bilinear_and_nearest():
    r = ops.image.resize(IMG, (2, 3))
    assert r.dtype == "float32" and tuple(r.shape) == (2, 2, 3, 3)
    np.testing.assert_allclose(r.numpy()[0, :, :, 0], [[10.5, 16.5, 22.5], [46.5, 52.5, 58.5]])
    r = ops.image.resize(IMG, (2, 3), interpolation="nearest")
    np.testing.assert_array_equal(r.numpy()[0, :, :, 0], [[21.0, 27.0, 33.0], [57.0, 63.0, 69.0]])
    assert tuple(ops.image.resize(IMG[0], (2, 3)).shape) == (2, 3, 3)


def test_resize_of_integer_images_rounds_back_to_their_dtype():
    r = ops.image.resize(IMG.astype("uint8"), (8, 12))
    assert r.dtype == "uint8" and tuple(r.shape) == (2, 8, 12, 3)
    np.testing.assert_array_equal(r.numpy()[0, :2, :3, 0], [[0, 1, 2], [4, 5, 7]])


def test_resize_channels_first_matches_channels_last():
    first = ops.image.resize(np.transpose(IMG, (0, 3, 1, 2)), (2, 3), data_format="channels_first")
    np.testing.assert_allclose(np.transpose(first.numpy(), (0, 2, 3, 1)), ops.image.resize(IMG, (2, 3)).numpy())


def test_resize_rejects_an_unknown_interpolation():
    with pytest.raises(ValueError, match="Invalid value for argument `interpolation`"):
        ops.image.resize(IMG, (2, 3), interpolation="cubic")


def test_extract_patches():
    p = ops.image.extract_patches(IMG, size=2)
    assert tuple(p.shape) == (2, 2, 3, 12) and p.dtype == "float32"
    np.testing.assert_array_equal(p.numpy()[0, 0, 1], [6, 7, 8, 9, 10, 11, 24, 25, 26, 27, 28, 29])
    p = ops.image.extract_patches(IMG, size=(2, 3), strides=(1, 2))
    assert tuple(p.shape) == (2, 3, 2, 18)
    np.testing.assert_array_equal(p.numpy()[1, 2, 1, :6], [114, 115, 116, 117, 118, 119])
    p = ops.image.extract_patches(IMG, size=3, padding="same")
    assert tuple(p.shape) == (2, 2, 2, 27)
    np.testing.assert_array_equal(p.numpy()[0, 1, 1, :4], [45, 46, 47, 48])
    assert tuple(ops.image.extract_patches(IMG[0], size=2).shape) == (2, 3, 12)


def test_tensordot():
    a = np.arange(24, dtype="float32").reshape(2, 3, 4)
    b = np.arange(24, dtype="float32").reshape(3, 4, 2)
    t = ops.tensordot(a, b, 2)
    assert t.dtype == "float32"
    np.testing.assert_array_equal(t.numpy(), [[1012.0, 1078.0], [2596.0, 2806.0]])
    np.testing.assert_array_equal(t.numpy(), np.tensordot(a, b, 2))
    assert tuple(ops.tensordot(a, b, axes=([1], [0])).shape) == (2, 4, 4, 2)
    mixed = ops.tensordot(np.ones((2, 3), "int32"), np.ones((3,), "float32"), 1)
    assert mixed.dtype == "float32"
    np.testing.assert_array_equal(mixed.numpy(), [3.0, 3.0])
    u = np.arange(6, dtype="float32").reshape(2, 3)
    assert float(ops.tensordot(u, u, 2)) == 55.0


def test_tensordot_with_a_batch_of_unknown_size_in_a_graph():
    # keras.io's RecommenderNet contracts over the batch axis too (tensordot(u, m, 2) of two (None, 50) inputs).
    import ferroflow as tf

    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3]), tf.TensorSpec([None, 3, 2])])
    def f(x, y):
        pair = tf.tensordot(x, y, [[1], [1]])
        seen.append((tuple(pair.shape), tuple(tf.tensordot(x, x, 2).shape)))
        return tf.tensordot(x, x, 2), pair, ops.tensordot(y, x, [[0, 1], [0, 1]])

    a = np.arange(6, dtype="float32").reshape(2, 3)
    b = np.arange(12, dtype="float32").reshape(2, 3, 2)
    full, pair, back = f(a, b)
    assert seen == [((None, None, 2), ())]  # TensorFlow's static shapes
    np.testing.assert_allclose(full.numpy(), np.tensordot(a, a, 2))
    np.testing.assert_allclose(pair.numpy(), np.tensordot(a, b, [[1], [1]]))
    np.testing.assert_allclose(back.numpy(), np.tensordot(b, a, [[0, 1], [0, 1]]))
