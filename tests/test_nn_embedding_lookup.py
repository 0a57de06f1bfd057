"""tf.nn.embedding_lookup (shards, max_norm) and tf.nn.safe_embedding_lookup_sparse: values against TensorFlow
2.21's outputs (pasted) and NumPy, gradients reaching the table, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf

RNG = np.random.default_rng(11)
P = np.arange(20, dtype=np.float32).reshape(5, 4) / 10


def test_embedding_lookup_shapes_shards_and_max_norm():
    out = tf.nn.embedding_lookup(P, [[0, 3], [4, 4]])
    np.testing.assert_array_equal(out.numpy(), P[[[0, 3], [4, 4]]])
    # TensorFlow 2.21, max_norm=1.0
    want = [[0.35634834, 0.4454354, 0.53452253, 0.62360954], [0.45621276, 0.48472607, 0.5132393, 0.54175264]]
    np.testing.assert_allclose(tf.nn.embedding_lookup(P, [1, 4], max_norm=1.0).numpy(), want, rtol=1e-6)
    shards = [P[:3], P[3:]]  # the "div" strategy: 5 ids over 2 shards as 3 + 2
    np.testing.assert_array_equal(tf.nn.embedding_lookup(shards, [0, 2, 3, 4]).numpy(), P[[0, 2, 3, 4]])
    table = RNG.standard_normal((1000, 64)).astype(np.float32)
    ids = RNG.integers(0, 1000, (32, 20))
    f = tf.function(lambda t, i: tf.nn.embedding_lookup(t, i, max_norm=2.0))
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    np.testing.assert_allclose(f(table, ids).numpy(), (table * np.minimum(1, 2.0 / norms))[ids], rtol=1e-5)


def test_embedding_lookup_gradient_and_errors():
    table = tf.Variable(RNG.standard_normal((6, 3)))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 1, 4]) * [[1.0], [2.0], [3.0]])
    grad = tf.convert_to_tensor(tape.gradient(y, table)).numpy()
    want = np.zeros((6, 3))
    want[1], want[4] = 3.0, 3.0
    np.testing.assert_allclose(grad, want)
    with pytest.raises(TypeError, match="int32 or int64"):
        tf.nn.embedding_lookup(P, [1.0])
    with pytest.raises(ValueError, match="'div' partition"):
        tf.nn.embedding_lookup([P[:2], P[2:]], [0])
    with pytest.raises(ValueError, match="at least one param"):
        tf.nn.embedding_lookup([], [0])


IDS = ([[0, 0], [0, 1], [1, 0], [2, 3], [3, 0]], [1, 3, -1, 1, 2], [5, 4])
WEIGHTS = [2.0, 0.5, 1.0, 3.0, -1.0]
# TensorFlow 2.21's tf.nn.safe_embedding_lookup_sparse(P, ids, weights, combiner=...) on IDS / WEIGHTS
ROW0 = {
    "mean": [0.56, 0.66, 0.76, 0.86],
    "sum": [1.4, 1.65, 1.9, 2.15],
    "sqrtn": [0.6790998, 0.8003676, 0.92163545, 1.0429033],
}
ROW2 = {"mean": [0.4, 0.5, 0.6, 0.7], "sum": [1.2, 1.5, 1.8, 2.1], "sqrtn": [0.4, 0.5, 0.6, 0.7]}


def _sparse(values, dtype=tf.int64):
    return tf.SparseTensor(IDS[0], tf.constant(values, dtype), IDS[2])


@pytest.mark.parametrize("combiner", ["mean", "sum", "sqrtn"])
@pytest.mark.parametrize("default_id", [None, 4])
def test_safe_lookup_prunes_and_fills_as_tensorflow(combiner, default_id):
    out = tf.nn.safe_embedding_lookup_sparse(
        P, _sparse(IDS[1]), _sparse(WEIGHTS, tf.float32), combiner=combiner, default_id=default_id
    ).numpy()
    empty = [0.0] * 4 if default_id is None else P[4].tolist()
    # the negative weight of row 3 is pruned except for "sum"
    row3 = [-0.8, -0.9, -1.0, -1.1] if combiner == "sum" else empty
    np.testing.assert_allclose(out, [ROW0[combiner], empty, ROW2[combiner], row3, empty], rtol=1e-6)


def test_safe_lookup_without_weights_max_norm_and_rank_3():
    out = tf.nn.safe_embedding_lookup_sparse(P, _sparse(IDS[1]), None).numpy()
    np.testing.assert_allclose(out, [(P[1] + P[3]) / 2, np.zeros(4), P[1], P[2], np.zeros(4)], rtol=1e-6)
    out = tf.nn.safe_embedding_lookup_sparse(P, _sparse(IDS[1]), _sparse(WEIGHTS, tf.float32), max_norm=0.5)
    # TensorFlow 2.21
    np.testing.assert_allclose(out.numpy()[0], [0.18683214, 0.22615805, 0.26548395, 0.30480984], rtol=1e-6)
    np.testing.assert_allclose(out.numpy()[2], [0.17817418, 0.2227177, 0.26726127, 0.31180477], rtol=1e-6)
    ids3 = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 0, 0], [1, 0, 2]], tf.constant([1, 3, 2, 0], tf.int64), [2, 2, 3])
    out = tf.nn.safe_embedding_lookup_sparse(P, ids3, None)
    assert out.shape == (2, 2, 4)
    np.testing.assert_allclose(out.numpy(), [[P[1], P[3]], [(P[2] + P[0]) / 2, np.zeros(4)]], rtol=1e-6)


def test_safe_lookup_in_tf_function_and_gradient():
    table = RNG.standard_normal((50, 8))
    n, per = 32, 3
    idx = np.array([[r, k] for r in range(n) for k in range(per) if (r + k) % 4], np.int64)
    ids = RNG.integers(-2, 50, len(idx))
    weights = RNG.uniform(-0.5, 2, len(idx))

    def run(t):
        sp_ids = tf.SparseTensor(idx, tf.constant(ids), [n, per])
        sp_w = tf.SparseTensor(idx, tf.constant(weights), [n, per])
        return tf.nn.safe_embedding_lookup_sparse(t, sp_ids, sp_w, combiner="sqrtn", default_id=0)

    want = np.zeros((n, 8))
    for r in range(n):
        keep = [(i, w) for (row, _), i, w in zip(idx, ids, weights) if row == r and i >= 0 and w > 0]
        if not keep:
            want[r] = table[0]
        else:
            want[r] = sum(w * table[i] for i, w in keep) / np.sqrt(sum(w * w for _, w in keep))
    np.testing.assert_allclose(run(tf.constant(table)).numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(tf.function(run)(tf.constant(table)).numpy(), want, rtol=1e-12)
    t = tf.constant(table)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.reduce_sum(run(t))
    grad = tf.convert_to_tensor(tape.gradient(y, t)).numpy()
    expected = np.zeros_like(table)
    for r in range(n):
        keep = [(i, w) for (row, _), i, w in zip(idx, ids, weights) if row == r and i >= 0 and w > 0]
        if not keep:
            expected[0] += 1
        for i, w in keep:
            expected[i] += w / np.sqrt(sum(v * v for _, v in keep))
    np.testing.assert_allclose(grad, expected, rtol=1e-10)


def test_safe_lookup_errors():
    with pytest.raises(TypeError, match="SparseTensor"):
        tf.nn.safe_embedding_lookup_sparse(P, [[1, 2]])
    with pytest.raises(ValueError, match="combiner"):
        tf.nn.safe_embedding_lookup_sparse(P, _sparse(IDS[1]), combiner="max")
    with pytest.raises(ValueError, match="Missing embedding_weights"):
        tf.nn.safe_embedding_lookup_sparse([], _sparse(IDS[1]))


def test_safe_lookup_on_sparse_function_arguments():
    f = tf.function(lambda i, w: tf.nn.safe_embedding_lookup_sparse(P, i, w, default_id=4))
    out = f(_sparse(IDS[1]), _sparse(WEIGHTS, tf.float32)).numpy()
    np.testing.assert_allclose(out, [ROW0["mean"], P[4], ROW2["mean"], P[4], P[4]], rtol=1e-6)
    ids3 = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 0, 0], [1, 0, 2]], tf.constant([1, 3, 2, 0], tf.int64), [2, 2, 3])
    out = tf.function(lambda i: tf.nn.safe_embedding_lookup_sparse(P, i, None))(ids3).numpy()
    np.testing.assert_allclose(out, [[P[1], P[3]], [(P[2] + P[0]) / 2, np.zeros(4)]], rtol=1e-6)
