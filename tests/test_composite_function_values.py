"""Sparse and ragged arguments computed on inside ``tf.function``: results against the dense NumPy
equivalents, and gradients through ``sparse_dense_matmul`` and ragged reductions inside the trace against
finite differences in float64."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

RNG = np.random.default_rng(7)


def random_sparse(rows, cols, density=0.4, dtype=np.float64):
    dense = RNG.standard_normal((rows, cols)) * (RNG.random((rows, cols)) < density)
    dense[0, 0] = 1.5  # at least one element
    return tf.sparse.from_dense(dense.astype(dtype)), dense.astype(dtype)


def ragged_rows(lengths, dtype=np.float64):
    rows = [RNG.standard_normal(n).astype(dtype) for n in lengths]
    return tf.ragged.constant([r.tolist() for r in rows], dtype=dtype), rows


SPARSE_SPEC = tf.SparseTensorSpec([None, 5], tf.float64)
RAGGED_SPEC = tf.RaggedTensorSpec([None, None], tf.float64)


@pytest.mark.parametrize("rows", [1, 4, 9])
def test_sparse_ops_in_a_trace_match_numpy(rows):
    st, dense = random_sparse(rows, 5)
    b = RNG.standard_normal((5, 3))
    c = RNG.standard_normal((rows, 2))

    @tf.function(input_signature=[SPARSE_SPEC, tf.TensorSpec([5, 3], tf.float64), tf.TensorSpec([None, 2], tf.float64)])
    def ops(sp, b, c):
        return (
            tf.sparse.to_dense(sp),
            tf.sparse.to_dense(sp, default_value=-1.0),
            tf.sparse.sparse_dense_matmul(sp, b),
            tf.sparse.sparse_dense_matmul(sp, c, adjoint_a=True),
            tf.sparse.sparse_dense_matmul(sp, tf.transpose(b), adjoint_b=True),
            tf.sparse.reduce_sum(sp),
            tf.sparse.reduce_sum(sp, axis=1),
            tf.sparse.reduce_sum(sp, axis=0, keepdims=True),
            tf.sparse.add(sp * 2.0, tf.ones([rows, 5], tf.float64)),
        )

    got = [t.numpy() for t in ops(st, b, c)]
    present = dense != 0
    want = [
        dense,
        np.where(present, dense, -1.0),
        dense @ b,
        dense.T @ c,
        dense @ b,
        dense.sum(),
        dense.sum(axis=1),
        dense.sum(axis=0, keepdims=True),
        dense * 2 + 1,
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
    assert ops.experimental_get_tracing_count() == 1


def test_a_fully_known_dense_shape_needs_no_runtime_size():
    st, dense = random_sparse(3, 4, dtype=np.float32)
    f = tf.function(lambda sp: tf.sparse.reduce_sum(sp, axis=0) + tf.reduce_sum(tf.sparse.to_dense(sp)))
    np.testing.assert_allclose(f(st).numpy(), dense.sum(0) + dense.sum(), rtol=1e-6)
    assert f.get_concrete_function(st).structured_input_signature[0][0] == tf.SparseTensorSpec([3, 4])


def test_embedding_lookup_sparse_in_a_trace_matches_eager():
    params = RNG.standard_normal((6, 3))
    ids = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], np.array([1, 4, 5], np.int64), [3, 2])
    for combiner in ("sum", "mean", "sqrtn"):
        f = tf.function(lambda p, i, c=combiner: tf.nn.embedding_lookup_sparse(p, i, None, combiner=c))
        want = tf.nn.embedding_lookup_sparse(tf.constant(params), ids, None, combiner=combiner).numpy()
        np.testing.assert_allclose(f(tf.constant(params), ids).numpy(), want, rtol=1e-12)


@pytest.mark.parametrize("lengths", [[2, 1, 3], [4], [1, 1, 2, 5, 3]])
def test_ragged_ops_in_a_trace_match_numpy(lengths):
    rt, rows = ragged_rows(lengths)
    width = max(lengths)
    padded = np.array([np.pad(r, (0, width - len(r)), constant_values=np.nan) for r in rows])

    @tf.function(input_signature=[RAGGED_SPEC, tf.TensorSpec([None, 1], tf.float64)])
    def ops(x, scale):
        return (
            tf.reduce_sum(x, axis=1),
            tf.reduce_mean(x, axis=1),
            tf.reduce_max(x, axis=1),
            tf.reduce_min(x, axis=1),
            tf.reduce_sum(x, axis=0),
            tf.reduce_mean(x, axis=0),
            tf.reduce_sum(x),
            x.to_tensor(),
            x.to_tensor(default_value=9.0),
            (x * scale + 1.0).flat_values,
            x.row_lengths(),
            x.nrows(),
            tf.ragged.map_flat_values(tf.math.square, x).flat_values,
            tf.reduce_sum(x, axis=1, keepdims=True),
        )

    scale = RNG.standard_normal((len(lengths), 1))
    got = [t.numpy() for t in ops(rt, scale)]
    flat = np.concatenate(rows)
    want = [
        np.nansum(padded, 1),
        np.nanmean(padded, 1),
        np.nanmax(padded, 1),
        np.nanmin(padded, 1),
        np.nansum(padded, 0),
        np.nanmean(padded, 0),
        flat.sum(),
        np.nan_to_num(padded, nan=0.0),
        np.nan_to_num(padded, nan=9.0),
        flat * np.repeat(scale[:, 0], lengths) + 1,
        lengths,
        len(lengths),
        flat**2,
        np.nansum(padded, 1, keepdims=True),
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
    assert ops.experimental_get_tracing_count() == 1


def test_ragged_values_with_inner_dimensions():
    rt = tf.RaggedTensor.from_row_lengths(np.arange(12, dtype=np.float32).reshape(6, 2), [1, 0, 3, 2])
    f = tf.function(lambda x: (tf.reduce_sum(x, axis=1), x.to_tensor(), tf.reduce_sum(x, axis=2).flat_values))
    total, padded, inner = f(rt)
    np.testing.assert_allclose(total.numpy(), tf.reduce_sum(rt, axis=1).numpy())
    np.testing.assert_allclose(padded.numpy(), rt.to_tensor().numpy())
    np.testing.assert_allclose(inner.numpy(), np.arange(12).reshape(6, 2).sum(1))


def traced_gradient(fn, spec, value, wrt):
    """The gradient of ``fn`` taken by a tape inside a traced function (so the graph's gradient rules run)."""

    @tf.function(input_signature=[spec, tf.TensorSpec(wrt.shape, tf.float64)])
    def grad(composite, w):
        with tf.GradientTape() as tape:
            tape.watch(w)
            y = fn(composite, w)
        return tape.gradient(y, w)

    return grad(value, tf.constant(wrt)).numpy()


def test_gradient_through_sparse_dense_matmul_in_a_trace():
    st, dense = random_sparse(4, 5)
    b = RNG.standard_normal((5, 3))
    weights = RNG.standard_normal((4, 3))

    def loss(sp, w):
        return tf.reduce_sum(tf.math.tanh(tf.sparse.sparse_dense_matmul(sp, w)) * weights)

    got = traced_gradient(loss, SPARSE_SPEC, st, b)
    want = numeric_gradient(lambda w: np.sum(np.tanh(dense @ w) * weights), b)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


def test_gradient_to_sparse_values_in_a_trace():
    st, dense = random_sparse(4, 5)
    b = RNG.standard_normal((5, 2))
    mask = dense != 0

    def loss(sp, v):
        return tf.reduce_sum(tf.sparse.sparse_dense_matmul(sp.with_values(v), tf.constant(b)) ** 2)

    got = traced_gradient(loss, SPARSE_SPEC, st, st.values.numpy())

    def numpy_loss(v):
        d = np.zeros_like(dense)
        d[mask] = v
        return np.sum((d @ b) ** 2)

    np.testing.assert_allclose(got, numeric_gradient(numpy_loss, st.values.numpy()), rtol=1e-6, atol=1e-9)


def test_gradient_through_ragged_mean_and_padding_in_a_trace():
    rt, rows = ragged_rows([3, 1, 2])
    lengths = [len(r) for r in rows]

    def loss(x, v):
        x = x.with_flat_values(v)
        return tf.reduce_sum(tf.reduce_mean(x, axis=1) ** 2) + tf.reduce_sum(x.to_tensor() ** 3)

    def numpy_loss(v):
        parts = np.split(v, np.cumsum(lengths)[:-1])
        return sum(p.mean() ** 2 for p in parts) + np.sum(v**3)

    flat = np.concatenate(rows)
    got = traced_gradient(loss, RAGGED_SPEC, rt, flat)
    np.testing.assert_allclose(got, numeric_gradient(numpy_loss, flat), rtol=1e-6, atol=1e-9)
