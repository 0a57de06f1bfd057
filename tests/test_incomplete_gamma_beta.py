"""tf.math.igamma, igammac, betainc, zeta and polygamma.

Reference values (SciPy's Cephes functions, written here) in every branch (series, continued fractions,
reflection); identities on 32x128 tensors (P + Q = 1, the recurrences in a, the reflection of betainc,
zeta's shift by one); TensorFlow's edge values (NaN for invalid arguments, never an exception); gradients
as TensorFlow defines them against finite differences in float64, eagerly and inside tf.function.
"""

import math

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.ops.igamma_ops import igamma_grad_a
from gradcheck import check_gradient

NAN, INF = math.nan, math.inf
# fmt: off
IGAMMA = (  # a, x, P(a, x), Q(a, x)
    [0.01, 0.5, 1.0, 3.0, 3.0, 10.0, 50.0, 200.0, 0.7],
    [0.3, 0.001, 2.0, 0.5, 8.0, 11.0, 45.0, 210.0, 30.0],
    [0.9909276035782353, 0.035670591729679894, 0.8646647167633873, 0.014387677966970684, 0.986246032255997,
     0.6594893575343392, 0.24680203440017026, 0.7639696745011542, 0.9999999999999742],
    [0.009072396421765093, 0.9643294082703201, 0.1353352832366127, 0.9856123220330293, 0.013753967744002971,
     0.3405106424656608, 0.7531979655998298, 0.23603032549884584, 2.5736414806797698e-14],
)
BETAINC = (  # a, b, x, I_x(a, b)
    [0.5, 1.0, 2.0, 5.0, 20.0, 0.2, 300.0, 3.0, 80.0],
    [0.5, 3.0, 2.0, 1.5, 4.0, 0.3, 200.0, 90.0, 0.9],
    [0.2, 0.01, 0.5, 0.9, 0.7, 0.99, 0.6, 0.02, 0.999],
    [0.2951672353008665, 0.029701, 0.5, 0.7761721343162159, 0.05384382129762854, 0.8917401841503535,
     0.49757138368006865, 0.27966567471150894, 0.8968837270300453],
)
ZETA = (  # x, q, zeta(x, q)
    [2.0, 3.0, 1.5, 4.5, 10.0, 2.0, 3.0, 4.0, 60.0],
    [1.0, 2.0, 0.3, 12.0, 1.1, -1.5, -2.5, -0.7, 2.0],
    [1.6449340668482266, 0.2020569031595943, 8.237761671459724, 5.512466453444356e-05, 0.386155862080285,
     9.379246644989124, 0.0541020258208641, 128.0218920544754, 8.673617380119933e-19],
)
POLYGAMMA = (  # n, x, psi^(n)(x)
    [0, 1, 2, 3, 4, 1, 0, 2, 5],
    [0.5, 2.0, 7.5, 0.1, 30.0, -1.5, -2.5, -0.3, 3.0],
    [-1.9635100260214235, 0.6449340668482266, -0.02030525253664467, 60004.512876790235, -7.914941340181022e-06,
     9.379246644989124, 1.1031566406452433, 67.63908119988314, 0.2061674381338967],
)
# TensorFlow 2.21 at invalid and limiting arguments: NaN, never an error.
IGAMMA_EDGES = (
    [0.0, -1.0, 1.0, 1.0, NAN, 1.0, 0.0, INF, 2.0],
    [1.0, 1.0, 0.0, -1.0, 1.0, INF, 0.0, 1.0, INF],
    [NAN, NAN, 0.0, NAN, NAN, 1.0, 0.0, 0.0, 1.0],
    [NAN, NAN, 1.0, NAN, NAN, 0.0, NAN, 1.0, 0.0],
)
BETAINC_EDGES = ([1.0, 2.0, -1.0, 1.0, 1.0, 0.0, 1.0], [2.0, 3.0, 1.0, 0.0, 1.0, 1.0, 1.0],
                 [0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.0], [0.75, 0.6875, NAN, NAN, NAN, NAN, 0.0])
ZETA_EDGES = ([2.0, 3.0, 1.0, 0.5, 2.0, 3.0, 2.0, 2.0], [1.0, 2.0, 1.0, 1.0, -1.0, -1.0, 0.0, INF],
              [1.6449340668482266, 0.2020569031595943, INF, NAN, INF, NAN, INF, 0.0])
POLYGAMMA_EDGES = ([-1.0, 1.5, 0.0, 1.0, 2.0], [2.0, 2.0, 0.0, -2.0, -0.5], [NAN, NAN, NAN, INF, -0.8287966442343199])
# fmt: on

FUNCTIONS = {
    "igamma": (tf.math.igamma, IGAMMA[:2], IGAMMA[2]),
    "igammac": (tf.math.igammac, IGAMMA[:2], IGAMMA[3]),
    "betainc": (tf.math.betainc, BETAINC[:3], BETAINC[3]),
    "zeta": (tf.math.zeta, ZETA[:2], ZETA[2]),
    "polygamma": (tf.math.polygamma, POLYGAMMA[:2], POLYGAMMA[2]),
}
EDGES = {
    "igamma": (tf.math.igamma, IGAMMA_EDGES[:2], IGAMMA_EDGES[2]),
    "igammac": (tf.math.igammac, IGAMMA_EDGES[:2], IGAMMA_EDGES[3]),
    "betainc": (tf.math.betainc, BETAINC_EDGES[:3], BETAINC_EDGES[3]),
    "zeta": (tf.math.zeta, ZETA_EDGES[:2], ZETA_EDGES[2]),
    "polygamma": (tf.math.polygamma, POLYGAMMA_EDGES[:2], POLYGAMMA_EDGES[2]),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_values_against_reference(name):
    fn, args, want = FUNCTIONS[name]
    got = fn(*[tf.constant(a, tf.float64) for a in args])
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    got32 = tf.function(fn)(*[tf.constant(a, tf.float32) for a in args])
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), np.asarray(want, np.float32), rtol=3e-6, atol=1e-30)


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edges_give_nan_or_limits_as_tensorflow(name):
    fn, args, want = EDGES[name]
    np.testing.assert_allclose(fn(*[tf.constant(a, tf.float64) for a in args]).numpy(), want, rtol=1e-14)


def test_igamma_identities_on_a_realistic_batch():
    rng = np.random.default_rng(0)
    a = rng.uniform(0.05, 60.0, (32, 128))
    x = rng.gamma(a) * rng.uniform(0.3, 2.0, a.shape)
    p = tf.math.igamma(tf.constant(a), tf.constant(x)).numpy()
    q = tf.math.igammac(tf.constant(a), tf.constant(x)).numpy()
    np.testing.assert_allclose(p + q, 1.0, rtol=1e-13)
    # P(a + 1, x) = P(a, x) - x^a e^-x / Gamma(a + 1)
    term = np.exp(a * np.log(x) - x - np.vectorize(math.lgamma)(a + 1.0))
    p1 = tf.math.igamma(tf.constant(a + 1.0), tf.constant(x)).numpy()
    np.testing.assert_allclose(p1, p - term, rtol=1e-10, atol=1e-14)


def test_betainc_identities_on_a_realistic_batch():
    rng = np.random.default_rng(1)
    a, b = rng.uniform(0.1, 40.0, (32, 128)), rng.uniform(0.1, 40.0, (32, 128))
    x = rng.uniform(0.0, 1.0, (32, 128))
    i = tf.math.betainc(tf.constant(a), tf.constant(b), tf.constant(x)).numpy()
    reflected = tf.math.betainc(tf.constant(b), tf.constant(a), tf.constant(1.0 - x)).numpy()
    np.testing.assert_allclose(i + reflected, 1.0, rtol=1e-12, atol=1e-12)
    # I_x(a + 1, b) = I_x(a, b) - x^a (1 - x)^b / (a B(a, b))
    lbeta = np.vectorize(math.lgamma)(a) + np.vectorize(math.lgamma)(b) - np.vectorize(math.lgamma)(a + b)
    term = np.exp(a * np.log(x) + b * np.log1p(-x) - lbeta) / a
    up = tf.math.betainc(tf.constant(a + 1.0), tf.constant(b), tf.constant(x)).numpy()
    np.testing.assert_allclose(up, i - term, rtol=1e-9, atol=1e-13)


def test_zeta_and_polygamma_identities():
    rng = np.random.default_rng(2)
    s, q = rng.uniform(1.1, 12.0, (32, 128)), rng.uniform(0.05, 40.0, (32, 128))
    z, z1 = (
        tf.math.zeta(tf.constant(s), tf.constant(q)).numpy(),
        tf.math.zeta(tf.constant(s), tf.constant(q + 1)).numpy(),
    )
    np.testing.assert_allclose(z - z1, q**-s, rtol=1e-9)
    # psi^(n)(x + 1) = psi^(n)(x) + (-1)^n n! x^-(n+1)
    n = rng.integers(0, 5, (32, 128)).astype(np.float64)
    shift = (-1.0) ** n * np.vectorize(math.factorial)(n.astype(int)) * q ** -(n + 1)
    p0 = tf.math.polygamma(tf.constant(n), tf.constant(q)).numpy()
    p1 = tf.math.polygamma(tf.constant(n), tf.constant(q + 1)).numpy()
    np.testing.assert_allclose(p1, p0 + shift, rtol=1e-9, atol=1e-12)


def test_gradients_against_finite_differences():
    rng = np.random.default_rng(3)
    a, x = rng.uniform(0.3, 8.0, (3, 4)), rng.uniform(0.1, 10.0, (3, 4))
    for fn in (tf.math.igamma, tf.math.igammac):
        check_gradient(fn, a, x, wrt=0, rtol=1e-6)  # d/da, forward-mode through the series / fraction
        check_gradient(fn, a, x, wrt=1, rtol=1e-6)
        check_gradient(fn, a[:1], x, wrt=0, rtol=1e-6)  # a broadcast over rows: the gradient is summed
    b, u = rng.uniform(0.5, 6.0, (3, 4)), rng.uniform(0.05, 0.95, (3, 4))
    check_gradient(tf.math.betainc, a, b, u, wrt=2, rtol=1e-6)
    check_gradient(tf.math.zeta, a + 1.5, x + 0.5, wrt=1, rtol=1e-6)
    check_gradient(tf.math.polygamma, np.floor(a / 2), x + 1.0, wrt=1, rtol=1e-6)


def test_gradients_defined_where_tensorflow_defines_them():
    a, b, x = (
        tf.constant([2.0, 3.0], tf.float64),
        tf.constant([1.5, 4.0], tf.float64),
        tf.constant([0.3, 0.6], tf.float64),
    )
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b, x])
        i = tf.math.betainc(a, b, x)
        z = tf.math.zeta(a, x)
        p = tf.math.polygamma(a, x)
    assert tape.gradient(i, a) is None and tape.gradient(i, b) is None
    assert tape.gradient(z, a) is None and tape.gradient(p, a) is None
    np.testing.assert_allclose(tape.gradient(p, x).numpy(), tf.math.polygamma(a + 1, x).numpy())


def test_igamma_derivative_in_a_against_reference():
    a = [0.3, 1.0, 2.5, 9.0, 40.0]
    x = [0.2, 1.3, 2.0, 10.0, 37.0]
    want = [-1.023380307163535, -0.3642631808964403, -0.2745513221213969, -0.12085516670756746, -0.058365594329812254]
    got = igamma_grad_a(tf.constant(a, tf.float64), tf.constant(x, tf.float64)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-7)


def test_gradient_inside_tf_function():
    @tf.function
    def grads(a, x):
        with tf.GradientTape() as tape:
            tape.watch([a, x])
            y = tf.reduce_sum(tf.math.igamma(a, x))
        return tape.gradient(y, [a, x])

    a, x = tf.constant([0.5, 4.0], tf.float64), tf.constant([0.7, 3.0], tf.float64)
    da, dx = grads(a, x)
    np.testing.assert_allclose(da.numpy(), igamma_grad_a(a, x).numpy(), rtol=1e-12)
    pdf = np.exp((a.numpy() - 1) * np.log(x.numpy()) - x.numpy() - np.vectorize(math.lgamma)(a.numpy()))
    np.testing.assert_allclose(dx.numpy(), pdf, rtol=1e-12)


def test_broadcasting_python_numbers_and_dtype_errors():
    x = tf.constant([[0.5], [2.0]], tf.float64)
    out = tf.math.igamma(tf.constant([1.0, 2.0, 3.0], tf.float64), x)
    assert out.shape == (2, 3) and out.dtype == tf.float64
    assert tf.math.igamma(2.0, x).dtype == tf.float64  # a Python number takes the tensor's dtype
    assert tf.math.betainc(1.0, 2.0, tf.ones([3])).shape == (3,)
    with pytest.raises(TypeError, match="one dtype"):
        tf.math.igamma(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError, match="float32 or float64"):
        tf.math.zeta(1, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="inconsistent"):
        tf.math.betainc(tf.ones([2, 1]), tf.ones([3]), tf.ones([3]))
    assert tf.math.polygamma(tf.zeros([0]), tf.zeros([0])).shape == (0,)
