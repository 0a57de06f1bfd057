"""``keras.ops`` against NumPy: the ops Keras 3 code writes, with NumPy's names and argument conventions."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.keras import ops

rng = np.random.default_rng(4)
X = rng.standard_normal((3, 4)).astype(np.float32)
Y = rng.standard_normal((3, 4)).astype(np.float32) + 3.0

CASES = [
    ("add", lambda: ops.add(X, Y), X + Y),
    ("divide", lambda: ops.divide(X, Y), X / Y),
    ("power", lambda: ops.power(Y, 2.0), Y**2),
    ("sum_axis", lambda: ops.sum(X, axis=1), X.sum(axis=1)),
    ("mean_keepdims", lambda: ops.mean(X, axis=0, keepdims=True), X.mean(axis=0, keepdims=True)),
    ("max", lambda: ops.max(X), X.max()),
    ("std", lambda: ops.std(X, axis=1), X.std(axis=1)),
    ("var", lambda: ops.var(X), X.var()),
    ("argmax_flat", lambda: ops.argmax(X), np.argmax(X)),
    ("argmin_axis", lambda: ops.argmin(X, axis=0), np.argmin(X, axis=0)),
    ("clip", lambda: ops.clip(X, -0.5, 0.5), np.clip(X, -0.5, 0.5)),
    ("concatenate", lambda: ops.concatenate([X, Y], axis=1), np.concatenate([X, Y], axis=1)),
    ("transpose", lambda: ops.transpose(X), X.T),
    ("take_flat", lambda: ops.take(X, [0, 5, 11]), np.take(X, [0, 5, 11])),
    ("take_axis", lambda: ops.take(X, [2, 0], axis=1), np.take(X, [2, 0], axis=1)),
    ("arange", lambda: ops.arange(2, 11, 3), np.arange(2, 11, 3)),
    ("linspace", lambda: ops.linspace(0.0, 1.0, 5), np.linspace(0, 1, 5)),
    ("linspace_open", lambda: ops.linspace(0.0, 1.0, 4, endpoint=False), np.linspace(0, 1, 4, endpoint=False)),
    ("full", lambda: ops.full((2, 3), 7.0), np.full((2, 3), 7.0)),
    ("full_like", lambda: ops.full_like(X, 2.0), np.full_like(X, 2.0)),
    ("split_sections", lambda: ops.split(np.arange(6.0), 3)[1], np.split(np.arange(6.0), 3)[1]),
    ("split_indices", lambda: ops.split(np.arange(6.0), [1, 4])[1], np.split(np.arange(6.0), [1, 4])[1]),
    ("pad", lambda: ops.pad(X, [[1, 0], [0, 2]]), np.pad(X, [(1, 0), (0, 2)])),
    ("one_hot", lambda: ops.one_hot(np.array([0, 2]), 3), np.eye(3)[[0, 2]]),
    ("norm", lambda: ops.norm(X), np.linalg.norm(X)),
    ("dot_vectors", lambda: ops.dot(X[0], Y[0]), np.dot(X[0], Y[0])),
    ("dot_matrices", lambda: ops.dot(X, Y.T), X @ Y.T),
    ("cumsum", lambda: ops.cumsum(X, axis=1), np.cumsum(X, axis=1)),
    ("where", lambda: ops.where(X > 0, X, 0.0), np.where(X > 0, X, 0.0)),
    ("logsumexp", lambda: ops.logsumexp(X, axis=1), np.log(np.exp(X).sum(axis=1))),
    ("softmax", lambda: ops.softmax(X), np.exp(X) / np.exp(X).sum(axis=-1, keepdims=True)),
    ("all", lambda: ops.all(X > -10), True),
    ("any_axis", lambda: ops.any(X > 1, axis=0), (X > 1).any(axis=0)),
]


@pytest.mark.parametrize("name,call,want", CASES, ids=[c[0] for c in CASES])
def test_ops_match_numpy(name, call, want):
    np.testing.assert_allclose(np.asarray(call()), want, rtol=1e-5, atol=1e-6)


def test_shape_helpers_and_namespace():
    assert ops.shape(X) == (3, 4) and ops.ndim(X) == 2 and ops.size(X) == 12
    assert isinstance(ops.convert_to_numpy(tf.constant([1, 2])), np.ndarray)
    names = dir(tf.keras.ops)
    assert {"add", "sum", "matmul", "concatenate", "take"} <= set(names)
    assert not {"Tensor", "as_dtype", "np", "Any", "builtins"} & set(names)


def test_ops_in_a_custom_training_step():
    w = tf.Variable(np.zeros((4, 1), np.float32))
    target = X @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)
    for _ in range(300):
        with tf.GradientTape() as tape:
            loss = ops.mean(ops.square(ops.matmul(X, w) - target))
        w.assign_sub(0.1 * tape.gradient(loss, w))
    assert float(loss) < 1e-3
