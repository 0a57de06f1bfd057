"""``dynamic_partition``, ``dynamic_stitch`` and ``tensor_scatter_nd_max/min`` against NumPy: values in float32
and float64 (eager and traced), gradients against finite differences in float64 (ties shared as TensorFlow
shares them), integer inputs, and bad-input errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(6)
E = tf.errors.InvalidArgumentError


def rand(*shape):
    return lambda dtype: rng.uniform(-2.0, 2.0, shape).astype(dtype)


def stitch_reference(indices, data):
    size = max(int(np.max(i)) for i in indices if np.size(i)) + 1
    out = np.zeros((size,) + data[0].shape[np.ndim(indices[0]) :], data[0].dtype)
    for i, d in zip(indices, data):
        out[np.asarray(i).reshape(-1)] = d.reshape((-1,) + out.shape[1:])
    return out


def scatter_reference(combine, t, indices, updates):
    out = np.array(t, copy=True)
    for index, u in zip(indices, updates):
        out[tuple(index)] = combine(out[tuple(index)], u)
    return out


PARTS = np.array([1, 0, 2, 1, 1], np.int32)
PARTS_2D = (PARTS.reshape(5, 1) * [1, 0]).astype(np.int32)
SCATTER_AT = np.array([[0, 1], [2, 0], [0, 1], [3, 3]])

# (name, ferroflow fn, numpy reference, inputs, differentiable)
TABLE = [
    (
        "dynamic_partition_0",
        lambda x: tf.dynamic_partition(x, PARTS, 3)[0],
        lambda x: x[PARTS == 0],
        [rand(5, 2)],
        True,
    ),
    (
        "dynamic_partition_1",
        lambda x: tf.dynamic_partition(x, PARTS, 3)[1],
        lambda x: x[PARTS == 1],
        [rand(5, 2)],
        True,
    ),
    (
        "dynamic_partition_2d",
        lambda x: tf.dynamic_partition(x, PARTS_2D, 3)[0],
        lambda x: x[PARTS_2D == 0],
        [rand(5, 2, 3)],
        True,
    ),
    ("dynamic_partition_none", lambda x: tf.dynamic_partition(x, PARTS, 4)[3], lambda x: x[:0], [rand(5)], False),
    (
        "dynamic_stitch",
        lambda a, b: tf.dynamic_stitch([[0, 2], [1, 3]], [a, b]),
        lambda a, b: stitch_reference([[0, 2], [1, 3]], [a, b]),
        [rand(2), rand(2)],
        True,
    ),
    (
        "dynamic_stitch_repeats_and_gaps",
        lambda a, b: tf.dynamic_stitch([[5, 2], [[2], [0]]], [a, b]),
        lambda a, b: stitch_reference([[5, 2], [[2], [0]]], [a, b]),
        [rand(2, 3), rand(2, 1, 3)],
        True,
    ),
    (
        "tensor_scatter_nd_max",
        lambda t, u: tf.tensor_scatter_nd_max(t, SCATTER_AT, u),
        lambda t, u: scatter_reference(np.maximum, t, SCATTER_AT, u),
        [rand(4, 4), rand(4)],
        True,
    ),
    (
        "tensor_scatter_nd_min",
        lambda t, u: tf.tensor_scatter_nd_min(t, SCATTER_AT, u),
        lambda t, u: scatter_reference(np.minimum, t, SCATTER_AT, u),
        [rand(4, 4), rand(4)],
        True,
    ),
    (
        "tensor_scatter_nd_max_rows",
        lambda t, u: tf.tensor_scatter_nd_max(t, [[2], [0], [2]], u),
        lambda t, u: scatter_reference(np.maximum, t, [[2], [0], [2]], u),
        [rand(3, 2), rand(3, 2)],
        True,
    ),
    (
        "tensor_scatter_nd_min_no_updates",
        lambda t, u: tf.tensor_scatter_nd_min(t, np.zeros((0, 1), np.int32), u),
        lambda t, u: t,
        [rand(3), rand(0)],
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


def test_scatter_max_and_min_share_the_gradient_among_ties():
    t, u = tf.constant([[1.0, 5.0], [3.0, 2.0]]), tf.constant([4.0, 7.0, 0.5, 3.0])
    at = [[0, 0], [1, 1], [0, 0], [1, 0]]
    for fn, want_t, want_u in [
        (tf.tensor_scatter_nd_max, [[0.0, 1.0], [0.5, 0.0]], [1.0, 1.0, 0.0, 0.5]),  # as TensorFlow 2.21 gives
        (tf.tensor_scatter_nd_min, [[0.0, 1.0], [0.5, 1.0]], [0.0, 0.0, 1.0, 0.5]),
    ]:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([t, u])
            out = fn(t, at, u)
        np.testing.assert_array_equal(tape.gradient(out, t).numpy(), want_t)
        np.testing.assert_array_equal(tape.gradient(out, u).numpy(), want_u)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_scatters_and_stitches(dtype):
    t = np.array([1, 2, 3], dtype)
    got = tf.function(lambda u: tf.tensor_scatter_nd_max(t, [[1], [2], [1]], u))(
        tf.constant(np.array([5, 0, 7], dtype))
    )
    np.testing.assert_array_equal(got.numpy(), [1, 7, 3])
    assert tf.tensor_scatter_nd_min(t, [[0]], np.array([-4], dtype)).numpy().tolist() == [-4, 2, 3]
    stitched = tf.dynamic_stitch([[1], [0, 3]], [np.array([10], dtype), np.array([20, 30], dtype)])
    assert stitched.dtype == dtype and stitched.numpy().tolist() == [20, 10, 0, 30]
    assert tf.dynamic_stitch([[0], [1]], [[1.0], [2]]).dtype == tf.float32  # lists follow the first dtype


def test_partition_then_stitch_round_trips_in_a_function():
    x = rng.standard_normal((6, 2))
    parts = np.array([2, 0, 1, 0, 2, 2], np.int32)
    positions = [np.flatnonzero(parts == i).astype(np.int32) for i in range(3)]

    @tf.function
    def round_trip(data):
        return tf.dynamic_stitch(positions, tf.dynamic_partition(data, parts, 3))

    np.testing.assert_array_equal(round_trip(tf.constant(x)).numpy(), x)


X = tf.zeros([2, 3, 4])


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.dynamic_partition(X, [1, 3], 3), E, r"partitions\[1\] = 3 is not in \[0, 3\)"),
        (lambda: tf.dynamic_partition(X, [1, 0, 1], 3), E, r"data.shape = \[2, 3, 4\], partitions.shape = \[3\]"),
        (
            lambda: tf.dynamic_partition(X, tf.constant([1, 0], tf.int64), 3),
            TypeError,
            "int32 partitions, received int64",
        ),
        (lambda: tf.dynamic_partition(X, [0, 0], 0), E, "at least 1, received 0"),
        (lambda: tf.dynamic_stitch([[0, 1]], [[1.0, 2.0, 3.0]]), E, r"data\[0\].shape = \[3\] does not start with"),
        (lambda: tf.dynamic_stitch([[0, -1]], [[1.0, 2.0]]), E, r"indices\[1\] is out of range"),
        (lambda: tf.dynamic_stitch([[0], [1]], [[1.0]]), ValueError, "length 1 must match length 2"),
        (lambda: tf.dynamic_stitch([[0], [1]], [[[1.0]], [2.0]]), E, r"data\[1\] has slices of shape \[\]"),
        (lambda: tf.dynamic_stitch([[0], [1]], [tf.ones([1]), tf.ones([1], tf.int32)]), TypeError, "one dtype"),
        (lambda: tf.tensor_scatter_nd_max(tf.ones([2, 2]), [[2, 0]], [5.0]), E, r"\[2, 0\] is out of bounds"),
        (
            lambda: tf.tensor_scatter_nd_max(tf.ones([2, 2]), [[1, 0]], tf.constant([5])),
            TypeError,
            "float32, received int32",
        ),
        (lambda: tf.tensor_scatter_nd_min(tf.ones([2, 2]), [[1, 0]], [5.0, 6.0]), E, r"shape \[1\].*received \(2,\)"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_partitions_must_be_known_while_tracing():
    with pytest.raises(ValueError, match="partitions known when the graph is built"):
        tf.function(lambda x, p: tf.dynamic_partition(x, p, 2))(tf.ones([2]), tf.constant([0, 1]))
