"""Complex dtypes: construction, NumPy conversion, casts, arithmetic, products and sums against NumPy, and
gradients with TensorFlow's convention (dL/dRe + i dL/dIm of a real loss) against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from complex_gradcheck import RNG, crandn, finite_difference, real_loss, tape_gradient, weights_for


def test_constants_round_trip_numpy_and_python_complex_numbers():
    z = crandn(2, 3)
    t = tf.constant(z)
    assert t.dtype == tf.complex128 and t.dtype.is_complex and not t.dtype.is_floating
    np.testing.assert_array_equal(t.numpy(), z)
    assert tf.constant(1 + 2j).dtype == tf.complex128
    assert tf.constant([1.0, 2.0], dtype=tf.complex64).numpy().dtype == np.complex64
    assert tf.complex64.real_dtype == tf.float32 and tf.complex128.real_dtype == tf.float64
    assert tf.as_dtype(np.complex64) == tf.complex64 and tf.dtypes.complex128 == tf.complex128
    with pytest.raises(TypeError):
        tf.constant(1 + 2j, dtype=tf.float32)


def test_complex_builds_from_parts_and_accessors_take_them_apart():
    re, im = RNG.standard_normal((3, 4)), RNG.standard_normal((4,))
    z = tf.complex(tf.constant(re), tf.constant(im))
    assert z.dtype == tf.complex128 and z.shape == (3, 4)
    np.testing.assert_allclose(z.numpy(), re + 1j * im)
    np.testing.assert_allclose(tf.math.real(z).numpy(), re)
    np.testing.assert_allclose(tf.math.imag(z).numpy(), np.broadcast_to(im, (3, 4)))
    np.testing.assert_allclose(tf.math.conj(z).numpy(), np.conj(re + 1j * im))
    np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle(re + 1j * im))
    np.testing.assert_allclose(tf.abs(z).numpy(), np.abs(re + 1j * im))
    assert tf.abs(z).dtype == tf.float64
    z32 = tf.complex(tf.constant(re, tf.float32), tf.constant(re, tf.float32))
    assert z32.dtype == tf.complex64 and tf.abs(z32).dtype == tf.float32
    with pytest.raises(TypeError):
        tf.complex(tf.constant(1.0), tf.constant(1.0, tf.float64))
    with pytest.raises(TypeError):
        tf.complex(tf.constant(1), tf.constant(1))


def test_casts_to_and_from_complex():
    z = crandn(5)
    t = tf.constant(z)
    np.testing.assert_allclose(tf.cast(t, tf.float32).numpy(), z.real.astype(np.float32))
    np.testing.assert_allclose(tf.cast(t, tf.complex64).numpy(), z.astype(np.complex64), rtol=1e-6)
    np.testing.assert_array_equal(tf.cast(tf.constant([1, -2]), tf.complex64).numpy(), [1 + 0j, -2 + 0j])


UNARY = {
    "neg": (tf.negative, np.negative),
    "square": (tf.square, np.square),
    "exp": (tf.exp, np.exp),
    "log": (tf.math.log, np.log),
    "sqrt": (tf.sqrt, np.sqrt),
    "rsqrt": (tf.math.rsqrt, lambda z: 1 / np.sqrt(z)),
    "tanh": (tf.tanh, np.tanh),
    "sigmoid": (tf.sigmoid, lambda z: 1 / (1 + np.exp(-z))),
    "reciprocal": (tf.math.reciprocal, np.reciprocal),
    "sin": (tf.sin, np.sin),
    "cos": (tf.cos, np.cos),
    "log1p": (tf.math.log1p, np.log1p),
    "expm1": (tf.math.expm1, np.expm1),
    "sign": (tf.sign, lambda z: z / np.abs(z)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_unary_ops_match_numpy(name, dtype):
    ours, reference = UNARY[name]
    z = crandn(3, 70, dtype=dtype)  # 210 elements: past the vectorised-loop block size
    got = ours(tf.constant(z)).numpy()
    assert got.dtype == dtype
    tol = 1e-5 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, reference(z.astype(np.complex128)), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"sign"}))
def test_unary_gradients_match_finite_differences(name):
    ours, _ = UNARY[name]
    z = crandn(2, 3)
    w = weights_for((2, 3))
    f = lambda x: real_loss(ours(x), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [z])[0], finite_difference(f, [z], 0), rtol=1e-5, atol=1e-6)


BINARY = {
    "add": (tf.add, np.add),
    "sub": (tf.subtract, np.subtract),
    "mul": (tf.multiply, np.multiply),
    "div": (tf.divide, np.divide),
    "pow": (tf.pow, np.power),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_broadcast_and_match_numpy_with_gradients(name):
    ours, reference = BINARY[name]
    a, b = crandn(2, 3), crandn(3)
    np.testing.assert_allclose(ours(tf.constant(a), tf.constant(b)).numpy(), reference(a, b), rtol=1e-12)
    w = weights_for((2, 3))
    f = lambda x, y: real_loss(ours(x, y), w)  # noqa: E731
    grads = tape_gradient(f, [a, b])
    for i in range(2):
        np.testing.assert_allclose(grads[i], finite_difference(f, [a, b], i), rtol=1e-5, atol=1e-6)


def test_python_numbers_take_the_complex_operands_dtype():
    t = tf.constant(crandn(3, dtype=np.complex64))
    assert (t * 2).dtype == tf.complex64 and (2.5 + t).dtype == tf.complex64
    np.testing.assert_allclose((t * (1 + 1j)).numpy(), t.numpy() * (1 + 1j), rtol=1e-6)


def test_equality_compares_and_ordering_is_a_type_error():
    a = tf.constant([1 + 1j, 2 + 0j])
    b = tf.constant([1 + 1j, 2 + 1j])
    np.testing.assert_array_equal(tf.equal(a, b).numpy(), [True, False])
    np.testing.assert_array_equal(tf.not_equal(a, b).numpy(), [False, True])
    with pytest.raises(TypeError, match="not defined for complex128"):
        tf.less(a, b)
    with pytest.raises(TypeError):
        tf.add(a, tf.constant([1.0, 2.0], tf.float64))


@pytest.mark.parametrize("shapes", [((3, 5), (5, 4)), ((2, 3, 64), (64, 33)), ((70, 130), (130, 9))])
def test_matmul_matches_numpy_and_adjoint_conjugates(shapes):
    a, b = crandn(*shapes[0]), crandn(*shapes[1])
    np.testing.assert_allclose(tf.matmul(a, b).numpy(), a @ b, rtol=1e-10)
    a32, b32 = a.astype(np.complex64), b.astype(np.complex64)
    np.testing.assert_allclose(tf.matmul(a32, b32).numpy(), a @ b, rtol=1e-3, atol=1e-3)
    if len(shapes[0]) == 2:
        at = np.conj(a.T).copy()
        np.testing.assert_allclose(tf.matmul(at, b, adjoint_a=True).numpy(), a @ b, rtol=1e-10)


def test_matmul_gradient_matches_finite_differences():
    a, b = crandn(3, 4), crandn(4, 2)
    w = weights_for((3, 2))
    f = lambda x, y: real_loss(tf.matmul(x, y), w)  # noqa: E731
    grads = tape_gradient(f, [a, b])
    for i in range(2):
        np.testing.assert_allclose(grads[i], finite_difference(f, [a, b], i), rtol=1e-5, atol=1e-6)


def test_reduce_sum_and_mean_match_numpy_with_gradients():
    z = crandn(4, 6)
    np.testing.assert_allclose(tf.reduce_sum(z, axis=1).numpy(), z.sum(1), rtol=1e-12)
    np.testing.assert_allclose(tf.reduce_mean(z).numpy(), z.mean(), rtol=1e-12)
    w = weights_for((6,))
    f = lambda x: real_loss(tf.reduce_mean(x, axis=0), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [z])[0], finite_difference(f, [z], 0), rtol=1e-5, atol=1e-7)
    with pytest.raises(TypeError):
        tf.reduce_max(z)


NON_HOLOMORPHIC = {
    "abs": tf.abs,
    "angle": tf.math.angle,
    "real": tf.math.real,
    "imag": tf.math.imag,
    "conj": tf.math.conj,
}


@pytest.mark.parametrize("name", sorted(NON_HOLOMORPHIC))
def test_non_holomorphic_gradients_follow_tensorflows_convention(name):
    z = crandn(2, 3)
    w = weights_for((2, 3))
    f = lambda x: real_loss(NON_HOLOMORPHIC[name](x), w)  # noqa: E731
    np.testing.assert_allclose(tape_gradient(f, [z])[0], finite_difference(f, [z], 0), rtol=1e-5, atol=1e-6)


def test_complex_gradient_reaches_both_real_parts():
    re, im = RNG.standard_normal((3,)), RNG.standard_normal((2, 3))
    w = weights_for((2, 3))
    f = lambda a, b: real_loss(tf.exp(tf.complex(a, b)), w)  # noqa: E731
    grads = tape_gradient(f, [re, im])
    for i in range(2):
        np.testing.assert_allclose(grads[i], finite_difference(f, [re, im], i), rtol=1e-5, atol=1e-6)


def test_shape_ops_and_graphs_carry_complex_tensors():
    z = crandn(2, 3, 4)
    t = tf.constant(z)
    np.testing.assert_array_equal(tf.reshape(t, [6, 4]).numpy(), z.reshape(6, 4))
    np.testing.assert_array_equal(tf.transpose(t, [2, 0, 1]).numpy(), z.transpose(2, 0, 1))
    np.testing.assert_array_equal(tf.concat([t, t], axis=1).numpy(), np.concatenate([z, z], 1))
    np.testing.assert_array_equal(tf.gather(t, [1, 0], axis=0).numpy(), z[[1, 0]])
    np.testing.assert_array_equal(t[:, 1, ::2].numpy(), z[:, 1, ::2])
    np.testing.assert_array_equal(tf.zeros_like(t).numpy(), np.zeros_like(z))

    @tf.function
    def f(x):
        return tf.reduce_sum(tf.abs(tf.exp(x) * x))

    np.testing.assert_allclose(f(t).numpy(), np.abs(np.exp(z) * z).sum(), rtol=1e-12)


def test_serialize_tensor_round_trips_complex():
    z = crandn(2, 2, dtype=np.complex64)
    back = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(z)), tf.complex64)
    np.testing.assert_array_equal(back.numpy(), z)


def test_variables_hold_complex_values():
    v = tf.Variable(crandn(3))
    v.assign_add(tf.constant(np.ones(3, np.complex128)))
    assert v.dtype == tf.complex128
