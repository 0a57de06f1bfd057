"""glu, hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink and threshold
against NumPy versions of their definitions (and values Keras 3.15 computed on a grid around the kinks);
gradients, tf.function, lookup by name and use as a layer activation in a compiled fit."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

A = tf.keras.activations
GRID = np.array([-2.0, -1.0, -0.5, -0.25, 0.0, 0.3, 0.5, 0.75, 1.0, 2.5], dtype="float32")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


REFERENCES = {
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
    "sparse_sigmoid": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, (x + 1) / 2)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "tanh_shrink": lambda x: x - np.tanh(x),
}
KERAS_ON_GRID = {  # Keras 3.15 on GRID
    "hard_shrink": [-2.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 1.0, 2.5],
    "soft_shrink": [-1.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 2.0],
    "sparse_plus": [0.0, 0.0, 0.0625, 0.140625, 0.25, 0.4225, 0.5625, 0.765625, 1.0, 2.5],
    "sparse_sigmoid": [0.0, 0.0, 0.25, 0.375, 0.5, 0.65, 0.75, 0.875, 1.0, 1.0],
    "squareplus": [
        0.41421354,
        0.61803400,
        0.78077638,
        0.88278222,
        1.0,
        1.16118741,
        1.28077638,
        1.44300044,
        1.61803401,
        2.85078096,
    ],
    "tanh_shrink": [
        -1.03597236,
        -0.23840582,
        -0.03788286,
        -0.00508134,
        0.0,
        0.00868738,
        0.03788286,
        0.11485106,
        0.23840582,
        1.51338565,
    ],
}


def np_sparsemax(z, axis=-1):
    z = np.moveaxis(np.asarray(z, np.float64), axis, -1)
    s = -np.sort(-z, -1)
    cs = np.cumsum(s, -1)
    r = np.arange(1, z.shape[-1] + 1)
    support = 1 + r * s > cs
    k = support.sum(-1, keepdims=True)
    tau = (np.take_along_axis(cs, k - 1, -1) - 1) / k
    return np.moveaxis(np.maximum(z - tau, 0), -1, axis)


def simplex_projection_by_bisection(z):
    """argmin ||p - z|| over the simplex, by bisection on tau in sum(max(z - tau, 0)) = 1 (another algorithm)."""
    lo, hi = z.min() - 1, z.max()
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.maximum(z - mid, 0).sum() > 1 else (lo, mid)
    return np.maximum(z - (lo + hi) / 2, 0)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_against_numpy_and_keras(name):
    fn = getattr(A, name)
    np.testing.assert_allclose(fn(GRID).numpy(), REFERENCES[name](GRID.astype(np.float64)), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(fn(GRID).numpy(), KERAS_ON_GRID[name], rtol=1e-6, atol=1e-7)
    assert fn(GRID).dtype == tf.float32
    x = np.random.default_rng(0).normal(size=(32, 28, 28, 3)) * 2
    np.testing.assert_allclose(tf.function(fn)(tf.constant(x)).numpy(), REFERENCES[name](x), rtol=1e-12, atol=1e-12)


def test_arguments():
    np.testing.assert_allclose(A.hard_shrink(GRID, threshold=1.0).numpy(), np.where(np.abs(GRID) > 1, GRID, 0))
    np.testing.assert_allclose(
        A.soft_shrink(GRID, threshold=0.25).numpy(),
        np.where(GRID > 0.25, GRID - 0.25, np.where(GRID < -0.25, GRID + 0.25, 0)),
    )
    np.testing.assert_allclose(
        A.squareplus(GRID, b=1).numpy(),
        [0.11803400, 0.20710677, 0.30901700, 0.39038819, 0.5, 0.67201531, 0.80901700, 1.0, 1.20710683, 2.59629107],
        rtol=1e-6,
    )  # Keras 3.15
    np.testing.assert_allclose(A.threshold(GRID, 0.3, -7.0).numpy(), [-7.0] * 6 + [0.5, 0.75, 1.0, 2.5])


def test_glu():
    x = GRID.reshape(2, 5)[:, :4]
    want = x[:, :2] * sigmoid(x[:, 2:])
    np.testing.assert_allclose(A.glu(x).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(A.glu(x).numpy(), [[-0.75508136, -0.43782350], [0.20375362, 0.36552930]], rtol=1e-6)
    y = np.random.default_rng(1).normal(size=(8, 6, 5))
    np.testing.assert_allclose(A.glu(y, axis=1).numpy(), y[:, :3] * sigmoid(y[:, 3:]), rtol=1e-12)
    with pytest.raises(ValueError, match="divisible by 2"):
        A.glu(np.ones((2, 3)))


def test_sparsemax_is_the_simplex_projection():
    z = np.random.default_rng(2).normal(size=(32, 10)) * 1.5
    got = A.sparsemax(z).numpy()
    np.testing.assert_allclose(got, np_sparsemax(z), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got.sum(-1), 1.0, rtol=1e-12)
    assert np.all(got >= 0) and np.any(got == 0)
    for row, want in zip(z[:5], map(simplex_projection_by_bisection, z[:5])):
        np.testing.assert_allclose(A.sparsemax(row).numpy(), want, atol=1e-9)
    # The case of keras-team/keras#23425: two logits share the support.
    np.testing.assert_allclose(A.sparsemax(np.array([[0.0, 0.5, 1.0]], "float32")).numpy(), [[0.0, 0.25, 0.75]])
    np.testing.assert_allclose(A.sparsemax(z.T, axis=0).numpy(), np_sparsemax(z.T, axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tf.function(A.sparsemax)(tf.constant(z)).numpy(), got, rtol=1e-12)


def test_gradients_against_finite_differences():
    x = np.array([-1.7, -0.6, -0.3, 0.2, 0.45, 0.8, 1.6, 2.2])  # away from the kinks
    for name in REFERENCES:
        check_gradient(getattr(A, name), x)
    check_gradient(lambda t: A.threshold(t, 0.1, 0.5), x)
    check_gradient(A.glu, np.random.default_rng(3).normal(size=(4, 6)))
    z = np.random.default_rng(4).normal(size=(4, 6))
    check_gradient(A.sparsemax, z)


def test_lookup_and_layers():
    for name in [
        "glu",
        "hard_shrink",
        "soft_shrink",
        "sparse_plus",
        "sparse_sigmoid",
        "sparsemax",
        "squareplus",
        "tanh_shrink",
        "threshold",
    ]:
        fn = getattr(A, name)
        assert A.get(name) is fn and A.serialize(fn) == name and A.deserialize(name) is fn
        assert name in dir(A)
    layer = tf.keras.layers.Dense(3, activation="sparse_plus")
    assert tf.keras.layers.Dense.from_config(layer.get_config()).activation is A.sparse_plus


def test_compiled_fit_with_the_new_activations():
    data = np.random.default_rng(5)
    x = data.normal(size=(128, 6)).astype("float32")
    labels = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6,)),
            tf.keras.layers.Dense(16, activation="squareplus"),
            tf.keras.layers.Dense(8, activation="glu"),  # 8 units gated down to 4
            tf.keras.layers.Dense(3, activation="sparsemax"),
        ]
    )
    assert model.output_shape == (None, 3)
    model.compile(tf.keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy")
    history = model.fit(x, labels, epochs=8, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < history[0]
    np.testing.assert_allclose(model.predict(x, verbose=0).sum(-1), 1.0, rtol=1e-5)
