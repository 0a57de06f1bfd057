"""``tf.compat.v1`` functions whose results depend on values (``where``, ``placeholder_with_default``,
``sparse_to_dense``, ``setdiff1d``) in eager mode and in TF1 graphs, and the ``scatter_*`` variable updates.

The file passes unchanged under TensorFlow 2.21 with the import swapped."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_where_v1_rows_and_elements_eagerly():
    x = np.arange(6.0).reshape(2, 3)
    assert v1.where([True, False], x, -x).numpy().tolist() == [[0.0, 1.0, 2.0], [-3.0, -4.0, -5.0]]
    cond = [[True, False, True], [False, True, False]]
    assert v1.where(cond, x, -x).numpy().tolist() == [[0.0, -1.0, 2.0], [-3.0, 4.0, -5.0]]
    assert v1.where(True, x, -x).numpy().tolist() == x.tolist()
    assert v1.where(cond).numpy().tolist() == [[0, 0], [0, 2], [1, 1]]
    assert v1.where(cond).dtype == tf.int64
    with pytest.raises(tf.errors.InvalidArgumentError):
        v1.where([True, False, True], x, -x)
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None"):
        v1.where([True], [1.0])


def test_where_v2_broadcasts():
    out = v1.where_v2([[True], [False]], [1.0, 2.0], 0.0)
    assert out.numpy().tolist() == [[1.0, 2.0], [0.0, 0.0]]


def test_where_in_a_session(graph):
    c = v1.placeholder(tf.bool, [None, None])
    idx = v1.where(c)
    assert idx.shape.as_list() == [None, 2] and idx.dtype == tf.int64
    rows = v1.placeholder(tf.bool, [None])
    a = v1.placeholder(tf.float32, [None, 3])
    picked = v1.where(rows, a, -a)
    assert picked.shape.as_list() == [None, 3]
    with pytest.raises(ValueError):
        v1.where(tf.constant([True, False]), tf.zeros([3, 3]), tf.zeros([3, 3]))
    with pytest.raises(ValueError):
        v1.where(tf.constant([[True, False]]), tf.zeros([2, 2]), tf.zeros([2, 1]))
    with v1.Session() as sess:
        got = sess.run(idx, {c: [[True, False], [True, True]]})
        assert got.tolist() == [[0, 0], [1, 0], [1, 1]]
        assert sess.run(idx, {c: np.zeros((2, 2), bool)}).shape == (0, 2)
        out = sess.run(picked, {rows: [True, False], a: np.arange(6.0).reshape(2, 3)})
        assert out.tolist() == [[0.0, 1.0, 2.0], [-3.0, -4.0, -5.0]]


def test_placeholder_with_default_in_a_session(graph):
    p = v1.placeholder_with_default([1.0, 2.0], [None], name="pwd")
    assert p.shape.as_list() == [None] and p.name == "pwd:0"
    flag = v1.placeholder_with_default(False, ())
    unknown = v1.placeholder_with_default(np.zeros((2, 3), np.float32), None)
    assert unknown.shape.rank is None
    with pytest.raises(ValueError):
        v1.placeholder_with_default([1.0, 2.0], [3])
    base = v1.placeholder(tf.float32, [3])
    relaxed = v1.placeholder_with_default(base, [None])
    grad = v1.gradients(v1.reduce_sum(relaxed * relaxed), base)[0]
    with v1.Session() as sess:
        assert sess.run(p).tolist() == [1.0, 2.0]
        assert sess.run(p, {p: [4.0, 5.0, 6.0]}).tolist() == [4.0, 5.0, 6.0]
        assert not sess.run(flag) and sess.run(flag, {flag: True})
        assert sess.run(unknown, {unknown: [[1.0]]}).tolist() == [[1.0]]
        assert sess.run(grad, {base: [1.0, 2.0, 3.0]}).tolist() == [2.0, 4.0, 6.0]
        with pytest.raises(ValueError, match="Cannot feed value of shape"):
            sess.run(p, {p: [[1.0]]})


def test_placeholder_with_default_eagerly_is_the_default():
    assert v1.placeholder_with_default([1.0, 2.0], [None]).numpy().tolist() == [1.0, 2.0]


def test_sparse_to_dense_values_and_checks():
    dense = v1.sparse_to_dense([[0, 1], [2, 0]], [3, 3], [5, 6], default_value=-1)
    assert dense.numpy().tolist() == [[-1, 5, -1], [-1, -1, -1], [6, -1, -1]]
    assert v1.sparse_to_dense(1, [3], 7).numpy().tolist() == [0, 7, 0]
    assert v1.sparse_to_dense([0, 2], [4], 7).numpy().tolist() == [7, 0, 7, 0]
    assert v1.sparse_to_dense([2, 0], [4], [1, 2], validate_indices=False).numpy().tolist() == [2, 0, 1, 0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of order"):
        v1.sparse_to_dense([[2], [0]], [4], [1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is repeated"):
        v1.sparse_to_dense([0, 0], [4], [1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        v1.sparse_to_dense([5], [4], [1], validate_indices=False)


def test_sparse_to_dense_gradient_in_a_graph(graph):
    v = v1.placeholder(tf.float32, [3])
    dense = v1.sparse_to_dense([[0], [2]], [4], v[:2] * 2.0, default_value=v[2])
    assert dense.shape.as_list() == [4]
    grad = v1.gradients(v1.reduce_sum(dense * tf.constant([1.0, 2.0, 3.0, 4.0])), v)[0]
    idx = v1.placeholder(tf.int64, [None, 1])
    fed = v1.sparse_to_dense(idx, [3], 1.0)
    with v1.Session() as sess:
        feed = {v: [1.0, 2.0, 3.0]}
        assert sess.run(dense, feed).tolist() == [2.0, 3.0, 4.0, 3.0]
        assert sess.run(grad, feed).tolist() == [2.0, 6.0, 6.0]
        assert sess.run(fed, {idx: [[0], [2]]}).tolist() == [1.0, 0.0, 1.0]
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(fed, {idx: [[2], [0]]})


def test_setdiff1d():
    out, idx = v1.setdiff1d([1, 2, 3, 4, 2], [2, 4])
    assert out.numpy().tolist() == [1, 3] and idx.numpy().tolist() == [0, 2]
    assert idx.dtype == tf.int32


def test_setdiff1d_in_a_session(graph):
    x = v1.placeholder(tf.int32, [None])
    result = v1.setdiff1d(x, [0])
    with v1.Session() as sess:
        out, idx = sess.run(result, {x: [0, 5, 0, 6]})
    assert out.tolist() == [5, 6] and idx.tolist() == [1, 3]


SCATTER_CASES = {
    "scatter_update": (([2, 0], [[9.0, 9.0], [8.0, 8.0]]), [[8.0, 8.0], [3.0, 4.0], [9.0, 9.0]]),
    "scatter_add": (([0, 0, 1], [[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]]), [[3.0, 4.0], [5.0, 6.0], [5.0, 6.0]]),
    "scatter_sub": (([1], [[1.0, 1.0]]), [[1.0, 2.0], [2.0, 3.0], [5.0, 6.0]]),
    "scatter_mul": (([0, 0], [[2.0, 2.0], [3.0, 3.0]]), [[6.0, 12.0], [3.0, 4.0], [5.0, 6.0]]),
    "scatter_div": (([2], [[5.0, 2.0]]), [[1.0, 2.0], [3.0, 4.0], [1.0, 3.0]]),
    "scatter_min": (([1, 1], [[0.0, 10.0], [5.0, -1.0]]), [[1.0, 2.0], [0.0, -1.0], [5.0, 6.0]]),
    "scatter_max": (([0], [[0.0, 10.0]]), [[1.0, 10.0], [3.0, 4.0], [5.0, 6.0]]),
    "scatter_nd_update": (([[0, 1], [2, 0]], [7.0, 7.0]), [[1.0, 7.0], [3.0, 4.0], [7.0, 6.0]]),
    "scatter_nd_add": (([[1]], [[10.0, 10.0]]), [[1.0, 2.0], [13.0, 14.0], [5.0, 6.0]]),
    "scatter_nd_sub": (([[0, 0]], [1.0]), [[0.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
    "batch_scatter_update": (([[1], [0], [1]], [[7.0], [8.0], [9.0]]), [[1.0, 7.0], [8.0, 4.0], [5.0, 9.0]]),
}


@pytest.mark.parametrize("name", sorted(SCATTER_CASES))
def test_scatter_updates_in_a_session(graph, name):
    (indices, updates), expected = SCATTER_CASES[name]
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    op = getattr(v1, name)(v, indices, updates)
    with v1.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(op).tolist() == expected
        assert sess.run(v).tolist() == expected


@pytest.mark.parametrize("name", ["scatter_update", "scatter_add", "scatter_nd_update"])
def test_scatter_updates_eagerly(name):
    (indices, updates), expected = SCATTER_CASES[name]
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    getattr(v1, name)(v, indices, updates)
    assert v.numpy().tolist() == expected


def test_scatter_update_with_fed_indices(graph):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    idx = v1.placeholder(tf.int32, [2])
    op = v1.scatter_update(v, idx, [[9.0, 9.0], [8.0, 8.0]])
    with v1.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(op, {idx: [2, 0]}).tolist() == [[8.0, 8.0], [3.0, 4.0], [9.0, 9.0]]
        assert sess.run(op, {idx: [1, 1]})[1].tolist() in ([9.0, 9.0], [8.0, 8.0])


def test_reverse_sequence_with_sizes_known_at_run_time(graph):
    x = v1.placeholder(tf.float32, [None, None, 2])
    lengths = v1.placeholder(tf.int64, [None])
    rev = v1.reverse_sequence(x, lengths, seq_dim=1, batch_dim=0)
    weights = tf.constant([[1.0, 2.0]])
    grad = v1.gradients(v1.reduce_sum(rev * weights * tf.constant([[[1.0], [10.0], [100.0]]])), x)[0]
    values = np.arange(12.0, dtype=np.float32).reshape(2, 3, 2)
    with v1.Session() as sess:
        out, g = sess.run([rev, grad], {x: values, lengths: [3, 2]})
    assert out[0].tolist() == values[0][::-1].tolist()
    assert out[1].tolist() == [values[1][1].tolist(), values[1][0].tolist(), values[1][2].tolist()]
    assert g[0, :, 0].tolist() == [100.0, 10.0, 1.0] and g[1, :, 1].tolist() == [20.0, 2.0, 200.0]


def test_split_and_slice_with_an_unknown_batch(graph):
    x = v1.placeholder(tf.float32, [None, 8])
    parts = tf.split(x, 4, axis=1)
    block = tf.slice(x, [0, 2], [-1, 3])
    assert [p.shape.as_list() for p in parts] == [[None, 2]] * 4 and block.shape.as_list() == [None, 3]
    values = np.arange(16.0, dtype=np.float32).reshape(2, 8)
    with v1.Session() as sess:
        second, got = sess.run([parts[1], block], {x: values})
    assert second.tolist() == values[:, 2:4].tolist() and got.tolist() == values[:, 2:5].tolist()


def test_tf_where_and_boolean_mask_of_fed_masks(graph):
    cond = v1.placeholder(tf.bool, [None, 2])
    x = v1.placeholder(tf.float32, [None, 2, 3])
    coords = tf.where(cond)
    picked = tf.boolean_mask(x, cond)
    rows = tf.boolean_mask(x, cond[:, 0])
    assert coords.shape.as_list() == [None, 2] and picked.shape.as_list() == [None, 3]
    grad = v1.gradients(v1.reduce_sum(picked * picked), x)[0]
    values = np.arange(12.0, dtype=np.float32).reshape(2, 2, 3)
    mask = np.array([[True, False], [True, True]])
    with v1.Session() as sess:
        got = sess.run([coords, picked, rows, grad], {cond: mask, x: values})
    assert got[0].tolist() == [[0, 0], [1, 0], [1, 1]]
    assert got[1].tolist() == values[mask].tolist() and got[2].shape == (2, 2, 3)
    assert got[3].tolist() == (2 * values * mask[:, :, None]).tolist()


def test_tf_where_and_boolean_mask_in_a_function():
    @tf.function
    def select(c, x):
        return tf.where(c), tf.boolean_mask(x, c)

    coords, kept = select(tf.constant([[True, False], [False, True]]), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert coords.numpy().tolist() == [[0, 0], [1, 1]] and kept.numpy().tolist() == [1.0, 4.0]
