"""``tf.experimental.numpy``'s NumPy dtypes and ``experimental_enable_numpy_behavior``'s promotion and indexing,
checked against NumPy itself; each test that enables the behavior undoes it (it is process-wide)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
import ferroflow.experimental.numpy as tnp


@pytest.fixture
def numpy_behavior():
    tnp.experimental_enable_numpy_behavior()
    yield
    tnp._disable_numpy_behavior()


def test_creation_follows_numpy_dtypes():
    assert tnp.ones([2, 3]).dtype == tf.float64 and tnp.zeros([2]).dtype == tf.float64
    assert tnp.ones([2], dtype=tnp.float32).dtype == tf.float32
    for args in [(24,), (2, 9, 3), (0.5, 3.0), (5, 0, -2)]:
        got, want = tnp.arange(*args), np.arange(*args)
        assert got.dtype.as_numpy_dtype == want.dtype
        np.testing.assert_array_equal(got.numpy(), want)
    assert tnp.full([2], 3).dtype == tf.int64
    np.testing.assert_allclose(tnp.sqrt(32).numpy(), np.sqrt(32))
    assert tnp.sqrt(32).dtype == tf.float64 and tnp.exp(tnp.arange(3)).dtype == tf.float64
    assert tnp.sqrt(tf.constant(4.0)).dtype == tf.float32
    assert tnp.copy(tf.constant([1, 2])).numpy().tolist() == [1, 2]
    assert tnp.ndarray is tf.Tensor


def test_random_draws_float64_of_the_asked_shape():
    tnp.random.seed(3)
    a = tnp.random.randn(400, 5)
    assert a.shape == (400, 5) and a.dtype == tf.float64
    assert abs(float(np.mean(a))) < 0.1 and abs(float(np.std(a)) - 1) < 0.1
    u = tnp.random.uniform(2.0, 3.0, size=(1000,))
    assert u.dtype == tf.float64 and 2.0 <= float(np.min(u)) and float(np.max(u)) < 3.0
    assert tnp.random.rand(3, 2).shape == (3, 2) and tnp.random.standard_normal().shape == ()
    r = tnp.random.randint(5, size=[100])
    assert r.dtype == tf.int64 and set(np.asarray(r).tolist()) <= set(range(5))


@pytest.mark.parametrize("a", ["int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("b", ["int32", "int64", "float32", "float64"])
def test_operators_promote_as_numpy(numpy_behavior, a, b):
    x, y = tnp.asarray([1, 2], dtype=a), tnp.asarray([3, 4], dtype=b)
    want = np.array([1, 2], a) * np.array([3, 4], b)
    got = x * y
    assert got.dtype.as_numpy_dtype == want.dtype
    np.testing.assert_array_equal(got.numpy(), want)


def test_without_numpy_behavior_mixed_dtypes_raise():
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError)):
        tf.constant(1) + tf.constant(1, dtype=tf.int64)
    assert not hasattr(tf.constant(1.0), "astype")


def test_methods_and_data(numpy_behavior):
    x = tnp.ones([5, 3], dtype=tnp.float32)
    assert x.data is x and x.T.shape == (3, 5) and x.reshape(-1).shape == (15,)
    assert x.astype(tnp.float64).dtype == tf.float64 and x.ravel().shape == (15,)


@pytest.mark.parametrize(
    "index",
    [
        (1, None, slice(1, 3), Ellipsis),
        (slice(None), (True, False, True)),
        (1, (0, 0, 1), [0, 1, 1]),
        ([1, 0],),
        (Ellipsis, [3, 0]),
        (np.array([[0, 1], [1, 0]]), 2),
    ],
)
def test_indexing_as_numpy(numpy_behavior, index):
    base = np.arange(24).reshape(2, 3, 4)
    x = tnp.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(x[index].numpy(), base[index])
    t = tuple(tnp.asarray(p) if isinstance(p, list) else p for p in index)
    np.testing.assert_array_equal(x[t].numpy(), base[index])


def test_advanced_indexing_gradient(numpy_behavior):
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tnp.sum(x[:, (0, 2, 2)] ** 2)
    want = np.zeros((2, 3))
    for j in (0, 2, 2):
        want[:, j] += 2 * np.arange(6.0).reshape(2, 3)[:, j]
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want)


def test_numpy_interop_through_array():
    assert isinstance(np.sum(tnp.ones([2, 3])), np.float64)
    s = tnp.sum(np.ones([2, 3]))
    assert isinstance(s, tnp.ndarray) and float(s) == 6.0


def test_in_tf_function(numpy_behavior):
    @tf.function
    def sigmoid(y):
        return 1.0 / (1.0 + tnp.exp(-y))

    v = np.linspace(-3, 3, 7).astype(np.float32)
    np.testing.assert_allclose(sigmoid(tnp.asarray(v)).numpy(), 1 / (1 + np.exp(-v)), rtol=1e-6)
