"""tf.math.special: Bessel J/Y/K, Dawson, exponential, Fresnel and Spence integrals.

One table row per function: reference values (computed with SciPy's Cephes functions and written here) at
points in every branch of the approximation, the derivative TensorFlow defines, and TensorFlow's values at
the edges (0, inf, NaN, negative arguments). Values are checked in float64 and float32, eagerly and inside
tf.function; the derivative of the values themselves (central differences) against the closed form on a
32x128 grid; the tape's gradient against finite differences in float64.
"""

import math

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

sp = tf.math.special

# name: (points, reference values, derivative(x, value) in NumPy, domain of the 32x128 grid)
TABLE = {
    "bessel_j0": (
        [-12.5, -3.0, 1e-06, 0.7, 2.0, 4.9, 5.1, 30.0],
        [
            0.14688405470042093,
            -0.2600519549019335,
            0.99999999999975,
            0.8812008886074052,
            0.22389077914123562,
            -0.20973832758532618,
            -0.14433474706050067,
            -0.08636798358104031,
        ],
        lambda x, y: -sp.bessel_j1(x).numpy(),
        (-40.0, 40.0),
    ),
    "bessel_j1": (
        [-12.5, -3.0, 1e-06, 0.7, 2.0, 4.9, 5.1, 30.0],
        [
            0.16548380461475956,
            -0.33905895852593654,
            4.999999999999375e-07,
            0.3289957415400589,
            0.5767248077568734,
            -0.3146946710151907,
            -0.33709720201823185,
            -0.11875106261662305,
        ],
        lambda x, y: sp.bessel_j0(x).numpy() - y / x,
        (0.05, 40.0),
    ),
    "bessel_y0": (
        [1e-06, 0.3, 1.0, 2.5, 4.9, 5.1, 12.0, 60.0],
        [
            -8.869031481659443,
            -0.8072735778045195,
            0.08825696421567697,
            0.498070359615232,
            -0.29205459424401364,
            -0.3216024491248595,
            -0.2252373126343615,
            0.047358952209449155,
        ],
        lambda x, y: -sp.bessel_y1(x).numpy(),
        (0.05, 40.0),
    ),
    "bessel_y1": (
        [1e-06, 0.3, 1.0, 2.5, 4.9, 5.1, 12.0, 60.0],
        [
            -636619.772372175,
            -2.2931051383885293,
            -0.7812128213002888,
            0.14591813796678577,
            0.18124669204504856,
            0.11373644197749971,
            -0.057099218260896756,
            0.09186960936986693,
        ],
        lambda x, y: sp.bessel_y0(x).numpy() - y / x,
        (0.05, 40.0),
    ),
    "bessel_k0": (
        [1e-06, 0.3, 1.0, 1.99, 2.01, 5.0, 20.0, 300.0],
        [
            13.93144207362641,
            1.3724600605442983,
            0.42102443824070823,
            0.11530176755177687,
            0.11250436099872804,
            0.0036910983340425942,
            5.741237815336524e-10,
            3.723694854889142e-132,
        ],
        lambda x, y: -sp.bessel_k1(x).numpy(),
        (0.05, 30.0),
    ),
    "bessel_k0e": (
        [1e-06, 0.3, 1.0, 1.99, 2.01, 5.0, 20.0, 300.0],
        [
            13.931456005075448,
            1.8526273007720155,
            1.1444630798068947,
            0.8434939733789935,
            0.8396557490908679,
            0.547807564313519,
            0.2785448766571822,
            0.0723300317396073,
        ],
        lambda x, y: y - sp.bessel_k1e(x).numpy(),
        (0.05, 30.0),
    ),
    "bessel_k1": (
        [1e-06, 0.3, 1.0, 1.99, 2.01, 5.0, 20.0, 300.0],
        [
            999999.9999927843,
            3.055992033457325,
            0.6019072301972346,
            0.1417175616224013,
            0.1380408773192077,
            0.004044613445452163,
            5.883057969557038e-10,
            3.7298958583323724e-132,
        ],
        lambda x, y: -sp.bessel_k0(x).numpy() - y / x,
        (0.05, 30.0),
    ),
    "bessel_k1e": (
        [1e-06, 0.3, 1.0, 1.99, 2.01, 5.0, 20.0, 300.0],
        [
            1000000.9999932843,
            4.12515776224447,
            1.636153486263258,
            1.0367396067608632,
            1.0302428743356034,
            0.6002738587883125,
            0.28542549694072644,
            0.0724504816672584,
        ],
        lambda x, y: -sp.bessel_k0e(x).numpy() - y * (1.0 / x - 1.0),
        (0.05, 30.0),
    ),
    "dawsn": (
        [-7.0, -1.0, 0.0001, 0.9, 3.2, 3.3, 6.3, 50.0],
        [
            -0.0721809746582363,
            -0.5380795069127684,
            9.999999933333335e-05,
            0.5407243187262987,
            0.16546199987867524,
            0.15978858047449507,
            0.08040529489538835,
            0.010002001201201684,
        ],
        lambda x, y: 1.0 - 2.0 * x * y,
        (-12.0, 12.0),
    ),
    "expint": (
        [1e-05, 0.5, 1.9, 3.0, 6.0, 12.0, 25.0, 100.0],
        [
            -10.935699800043695,
            0.45421990486317354,
            4.593713686953585,
            9.933832570625416,
            85.98976214243922,
            14959.532666397537,
            3005950906.5255475,
            2.71555274485388e41,
        ],
        lambda x, y: np.exp(x) / x,
        (0.05, 80.0),
    ),
    "fresnel_cos": (
        [-3.0, -0.5, 0.001, 0.9, 1.59, 1.61, 7.3, 100.0],
        [
            -0.6057207892976857,
            -0.4923442258714464,
            0.0009999999999997533,
            0.7648230212733264,
            0.37202645922223937,
            0.3592841534732351,
            0.5392680156584624,
            0.4999998986788179,
        ],
        lambda x, y: np.cos(0.5 * np.pi * x * x),
        (-4.0, 4.0),
    ),
    "fresnel_sin": (
        [-3.0, -0.5, 0.001, 0.9, 1.59, 1.61, 7.3, 100.0],
        [
            -0.496312998967375,
            -0.06473243285999929,
            5.235987755982066e-10,
            0.3397763443931403,
            0.6464297519859867,
            0.6310253086563824,
            0.5189473278581443,
            0.49681690114783755,
        ],
        lambda x, y: np.sin(0.5 * np.pi * x * x),
        (-4.0, 4.0),
    ),
    "spence": (
        [0.0001, 0.3, 0.6, 1.2, 1.6, 2.5, 10.0, 10000.0],
        [
            1.6439129842561455,
            0.8893776242860385,
            0.44928297447128196,
            -0.19080013777753554,
            -0.5281071740446668,
            -1.1473806603755703,
            -3.950663778244157,
            -44.05909786808332,
        ],
        lambda x, y: np.log(x) / (1.0 - x),
        (0.05, 20.0),
    ),
}

INF, NAN = math.inf, math.nan
EDGE_POINTS = [0.0, -2.0, INF, -INF, NAN]
# TensorFlow 2.21's values at EDGE_POINTS (float64).
EDGES = {
    "bessel_j0": [1.0, 0.22389077914123567, NAN, NAN, NAN],
    "bessel_j1": [0.0, -0.5767248077568734, NAN, NAN, NAN],
    "bessel_y0": [-INF, -INF, NAN, -INF, NAN],
    "bessel_y1": [-INF, -INF, NAN, -INF, NAN],
    "bessel_k0": [INF, INF, 0.0, INF, NAN],
    "bessel_k0e": [INF, INF, 0.0, INF, NAN],
    "bessel_k1": [INF, INF, 0.0, INF, NAN],
    "bessel_k1e": [INF, INF, 0.0, INF, NAN],
    "dawsn": [0.0, -0.30134038892379196, 0.0, 0.0, NAN],
    "expint": [-INF, NAN, NAN, NAN, NAN],
    "fresnel_cos": [0.0, -0.4882534060753408, 0.5, -0.5, NAN],
    "fresnel_sin": [0.0, -0.3434156783636982, 0.5, -0.5, NAN],
    "spence": [math.pi**2 / 6, NAN, NAN, NAN, NAN],
}
NAMES = sorted(TABLE)


@pytest.mark.parametrize("name", NAMES)
def test_values_against_reference(name):
    points, want, _, _ = TABLE[name]
    fn = getattr(sp, name)
    got = fn(tf.constant(points, tf.float64))
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), want, rtol=2e-14, atol=0)
    got32 = tf.function(fn)(tf.constant(points, tf.float32))
    assert got32.dtype == tf.float32
    with np.errstate(over="ignore"):  # expint(100) is beyond float32: inf, as TensorFlow gives
        want32 = np.asarray(want, np.float32)
    np.testing.assert_allclose(got32.numpy(), want32, rtol=2e-6, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_edges_as_tensorflow(name):
    got = getattr(sp, name)(tf.constant(EDGE_POINTS, tf.float64)).numpy()
    np.testing.assert_allclose(got, EDGES[name], rtol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_of_values_on_a_grid(name):
    """Central differences of the values (a 32x128 grid) match the function's known derivative: a check of
    the values at 4096 points that does not need a reference table."""
    _, _, derivative, (lo, hi) = TABLE[name]
    fn = getattr(sp, name)
    x = np.random.default_rng(0).uniform(lo, hi, (32, 128))
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    y = fn(tf.constant(x)).numpy()
    numeric = (fn(tf.constant(x + h)).numpy() - fn(tf.constant(x - h)).numpy()) / (2 * h)
    np.testing.assert_allclose(numeric, derivative(x, y), rtol=1e-6, atol=1e-8 * np.max(np.abs(y)))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_against_finite_differences(name):
    _, _, _, (lo, hi) = TABLE[name]
    x = np.random.default_rng(1).uniform(max(lo, 0.1), min(hi, 15.0), (3, 4))
    check_gradient(getattr(sp, name), x, rtol=1e-6, atol=1e-9)


def test_gradient_inside_tf_function():
    @tf.function
    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(sp.bessel_j0(x) + sp.expint(x))
        return tape.gradient(y, x)

    x = np.array([0.5, 2.0, 7.0])
    got = grads(tf.constant(x)).numpy()
    np.testing.assert_allclose(got, -sp.bessel_j1(tf.constant(x)).numpy() + np.exp(x) / x, rtol=1e-12)


def test_wronskians_and_scaling():
    x = tf.constant(np.random.default_rng(2).uniform(0.1, 40.0, (32, 128)))
    j0, j1, y0, y1 = sp.bessel_j0(x), sp.bessel_j1(x), sp.bessel_y0(x), sp.bessel_y1(x)
    np.testing.assert_allclose((j1 * y0 - j0 * y1).numpy(), 2.0 / (np.pi * x.numpy()), rtol=1e-12)
    k0, k1 = sp.bessel_k0(x), sp.bessel_k1(x)
    np.testing.assert_allclose((sp.bessel_i0(x) * k1 + sp.bessel_i1(x) * k0).numpy(), 1.0 / x.numpy(), rtol=1e-12)
    np.testing.assert_allclose(sp.bessel_k0e(x).numpy(), np.exp(x.numpy()) * k0.numpy(), rtol=1e-12)
    np.testing.assert_allclose(sp.bessel_k1e(x).numpy(), np.exp(x.numpy()) * k1.numpy(), rtol=1e-12)


def test_gradients_at_the_points_tensorflow_special_cases():
    x = tf.constant([0.0, 1.0], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        j1, spence = sp.bessel_j1(x), sp.spence(x)
    np.testing.assert_allclose(tape.gradient(j1, x).numpy(), [0.5, 0.3251471008130332], rtol=1e-14)
    np.testing.assert_allclose(tape.gradient(spence, x).numpy(), [-np.inf, -1.0])


def test_dtype_errors_and_python_numbers():
    with pytest.raises(TypeError, match="float32 or float64"):
        sp.dawsn(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="float32 or float64"):
        sp.bessel_j0(1)
    assert sp.bessel_k0(1.0).dtype == tf.float32
    np.testing.assert_allclose(sp.bessel_k0(1.0).numpy(), 0.42102443824070823, rtol=1e-6)


def test_empty_and_higher_rank_inputs():
    assert sp.spence(tf.zeros([0, 3])).shape == (0, 3)
    x = tf.constant(np.linspace(0.5, 3.0, 24).reshape(2, 3, 4))
    assert sp.fresnel_sin(x).shape == (2, 3, 4)
