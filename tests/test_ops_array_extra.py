"""``strided_slice``, ``identity_n``, ``shape_n``, ``unravel_index`` and ``reverse_sequence`` against NumPy: values
in float32 and float64 (eager and traced), gradients against finite differences in float64, and bad-input errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(5)
E = tf.errors.InvalidArgumentError


def rand(*shape):
    return lambda dtype: rng.uniform(-2.0, 2.0, shape).astype(dtype)


def reverse_sequence_reference(x, lengths, seq_axis, batch_axis):
    out = np.array(x, copy=True)
    for b, n in enumerate(lengths):
        index = [slice(None)] * x.ndim
        index[batch_axis] = b
        index[seq_axis] = slice(0, n)
        out[tuple(index)] = np.flip(x[tuple(index)], axis=seq_axis - (seq_axis > batch_axis))
    return out


LENGTHS = np.array([2, 4, 0, 1])

# (name, ferroflow fn, numpy reference, inputs, differentiable)
TABLE = [
    (
        "strided_slice",
        lambda x: tf.strided_slice(x, [0, 1, 0], [2, 3, 4], [1, 1, 2]),
        lambda x: x[0:2, 1:3, 0:4:2],
        [rand(2, 3, 4)],
        True,
    ),
    ("strided_slice_default_strides", lambda x: tf.strided_slice(x, [1], [2]), lambda x: x[1:2], [rand(3, 2)], True),
    (
        "strided_slice_negative",
        lambda x: tf.strided_slice(x, [-1, 3], [0, 0], [-1, -2]),
        lambda x: x[-1:0:-1, 3:0:-2],
        [rand(4, 5)],
        True,
    ),
    (
        "strided_slice_masks",
        lambda x: tf.strided_slice(x, [1, 1, 1], [0, 0, 0], begin_mask=1, end_mask=6),
        lambda x: x[:0, 1:, 1:],
        [rand(2, 3, 4)],
        False,
    ),
    (
        "strided_slice_begin_end_mask",
        lambda x: tf.strided_slice(x, [1, 5], [0, 9], begin_mask=2, end_mask=1),
        lambda x: x[1:, :9],
        [rand(3, 4)],
        True,
    ),
    (
        "strided_slice_shrink",
        lambda x: tf.strided_slice(x, [1, 0], [2, 3], shrink_axis_mask=1),
        lambda x: x[1, 0:3],
        [rand(3, 4)],
        True,
    ),
    (
        "strided_slice_ellipsis",
        lambda x: tf.strided_slice(x, [0, 1], [0, 3], ellipsis_mask=1),
        lambda x: x[..., 1:3],
        [rand(2, 3, 4)],
        True,
    ),
    (
        "strided_slice_new_axis",
        lambda x: tf.strided_slice(x, [0, 0], [0, 2], new_axis_mask=1),
        lambda x: x[None, 0:2],
        [rand(3, 2)],
        True,
    ),
    (
        "strided_slice_new_axis_and_shrink",
        lambda x: tf.strided_slice(x, [0, 1], [1, 2], new_axis_mask=1, shrink_axis_mask=3),
        lambda x: x[None, 1],
        [rand(3, 4)],
        True,
    ),
    ("strided_slice_empty", lambda x: tf.strided_slice(x, [2], [2]), lambda x: x[2:2], [rand(4, 3)], False),
    ("identity_n", lambda x, y: tf.identity_n([x, y])[1] * 2.0, lambda x, y: y * 2.0, [rand(2), rand(3)], True),
    (
        "reverse_sequence",
        lambda x: tf.reverse_sequence(x, LENGTHS, seq_axis=1),
        lambda x: reverse_sequence_reference(x, LENGTHS, 1, 0),
        [rand(4, 5, 2)],
        True,
    ),
    (
        "reverse_sequence_batch_last",
        lambda x: tf.reverse_sequence(x, LENGTHS, seq_axis=0, batch_axis=2),
        lambda x: reverse_sequence_reference(x, LENGTHS, 0, 2),
        [rand(5, 3, 4)],
        True,
    ),
    (
        "reverse_sequence_empty_rows",
        lambda x: tf.reverse_sequence(x, [0, 0], seq_axis=1),
        lambda x: x,
        [rand(2, 0)],
        False,
    ),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_values_match_numpy_eagerly_and_traced(row, dtype):
    _, fn, ref, builders, _ = row
    check_values(fn, ref, builders, dtype)


GRADIENT_ROWS = [r for r in TABLE if r[4]]


@pytest.mark.parametrize("row", GRADIENT_ROWS, ids=[r[0] for r in GRADIENT_ROWS])
def test_gradients_match_finite_differences(row):
    _, fn, _, builders, _ = row
    check_gradients(fn, builders)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_unravel_index_matches_numpy(dtype):
    dims = np.array([3, 4, 5], dtype)
    flat = rng.integers(0, 60, 17).astype(dtype)
    fn = tf.function(lambda i: tf.unravel_index(i, dims))
    got = fn(tf.constant(flat))
    assert got.dtype == dtype and got.shape == (3, 17)
    np.testing.assert_array_equal(got.numpy(), np.stack(np.unravel_index(flat, dims)))
    np.testing.assert_array_equal(tf.unravel_index(dtype(37), dims).numpy(), np.unravel_index(37, dims))
    # A negative index gives C remainders, as TensorFlow's kernel (which does not reject it).
    np.testing.assert_array_equal(tf.unravel_index(np.array([-1], dtype), [3, 4]).numpy(), [[0], [-1]])
    with pytest.raises(E, match="out of bounds for dims"):
        fn(tf.constant(np.array([60], dtype)))


def test_small_structural_ops():
    assert tf.newaxis is None and tf.zeros([2, 3])[tf.newaxis].shape == (1, 2, 3)
    a, b = tf.identity_n((1, [2.0, 3.0]))
    assert a.dtype == tf.int32 and b.numpy().tolist() == [2.0, 3.0]
    shapes = tf.function(lambda x, y: tf.shape_n([x, y], out_type=tf.int64))(tf.zeros([2, 3]), tf.constant(1.0))
    assert [s.numpy().tolist() for s in shapes] == [[2, 3], []] and shapes[0].dtype == tf.int64
    assert tf.strided_slice(tf.range(10), tf.constant([2], tf.int64), [8], [3]).numpy().tolist() == [2, 5]


def test_reverse_sequence_checks_traced_lengths_after_the_call():
    fn = tf.function(lambda x, n: tf.reverse_sequence(x, n, seq_axis=1))
    x = np.arange(8.0).reshape(2, 4)
    np.testing.assert_array_equal(fn(x, tf.constant([3, 1])).numpy(), [[2, 1, 0, 3], [4, 5, 6, 7]])
    with pytest.raises(E, match=r"seq_lengths must be in \[0, 4\]"):
        fn(x, tf.constant([5, 1]))


X = tf.zeros([2, 3, 4])


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.strided_slice(X, [0, 1], [2], [1]), E, "equal size.*lengths 2, 1, and 1"),
        (lambda: tf.strided_slice(X, [0], [2], [0]), E, r"strides\[0\] must be non-zero"),
        (lambda: tf.strided_slice(X, [5], [6], shrink_axis_mask=1), E, "index 5 is out of bounds"),
        (lambda: tf.strided_slice(X, [0.0], [2.0]), TypeError, "begin must be int32 or int64"),
        (lambda: tf.strided_slice(X, [0] * 4, [1] * 4), E, "too many indices"),
        (lambda: tf.strided_slice(X, [0, 1], [0, 2], ellipsis_mask=3), E, "single ellipsis"),
        (lambda: tf.identity_n([]), E, "at least one tensor"),
        (lambda: tf.shape_n([X], out_type=tf.float32), TypeError, "int64, received float32"),
        (lambda: tf.unravel_index([[1, 5]], [3, 4]), E, r"scalar or vector, received shape \(1, 2\)"),
        (lambda: tf.unravel_index([12], [3, 4]), E, r"out of bounds for dims \[3, 4\]"),
        (lambda: tf.unravel_index([1.0], [3, 4]), TypeError, "indices, received float32"),
        (lambda: tf.unravel_index([1], [[3, 4]]), E, r"dims can only be 1-D, received shape \[1, 2\]"),
        (lambda: tf.unravel_index([1], [3, 0]), E, "zero at index 1"),
        (lambda: tf.unravel_index([1], [3, -4]), E, "cannot be negative. Got dim = -4"),
        (lambda: tf.unravel_index(tf.zeros([0], tf.int32), [3, 4]), E, "empty indices"),
        (lambda: tf.reverse_sequence(X, [1, 2]), TypeError, "Expected int for argument 'seq_dim' not None"),
        (lambda: tf.reverse_sequence(X, [1, 5], seq_axis=1), E, r"seq_lengths\[1\] = 5 is not in \[0, 3\]"),
        (lambda: tf.reverse_sequence(X, [1, -1], seq_axis=1), E, r"seq_lengths\[1\] = -1"),
        (lambda: tf.reverse_sequence(X, [1, 2, 3], seq_axis=1), E, r"input.dims\(0\) = 2, received shape \(3,\)"),
        (lambda: tf.reverse_sequence(X, [1, 2], seq_axis=0), E, "batch_axis == seq_axis == 0"),
        (lambda: tf.reverse_sequence(X, [1.0, 2.0], seq_axis=1), TypeError, "seq_lengths, received float32"),
        (lambda: tf.reverse_sequence(X, [1, 2], seq_axis=-1), E, r"seq_axis must be in \[0, 3\).*received -1"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_slice_bounds_must_be_known_while_tracing():
    with pytest.raises(ValueError, match="begin must be known when the graph is built"):
        tf.function(lambda x, b: tf.strided_slice(x, b, [2]))(tf.ones([3]), tf.constant([0]))


def test_range_dtypes_follow_tensorflow():
    assert tf.range(5).dtype == tf.int32 and tf.range(0.0, 2.0, 0.5).dtype == tf.float32
    assert tf.range(tf.constant(4, tf.int64)).dtype == tf.int64
    assert tf.range(3, dtype=tf.float64).numpy().tolist() == [0.0, 1.0, 2.0]


def test_range_of_bounds_known_only_when_the_graph_runs():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def rows(x):
        r = tf.range(tf.shape(x)[0])
        assert r.shape.as_list() == [None] and r.dtype == tf.int32
        return r * 2, tf.range(0, tf.shape(x)[0] * 2, 3, dtype=tf.float32)

    evens, floats = rows(np.zeros((4, 3), np.float32))
    assert evens.numpy().tolist() == [0, 2, 4, 6] and floats.numpy().tolist() == [0.0, 3.0, 6.0]
    evens, floats = rows(np.zeros((0, 3), np.float32))
    assert evens.shape == (0,) and floats.numpy().tolist() == []

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)])
    def between(a, b):
        return tf.range(a, b, -1)

    assert between(5, 1).numpy().tolist() == [5, 4, 3, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Requires start >= limit when delta < 0"):
        between(1, 5)
    # in a dataset pipeline, as the index of each element's rows
    ds = tf.data.Dataset.from_generator(
        lambda: (np.ones((n, 2), np.float32) for n in (2, 3)), output_signature=tf.TensorSpec([None, 2], tf.float32)
    )
    got = [v.numpy().tolist() for v in ds.map(lambda m: tf.range(tf.shape(m)[0]) + 10)]
    assert got == [[10, 11], [10, 11, 12]]
