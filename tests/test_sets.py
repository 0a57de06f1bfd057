"""tf.sets: size/intersection/union/difference on dense and sparse operands against Python sets, eager and
in tf.function (numbers from TensorFlow 2.21 where noted)."""

import numpy as np
import pytest

import ferroflow as tf

OPS = {
    "intersection": lambda x, y: x & y,
    "union": lambda x, y: x | y,
    "difference": lambda x, y: x - y,
}


def dense_sets(arr):
    """{batch index: set of values} of a dense array's last axis."""
    return {idx: set(arr[idx].tolist()) for idx in np.ndindex(arr.shape[:-1])}


def sparse_sets(indices, values, shape):
    out = {idx: set() for idx in np.ndindex(*shape[:-1])}
    for i, v in zip(indices, values):
        out[tuple(int(k) for k in i[:-1])].add(v)
    return out


def reference(sets_a, sets_b, op, batch):
    """(indices, values, dense_shape) as TensorFlow lays them out: row-major, values sorted per set."""
    indices, values, width = [], [], 0
    for idx in np.ndindex(*batch):
        result = sorted(OPS[op](sets_a[idx], sets_b[idx]))
        width = max(width, len(result))
        for j, v in enumerate(result):
            indices.append(list(idx) + [j])
            values.append(v)
    return np.array(indices, np.int64).reshape(-1, len(batch) + 1), values, list(batch) + [width]


def check(result, want):
    indices, values, shape = want
    assert isinstance(result, tf.SparseTensor)
    assert result.indices.dtype == tf.int64 and result.dense_shape.dtype == tf.int64
    np.testing.assert_array_equal(result.indices.numpy(), indices)
    got = result.values.numpy().tolist()
    assert got == values
    assert result.dense_shape.numpy().tolist() == shape


def to_sparse(arr, keep):
    """The elements of ``arr`` where ``keep`` holds, as a SparseTensor (row-major order)."""
    idx = np.argwhere(keep).astype(np.int64)
    return tf.SparseTensor(idx, tf.constant(arr[keep]), arr.shape)


def test_dense_dense_matches_tensorflow_numbers():
    # TensorFlow 2.21's results for these inputs.
    a = tf.constant([[[1, 2, 2], [3, 4, 5]], [[5, 6, 7], [8, 8, 0]]])
    b = tf.constant([[[1, 3], [3, 9]], [[7, 7], [8, 0]]])
    r = tf.sets.intersection(a, b)
    assert r.indices.numpy().tolist() == [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]]
    assert r.values.numpy().tolist() == [1, 3, 7, 0, 8]
    assert r.dense_shape.numpy().tolist() == [2, 2, 2]
    u = tf.sets.union(a, b)
    assert u.values.numpy().tolist() == [1, 2, 3, 3, 4, 5, 9, 5, 6, 7, 0, 8]
    assert u.dense_shape.numpy().tolist() == [2, 2, 4]
    d = tf.sets.difference(a, b)
    assert d.values.numpy().tolist() == [2, 4, 5, 5, 6]
    r = tf.sets.difference(a, b, aminusb=False)
    assert r.values.numpy().tolist() == [3, 9] and r.dense_shape.numpy().tolist() == [2, 2, 1]
    assert tf.sets.size(tf.sparse.from_dense(a)).numpy().tolist() == [[2, 3], [3, 1]]


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16"])
@pytest.mark.parametrize("op", list(OPS))
def test_dense_dense_every_dtype(dtype, op):
    rng = np.random.default_rng(hash((dtype, op)) % 1000)
    low = 0 if dtype.startswith("u") else -6
    a = rng.integers(low, 6, size=(4, 3, 7)).astype(dtype)
    b = rng.integers(low, 6, size=(4, 3, 5)).astype(dtype)
    result = getattr(tf.sets, op)(tf.constant(a), tf.constant(b))
    assert result.dtype == tf.as_dtype(dtype)
    check(result, reference(dense_sets(a), dense_sets(b), op, a.shape[:-1]))


def test_strings_sort_bytewise():
    # TensorFlow 2.21: empty strings are elements; values sorted by their bytes.
    u = tf.sets.union(tf.constant([["b", "a", ""], ["c", "", "b"]]), tf.constant([["ab"], ["B"]]))
    assert u.values.numpy().tolist() == [b"", b"a", b"ab", b"b", b"", b"B", b"b", b"c"]
    assert u.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3]]
    words = np.array([b"a", b"a\0", b"\xff", b"abcdefghijklmnopq", b"abcdefghijklmnopp", b"", b"Z"] * 2, dtype=object)
    rng = np.random.default_rng(1)
    a = rng.choice(words, size=(5, 6))
    b = rng.choice(words, size=(5, 4))
    for op in OPS:
        check(getattr(tf.sets, op)(tf.constant(a), tf.constant(b)), reference(dense_sets(a), dense_sets(b), op, (5,)))


@pytest.mark.parametrize("op", list(OPS))
def test_dense_sparse_and_sparse_sparse(op):
    rng = np.random.default_rng(3)
    a = rng.integers(0, 9, size=(3, 4, 6)).astype(np.int64)
    b = rng.integers(0, 9, size=(3, 4, 8)).astype(np.int64)
    keep_a = rng.random(a.shape) < 0.6
    keep_b = rng.random(b.shape) < 0.5
    sa, sb = to_sparse(a, keep_a), to_sparse(b, keep_b)
    sets_a = sparse_sets(np.argwhere(keep_a), a[keep_a].tolist(), a.shape)
    sets_b = sparse_sets(np.argwhere(keep_b), b[keep_b].tolist(), b.shape)
    fn = getattr(tf.sets, op)
    check(fn(sa, sb), reference(sets_a, sets_b, op, (3, 4)))
    check(fn(tf.constant(a), sb), reference(dense_sets(a), sets_b, op, (3, 4)))
    # A SparseTensor first and a dense tensor second: the operands swap (difference flips aminusb).
    check(fn(sa, tf.constant(b)), reference(sets_a, dense_sets(b), op, (3, 4)))


def test_size_of_sparse_sets():
    sp = tf.SparseTensor([[0, 1], [0, 2], [2, 0], [2, 3]], tf.constant([4, 4, 1, 2]), [3, 4])
    size = tf.sets.size(sp)
    assert size.dtype == tf.int32
    assert size.numpy().tolist() == [1, 0, 2]
    empty = tf.SparseTensor(np.zeros([0, 3], np.int64), tf.zeros([0], tf.int32), [2, 3, 4])
    assert tf.sets.size(empty).numpy().tolist() == [[0, 0, 0], [0, 0, 0]]


def test_empty_results():
    r = tf.sets.intersection(tf.constant([[1], [2]]), tf.constant([[3], [4]]))
    assert r.indices.shape == (0, 2) and r.dense_shape.numpy().tolist() == [2, 0]
    r = tf.sets.union(tf.zeros([2, 0], tf.int32), tf.zeros([2, 0], tf.int32))
    assert r.dense_shape.numpy().tolist() == [2, 0]


def test_realistic_sizes():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 200, size=(32, 8, 100)).astype(np.int32)
    b = rng.integers(0, 200, size=(32, 8, 60)).astype(np.int32)
    for op in OPS:
        check(getattr(tf.sets, op)(a, b), reference(dense_sets(a), dense_sets(b), op, (32, 8)))


def test_inside_tf_function():
    rng = np.random.default_rng(7)
    a = rng.integers(0, 7, size=(4, 5, 6)).astype(np.int32)
    b = rng.integers(0, 7, size=(4, 5, 3)).astype(np.int32)

    @tf.function
    def all_ops(x, y):
        return (
            tf.sets.intersection(x, y),
            tf.sets.union(x, y),
            tf.sets.difference(x, y),
            tf.sets.difference(x, y, aminusb=False),
            tf.sparse.to_dense(tf.sets.union(x, y), default_value=-1),
        )

    got = all_ops(tf.constant(a), tf.constant(b))
    for result, op in zip(got, ["intersection", "union", "difference"]):
        check(result, reference(dense_sets(a), dense_sets(b), op, (4, 5)))
    check(got[3], reference(dense_sets(b), dense_sets(a), "difference", (4, 5)))
    indices, values, shape = reference(dense_sets(a), dense_sets(b), "union", (4, 5))
    dense = np.full(shape, -1, np.int32)
    dense[tuple(indices.T)] = values
    np.testing.assert_array_equal(got[4].numpy(), dense)


def test_strings_inside_tf_function():
    a = np.array([["b", "a", ""], ["c", "", "b"]], dtype=object)
    b = np.array([["ab", "a"], ["B", "b"]], dtype=object)
    fn = tf.function(lambda x, y: (tf.sets.union(x, y), tf.sets.intersection(x, y)))
    union, inter = fn(tf.constant(a), tf.constant(b))
    sa = {k: {v.encode() for v in s} for k, s in dense_sets(a).items()}
    sb = {k: {v.encode() for v in s} for k, s in dense_sets(b).items()}
    check(union, reference(sa, sb, "union", (2,)))
    check(inter, reference(sa, sb, "intersection", (2,)))


def test_sparse_of_unknown_shape_inside_tf_function():
    sp = tf.SparseTensor([[0, 1], [0, 3], [2, 0]], tf.constant([5, 3, 5]), [3, 4])
    other = tf.SparseTensor([[0, 0], [1, 2]], tf.constant([5, 7]), [3, 3])
    spec = tf.SparseTensorSpec([None, None], tf.int32)
    fn = tf.function(
        lambda s, t: (tf.sets.size(s), tf.sets.union(s, t), tf.sparse.to_dense(tf.sets.difference(s, t))),
        input_signature=[spec, spec],
    )
    size, union, diff = fn(sp, other)
    assert size.numpy().tolist() == [2, 0, 1]
    assert union.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 0], [2, 0]]
    assert union.values.numpy().tolist() == [3, 5, 7, 5]
    np.testing.assert_array_equal(diff.numpy(), [[3], [0], [5]])


def test_errors_as_tensorflow():
    with pytest.raises(TypeError, match="Expected `SparseTensor`"):
        tf.sets.size(tf.constant([[1]]))
    with pytest.raises(TypeError, match="invalid dtype `<dtype: 'float32'>`"):
        tf.sets.union(tf.constant([[1.0]]), tf.constant([[1.0]]))
    with pytest.raises(TypeError, match="invalid dtype"):
        tf.sets.size(tf.SparseTensor([[0, 1]], tf.constant([1.0]), [2, 4]))
    with pytest.raises(TypeError, match="Types don't match"):
        tf.sets.intersection(tf.constant([[1]]), tf.constant([[1]], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank 1 < 2"):
        tf.sets.union(tf.constant([1, 2]), tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Mismatched shapes \[2\] vs \[1\]"):
        tf.sets.union(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 2]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid rank 1"):
        tf.sets.size(tf.SparseTensor([[1]], tf.constant([1]), [3]))
    unordered = tf.SparseTensor([[1, 0], [0, 1]], tf.constant([1, 2]), [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of order"):
        tf.sets.size(unordered)
    assert tf.sets.size(unordered, validate_indices=False).numpy().tolist() == [1, 1]


def test_namespace():
    assert dir(tf.sets) == ["difference", "intersection", "size", "union"]
    assert "sets" in dir(tf)
