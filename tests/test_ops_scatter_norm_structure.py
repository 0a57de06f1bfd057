"""Scatter, mask, norm and structural ops against NumPy, with finite-difference gradients and bad input."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(3)


def test_scatter_nd_and_tensor_scatters_match_numpy():
    indices = [[4], [3], [1], [7]]
    updates = [9.0, 10.0, 11.0, 12.0]
    np.testing.assert_array_equal(tf.scatter_nd(indices, updates, [8]).numpy(), [0, 11, 0, 10, 9, 0, 0, 12])
    slices = tf.scatter_nd([[0], [2]], np.ones((2, 4, 4)), [4, 4, 4]).numpy()
    assert slices[0].sum() == 16 and slices[2].sum() == 16 and slices[1].sum() == 0
    np.testing.assert_array_equal(tf.scatter_nd([[1], [1]], [1.0, 2.0], [3]).numpy(), [0, 3, 0])  # repeats add
    t = np.arange(8.0)
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_add(t, indices, updates).numpy(), t + [0, 11, 0, 10, 9, 0, 0, 12]
    )
    np.testing.assert_array_equal(tf.tensor_scatter_nd_sub(t, [[0]], [5.0]).numpy(), t - [5, 0, 0, 0, 0, 0, 0, 0])
    got = tf.tensor_scatter_nd_update(t, [[1], [1], [6]], [7.0, 8.0, 9.0]).numpy()
    np.testing.assert_array_equal(got, [0, 8, 2, 3, 4, 5, 9, 7])  # the last of repeated indices wins
    m = rng.standard_normal((3, 4))
    want = m.copy()
    want[1, 2], want[0, 0] = 5.0, -1.0
    np.testing.assert_array_equal(tf.tensor_scatter_nd_update(m, [[1, 2], [0, 0]], [5.0, -1.0]).numpy(), want)


def test_scatter_gradients():
    m = rng.standard_normal((3, 4))
    idx = [[1, 2], [0, 0], [1, 2]]
    check_gradient(lambda u: tf.scatter_nd(idx, u, [3, 4]), rng.standard_normal(3))
    check_gradient(lambda t: tf.tensor_scatter_nd_update(t, [[1, 2], [0, 0]], tf.constant([5.0, -1.0], tf.float64)), m)
    check_gradient(lambda u: tf.tensor_scatter_nd_update(tf.constant(m), [[1, 2], [0, 0]], u), np.array([5.0, -1.0]))
    check_gradient(lambda t: tf.tensor_scatter_nd_add(t, idx, tf.ones([3], tf.float64)), m)


def test_boolean_mask_matches_numpy_with_gradients():
    x = rng.standard_normal((4, 3, 2))
    mask = np.array([True, False, True, True])
    np.testing.assert_array_equal(tf.boolean_mask(x, mask).numpy(), x[mask])
    mask2 = rng.random((4, 3)) < 0.5
    np.testing.assert_array_equal(tf.boolean_mask(x, mask2).numpy(), x[mask2])
    np.testing.assert_array_equal(tf.boolean_mask(x, [True, False, True], axis=1).numpy(), x[:, [0, 2]])
    check_gradient(lambda t: tf.boolean_mask(t, mask2), x)


@pytest.mark.parametrize("ord_,axis", [("euclidean", None), (1, 0), (2, 1), (np.inf, None), (3, -1), ("fro", [0, 1])])
def test_norms_match_numpy(ord_, axis):
    x = rng.standard_normal((5, 4))
    np_ord = None if ord_ in ("euclidean", "fro") else ord_
    if axis is None:
        want = np.linalg.norm(x.reshape(-1), ord=np_ord)
    elif isinstance(axis, list):
        want = np.linalg.norm(x, ord="fro")
    else:
        want = np.linalg.norm(x, ord=np_ord, axis=axis)
    np.testing.assert_allclose(tf.norm(x, ord=ord_, axis=axis).numpy(), want, rtol=1e-12)
    if ord_ != np.inf:
        check_gradient(lambda t: tf.norm(t, ord=ord_, axis=axis), x)


def test_clipping_by_norm_and_global_norm():
    x = np.array([[3.0, 4.0]])
    np.testing.assert_allclose(tf.clip_by_norm(x, 1.0).numpy(), [[0.6, 0.8]])
    np.testing.assert_allclose(tf.clip_by_norm(x, 10.0).numpy(), x)
    np.testing.assert_allclose(
        tf.clip_by_norm(np.array([[3.0, 4.0], [0.3, 0.4]]), 1.0, axes=1).numpy(), [[0.6, 0.8], [0.3, 0.4]]
    )
    grads = [np.array([3.0, 0.0]), None, np.array([[4.0]])]
    clipped, norm = tf.clip_by_global_norm(grads, 2.5)
    assert float(norm) == 5.0 and clipped[1] is None
    np.testing.assert_allclose(clipped[0].numpy(), [1.5, 0.0])
    np.testing.assert_allclose(clipped[2].numpy(), [[2.0]])
    same, _ = tf.clip_by_global_norm(grads, 10.0)
    np.testing.assert_allclose(same[0].numpy(), grads[0])
    assert float(tf.linalg.global_norm([np.ones(4), np.ones(5)])) == 3.0
    check_gradient(lambda t: tf.clip_by_norm(t, 1.0), rng.standard_normal((2, 3)) * 3)


def test_structural_ops():
    assert tf.is_tensor(tf.constant(1)) and tf.is_tensor(tf.Variable(1.0)) and not tf.is_tensor(np.ones(2))
    assert tf.is_tensor(tf.ragged.constant([[1], []]))
    np.testing.assert_array_equal(tf.get_static_value(tf.constant([1, 2])), [1, 2])
    assert tf.ensure_shape(tf.zeros([2, 3]), [None, 3]).shape == (2, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not compatible"):
        tf.ensure_shape(tf.zeros([2, 3]), [None, 4])
    assert tf.broadcast_static_shape(tf.TensorShape([3, 1]), tf.TensorShape([1, 4])) == [3, 4]
    assert tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([5])) == [None, 5]
    with pytest.raises(ValueError, match="Incompatible"):
        tf.broadcast_static_shape(tf.TensorShape([3]), tf.TensorShape([4]))
    np.testing.assert_array_equal(tf.broadcast_dynamic_shape([2, 1, 3], [4, 1]).numpy(), [2, 4, 3])
    np.testing.assert_array_equal(
        tf.sequence_mask([1, 3, 2], 5).numpy(),
        [[True, False, False, False, False], [True, True, True, False, False], [True, True, False, False, False]],
    )
    assert tf.sequence_mask([[1, 3], [2, 0]]).shape == (2, 2, 3)
    assert tf.sequence_mask([1, 2], dtype=tf.float32).dtype == tf.float32
    assert tf.no_op() is None
    a, b = tf.tuple([tf.constant(1), tf.constant(2)])
    assert int(a) == 1 and int(b) == 2


@pytest.mark.parametrize(
    "a_shape,b_shape,axes",
    [
        ((3, 4, 5), (4, 5, 6), 2),
        ((3, 4), (4, 2), 1),
        ((2, 3), (3, 2), [[0], [1]]),
        ((2, 3, 4), (4, 3), [[1, 2], [1, 0]]),
        ((3,), (4,), 0),
    ],
)
def test_tensordot_matches_numpy(a_shape, b_shape, axes):
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    np.testing.assert_allclose(tf.tensordot(a, b, axes).numpy(), np.tensordot(a, b, axes), rtol=1e-12)
    check_gradient(lambda t: tf.tensordot(t, b, axes), a)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.scatter_nd([[5]], [1.0], [3]), tf.errors.InvalidArgumentError, "out of bounds"),
        (lambda: tf.scatter_nd([[0]], [1.0, 2.0], [3]), ValueError, "updates must have shape"),
        (lambda: tf.scatter_nd([[0.5]], [1.0], [3]), TypeError, "int32 or int64"),
        (lambda: tf.boolean_mask(np.ones((3, 2)), [True, False]), ValueError, "does not match"),
        (lambda: tf.boolean_mask(np.ones(3), [1, 0, 1]), TypeError, "bool mask"),
        (lambda: tf.norm(np.ones((2, 2)), ord=1, axis=[0, 1]), ValueError, "matrix norms"),
        (lambda: tf.tensordot(np.ones((2, 3)), np.ones((4, 2)), 1), ValueError, "differ"),
        (lambda: tf.sequence_mask([1.5]), TypeError, "integer lengths"),
    ],
)
def test_bad_input_raises(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_ensure_shape_and_set_shape_refine_static_shapes_in_graphs():
    seen = {}

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def f(x):
        y = tf.ensure_shape(x, [None, 3])
        seen["y"] = y.shape.as_list()
        z = x * 2
        z.set_shape([2, None])
        seen["z"] = z.shape.as_list()
        return tf.reduce_sum(y, axis=1) + tf.reduce_sum(z)

    np.testing.assert_allclose(f(np.ones((2, 3), np.float32)).numpy(), [15.0, 15.0])
    assert seen == {"y": [None, 3], "z": [2, None]}
    # the check runs with each value, naming both shapes as TensorFlow does
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Shape of tensor \(2, 4\) .* expected shape \[\?,3\]"):
        f(np.ones((2, 4), np.float32))

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def g(x):
        with pytest.raises(ValueError, match="incompatible|not compatible"):
            tf.ensure_shape(x, [None, 4])
        with pytest.raises(ValueError, match="not compatible"):
            x.set_shape([None, 5])
        return tf.ensure_shape(x, [2, None])

    assert g(np.ones((2, 3), np.float32)).shape == (2, 3)
    # gradients flow through the check unchanged
    x = tf.Variable(np.ones((2, 3), np.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.function(lambda v: tf.ensure_shape(v * 3.0, [None, 3]))(x))
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), np.full((2, 3), 3.0))
