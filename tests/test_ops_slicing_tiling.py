"""The construction, slicing and tiling ops against NumPy, one table row per case.

Each row: (case name, ferroflow function, NumPy reference, input builders). Every row is checked in float32
and float64, eagerly and inside ``tf.function``; rows marked differentiable have their gradient checked
against finite differences in float64.
"""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(0)


def rand(*shape):
    return lambda dtype: rng.standard_normal(shape).astype(dtype)


# (name, ferroflow fn, numpy reference, inputs, differentiable)
TABLE = [
    ("slice", lambda x: tf.slice(x, [1, 0, 2], [2, -1, 3]), lambda x: x[1:3, :, 2:5], [rand(4, 3, 6)], True),
    ("slice_empty", lambda x: tf.slice(x, [0, 1], [0, 2]), lambda x: x[0:0, 1:3], [rand(3, 4)], False),
    (
        "gather_nd_elements",
        lambda x: tf.gather_nd(x, [[0, 1], [2, 3], [1, 0]]),
        lambda x: x[[0, 2, 1], [1, 3, 0]],
        [rand(3, 4)],
        True,
    ),
    ("gather_nd_rows", lambda x: tf.gather_nd(x, [[1], [0], [1]]), lambda x: x[[1, 0, 1]], [rand(2, 3, 4)], True),
    (
        "gather_nd_nested_index",
        lambda x: tf.gather_nd(x, [[[0, 0], [1, 2]], [[2, 1], [0, 3]]]),
        lambda x: x[[[0, 1], [2, 0]], [[0, 2], [1, 3]]],
        [rand(3, 4, 5)],
        True,
    ),
    (
        "gather_nd_batch_dims",
        lambda x: tf.gather_nd(x, [[1], [0]], batch_dims=1),
        lambda x: np.stack([x[0, 1], x[1, 0]]),
        [rand(2, 3, 4)],
        True,
    ),
    ("split_equal_0", lambda x: tf.split(x, 3, axis=1)[0], lambda x: np.split(x, 3, axis=1)[0], [rand(2, 6)], True),
    ("split_equal_2", lambda x: tf.split(x, 3, axis=1)[2], lambda x: np.split(x, 3, axis=1)[2], [rand(2, 6)], True),
    ("split_sizes", lambda x: tf.split(x, [1, -1, 2], axis=0)[1], lambda x: x[1:3], [rand(5, 3)], True),
    ("reverse", lambda x: tf.reverse(x, [0, -1]), lambda x: x[::-1, :, ::-1], [rand(3, 4, 5)], True),
    ("roll", lambda x: tf.roll(x, shift=2, axis=1), lambda x: np.roll(x, 2, axis=1), [rand(3, 5)], True),
    (
        "roll_negative_many",
        lambda x: tf.roll(x, shift=[-1, 7], axis=[0, 1]),
        lambda x: np.roll(x, (-1, 7), axis=(0, 1)),
        [rand(3, 5)],
        True,
    ),
    ("tile", lambda x: tf.tile(x, [2, 3]), lambda x: np.tile(x, (2, 3)), [rand(2, 3)], True),
    ("tile_rank3_zero", lambda x: tf.tile(x, [1, 0, 2]), lambda x: np.tile(x, (1, 0, 2)), [rand(2, 3, 2)], False),
    ("repeat_flat", lambda x: tf.repeat(x, 2), lambda x: np.repeat(x, 2), [rand(2, 3)], True),
    ("repeat_axis", lambda x: tf.repeat(x, 3, axis=1), lambda x: np.repeat(x, 3, axis=1), [rand(2, 3)], True),
    (
        "repeat_counts",
        lambda x: tf.repeat(x, [1, 0, 2], axis=0),
        lambda x: np.repeat(x, [1, 0, 2], axis=0),
        [rand(3, 2)],
        True,
    ),
    ("pad_constant", lambda x: tf.pad(x, [[1, 2], [0, 3]]), lambda x: np.pad(x, [(1, 2), (0, 3)]), [rand(2, 3)], True),
    (
        "pad_value",
        lambda x: tf.pad(x, [[1, 1], [2, 0]], constant_values=7),
        lambda x: np.pad(x, [(1, 1), (2, 0)], constant_values=7),
        [rand(2, 3)],
        True,
    ),
    (
        "pad_reflect",
        lambda x: tf.pad(x, [[1, 2], [2, 1]], mode="REFLECT"),
        lambda x: np.pad(x, [(1, 2), (2, 1)], mode="reflect"),
        [rand(3, 4)],
        True,
    ),
    (
        "pad_symmetric",
        lambda x: tf.pad(x, [[2, 3], [1, 0]], mode="SYMMETRIC"),
        lambda x: np.pad(x, [(2, 3), (1, 0)], mode="symmetric"),
        [rand(3, 4)],
        True,
    ),
    (
        "linspace",
        lambda a, b: tf.linspace(a, b, 7),
        lambda a, b: np.linspace(a, b, 7),
        [lambda d: np.asarray(-1.5, d), lambda d: np.asarray(4.0, d)],
        True,
    ),
    (
        "linspace_batched_axis1",
        lambda a, b: tf.linspace(a, b, 5, axis=1),
        lambda a, b: np.linspace(a, b, 5, axis=1),
        [rand(3), rand(3)],
        True,
    ),
    (
        "linspace_one",
        lambda a, b: tf.linspace(a, b, 1),
        lambda a, b: np.linspace(a, b, 1),
        [lambda d: np.asarray(2.0, d), lambda d: np.asarray(3.0, d)],
        False,
    ),
    ("eye_times", lambda x: tf.eye(3, 4, dtype=x.dtype) * x, lambda x: np.eye(3, 4) * x, [rand(3, 4)], True),
    (
        "meshgrid_xy",
        lambda a, b: tf.meshgrid(a, b)[0] * tf.meshgrid(a, b)[1],
        lambda a, b: np.meshgrid(a, b)[0] * np.meshgrid(a, b)[1],
        [rand(3), rand(4)],
        True,
    ),
    (
        "meshgrid_ij",
        lambda a, b: tf.meshgrid(a, b, indexing="ij")[1],
        lambda a, b: np.meshgrid(a, b, indexing="ij")[1],
        [rand(3), rand(4)],
        True,
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


def test_linspace_endpoints_are_exact_and_integer_bounds_give_float64():
    x = tf.linspace(0.1, 0.7, 13).numpy()
    assert x[0] == np.float32(0.1) and x[-1] == np.float32(0.7)
    assert tf.linspace(0.0, 1.0, 0).shape == (0,)
    ints = tf.linspace(-2, 2, 5)  # the basic-training-loops guide's call: float64, as TensorFlow gives
    assert ints.dtype == tf.float64
    np.testing.assert_array_equal(ints.numpy(), [-2.0, -1.0, 0.0, 1.0, 2.0])
    with pytest.raises(TypeError, match="one dtype"):
        tf.linspace(tf.constant(0.0), tf.constant(1.0, tf.float64), 3)


def test_eye_shapes_and_dtypes():
    np.testing.assert_array_equal(tf.eye(2).numpy(), np.eye(2, dtype=np.float32))
    assert tf.eye(2, batch_shape=[3]).shape == (3, 2, 2)
    assert tf.eye(3, 2, dtype=tf.int32).dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension -1 must be >= 0"):  # TensorFlow's error
        tf.eye(-1)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.slice(tf.zeros([3, 4]), [2, 0], [2, 1]), tf.errors.InvalidArgumentError, "does not fit"),
        (lambda: tf.slice(tf.zeros([3, 4]), [0], [1]), ValueError, "one entry per axis"),
        (lambda: tf.gather_nd(tf.zeros([3, 4]), [[0, 4]]), tf.errors.InvalidArgumentError, "out of bounds"),
        (lambda: tf.gather_nd(tf.zeros([3, 4]), [[0.5, 1.0]]), TypeError, "int32 or int64 indices"),
        (lambda: tf.gather_nd(tf.zeros([3]), [[0, 1]]), ValueError, "longer than params"),
        (lambda: tf.split(tf.zeros([5, 2]), 2), tf.errors.InvalidArgumentError, "equal parts"),
        (lambda: tf.split(tf.zeros([5, 2]), [2, 2]), tf.errors.InvalidArgumentError, "add up"),
        (lambda: tf.tile(tf.zeros([2, 2]), [2]), ValueError, "one multiple per axis"),
        (
            lambda: tf.pad(tf.zeros([2, 2]), [[2, 0], [0, 0]], mode="REFLECT"),
            tf.errors.InvalidArgumentError,
            "at most 1",
        ),
        (lambda: tf.pad(tf.zeros([2, 2]), [[1, 0]]), ValueError, r"shape \[2, 2\]"),
        (lambda: tf.pad(tf.zeros([2]), [[1, 0]], mode="WRAP"), ValueError, "'CONSTANT', 'REFLECT' or 'SYMMETRIC'"),
        (lambda: tf.repeat(tf.zeros([3]), [1, 2]), ValueError, "one count per element"),
        (lambda: tf.roll(tf.zeros([3]), [1, 2], [0]), ValueError, "one shift per axis"),
        (lambda: tf.reverse(tf.zeros([3]), [1]), tf.errors.InvalidArgumentError, "out of range"),
    ],
)
def test_bad_arguments_raise_tensorflows_error_types(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_gather_nd_checks_traced_indices_when_the_graph_runs():
    f = tf.function(lambda p, i: tf.gather_nd(p, i))
    p = tf.constant(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(f(p, tf.constant([[2, 3], [0, 1]])).numpy(), [11.0, 1.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        f(p, tf.constant([[0, 4]]))  # flat index 4 is a valid row; the tuple is not


def test_large_shapes_use_the_same_paths():
    # Shapes of a real model: a batch of 256 feature maps, so the slice and concat kernels split work.
    x = rng.standard_normal((256, 32, 32)).astype(np.float32)
    np.testing.assert_array_equal(tf.pad(x, [[0, 0], [2, 2], [2, 2]]).numpy(), np.pad(x, [(0, 0), (2, 2), (2, 2)]))
    np.testing.assert_array_equal(tf.roll(x, 5, axis=2).numpy(), np.roll(x, 5, axis=2))
    np.testing.assert_array_equal(tf.tile(x[:16], [2, 1, 3]).numpy(), np.tile(x[:16], (2, 1, 3)))
