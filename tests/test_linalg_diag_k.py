"""``tf.linalg.diag``, ``diag_part`` and ``set_diag`` with ``k`` (one diagonal or a band), ``num_rows``/``num_cols``,
``padding_value`` and ``align``, against TensorFlow 2.21 (``tests/data/make_tf_linalg_diag.py`` records it), in
graphs too, with gradients against finite differences."""

from pathlib import Path

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

RECORDED = np.load(Path(__file__).parent / "data" / "tf_linalg_diag.npz")
X = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) + 1.0
TALL = np.arange(5 * 3, dtype=np.float32).reshape(5, 3) + 1.0
D = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)


def _matrix(name):
    return {"x": X, "tall": TALL}[name]


@pytest.mark.parametrize("key", [k for k in RECORDED.files if k.startswith("diag_part")])
def test_diag_part(key):
    parts = key.split("/")
    m = _matrix(parts[1])
    if parts[0] == "diag_part":
        got = tf.linalg.diag_part(m, k=int(parts[2]))
    else:
        got = tf.linalg.diag_part(m, k=(int(parts[2]), int(parts[3])), padding_value=9, align=parts[4])
    np.testing.assert_array_equal(got.numpy(), RECORDED[key])


@pytest.mark.parametrize("key", [k for k in RECORDED.files if k.startswith("diag/") or k.startswith("diag_")])
def test_diag(key):
    if key.startswith("diag_part"):
        return
    parts = key.split("/")
    if parts[0] == "diag":
        got = tf.linalg.diag(D, k=int(parts[1]))
    elif parts[0] == "diag_padded":
        got = tf.linalg.diag(D, k=int(parts[1]), padding_value=-1)
    else:
        got = tf.linalg.diag(D, k=int(parts[1]), num_rows=int(parts[2]), num_cols=int(parts[3]))
    np.testing.assert_array_equal(got.numpy(), RECORDED[key])


@pytest.mark.parametrize("k", range(-2, 4))
def test_set_diag(k):
    length = min(3 + min(k, 0), 4 - max(k, 0))
    diagonal = -np.arange(2 * length, dtype=np.float32).reshape(2, length) - 1.0
    np.testing.assert_array_equal(tf.linalg.set_diag(X, diagonal, k=k).numpy(), RECORDED[f"set_diag/{k}"])


def test_in_a_graph_with_an_unknown_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 3, 4], tf.float32)])
    def f(m):
        return tf.linalg.diag_part(m, k=1), tf.linalg.diag(tf.linalg.diag_part(m, k=-1), k=-1)

    part, rebuilt = f(tf.constant(X))
    np.testing.assert_array_equal(part.numpy(), RECORDED["diag_part/x/1"])
    np.testing.assert_array_equal(rebuilt.numpy()[:, :3, :2], np.triu(np.tril(X[:, :3, :2], -1), -1))


def test_gradients_match_finite_differences():
    weights = np.random.default_rng(0).normal(size=(2, 3, 4))
    m = tf.Variable(X.astype(np.float64))
    with tf.GradientTape() as tape:
        band = tf.linalg.diag_part(m, k=(-1, 1), padding_value=0)
        loss = tf.reduce_sum(tf.linalg.set_diag(m * m, band[..., 0, :3] * 2.0, k=1) * weights)
    got = tape.gradient(loss, m).numpy()

    def numeric(v):
        t = tf.constant(v)
        b = tf.linalg.diag_part(t, k=(-1, 1), padding_value=0)
        return float(tf.reduce_sum(tf.linalg.set_diag(t * t, b[..., 0, :3] * 2.0, k=1) * weights).numpy())

    np.testing.assert_allclose(got, numeric_gradient(numeric, X.astype(np.float64), eps=1e-3), rtol=1e-5, atol=1e-6)


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError, match="k\\[0\\] must not be greater"):
        tf.linalg.diag_part(X, k=(2, 1))
    with pytest.raises(ValueError, match="holds 3 values"):
        tf.linalg.set_diag(X, np.zeros((2, 2), np.float32), k=0)
    with pytest.raises(ValueError, match="does not fit diagonal 1"):
        tf.linalg.diag(D, k=1, num_rows=4, num_cols=5)
    with pytest.raises(ValueError, match="align must be one of"):
        tf.linalg.diag_part(X, k=(0, 1), align="CENTER")
