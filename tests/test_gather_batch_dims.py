"""tf.gather with batch_dims: TensorFlow's shapes and values (a per-batch np.take reference), eagerly and
traced, its gradient against finite differences, and bad batch_dims/axis combinations."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient


def reference(p, i, b, a):
    out = np.empty(p.shape[:a] + i.shape[b:] + p.shape[a + 1 :], p.dtype)
    for batch in np.ndindex(*p.shape[:b]):
        out[batch] = np.take(p[batch], i[batch], axis=a - b)
    return out


CASES = [
    ((2, 3, 4), (2, 2), 1, 1),
    ((2, 3, 4), (2, 5), 1, 2),
    ((2, 3, 4, 5), (2, 3, 2), 2, 2),
    ((2, 3, 4, 5), (2, 3, 2), 2, 3),
    ((2, 3, 4, 5), (2, 7), 1, 3),
    ((2, 3), (2,), 1, 1),
    ((32, 50, 16), (32, 10), 1, 1),  # a batch of sequences, ten positions each
]


@pytest.mark.parametrize("pshape, ishape, b, a", CASES)
def test_values_match_tensorflow_semantics(pshape, ishape, b, a):
    rng = np.random.default_rng(0)
    p = rng.normal(size=pshape).astype(np.float32)
    i = rng.integers(0, pshape[a], size=ishape)
    want = reference(p, i, b, a)
    np.testing.assert_array_equal(tf.gather(p, i, batch_dims=b, axis=a).numpy(), want)
    traced = tf.function(lambda pp, ii: tf.gather(pp, ii, batch_dims=b, axis=a))
    np.testing.assert_array_equal(traced(tf.constant(p), tf.constant(i)).numpy(), want)


def test_negative_batch_dims_and_default_axis():
    rng = np.random.default_rng(1)
    p = rng.normal(size=(4, 6, 3))
    i = rng.integers(0, 6, size=(4, 2))
    np.testing.assert_array_equal(tf.gather(p, i, batch_dims=-1).numpy(), reference(p, i, 1, 1))


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    p0 = rng.normal(size=(3, 5, 4))
    i = rng.integers(0, 4, size=(3, 6))
    w = rng.normal(size=(3, 5, 6))

    def loss_np(p):
        return np.sum(reference(p, i, 1, 2) * w)

    p = tf.constant(p0)
    with tf.GradientTape() as tape:
        tape.watch(p)
        loss = tf.reduce_sum(tf.gather(p, i, batch_dims=1, axis=2) * w)
    np.testing.assert_allclose(tape.gradient(loss, p).numpy(), numeric_gradient(loss_np, p0), rtol=1e-6, atol=1e-8)


def test_bad_batch_dims():
    p, i = np.zeros((2, 3)), np.zeros((2,), np.int64)
    with pytest.raises(ValueError, match="batch_dims"):
        tf.gather(p, i, batch_dims=2)
    with pytest.raises(ValueError, match="less than or equal to axis"):
        tf.gather(np.zeros((2, 3, 4)), np.zeros((2, 3), np.int64), batch_dims=2, axis=1)
