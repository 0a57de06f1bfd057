"""keras.ops's sorting, axis, triangle, stacking, math, control-flow, scatter/slice, segment, pooling and
crossentropy functions, against the dtypes and values Keras 3.15 (TensorFlow backend) gives for the same calls."""

import numpy as np
import pytest

from ferroflow import keras

ops = keras.ops
inf = float("inf")
x = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]], "float32")
i = np.array([[2, 0, 1], [1, 1, 0]])
CASES = {
    "top_k": lambda: ops.top_k(x, 2),
    "in_top_k": lambda: ops.in_top_k(np.array([0, 2]), x, 1),
    "sort": lambda: ops.sort(x),
    "argsort": lambda: ops.argsort(x, axis=0),
    "flip": lambda: ops.flip(x, axis=1),
    "moveaxis": lambda: ops.moveaxis(np.arange(24.0).reshape(2, 3, 4), 0, -1),
    "swapaxes": lambda: ops.swapaxes(x, 0, 1),
    "tril": lambda: ops.tril(np.ones((3, 4)), -1),
    "triu": lambda: ops.triu(np.ones((3, 4)), 1),
    "einsum": lambda: ops.einsum("ij,kj->ik", x, x),
    "hstack": lambda: ops.hstack([x, x]),
    "vstack": lambda: ops.vstack([x[0], x[1]]),
    "outer": lambda: ops.outer(x[0], x[1]),
    "log2": lambda: ops.log2(np.array([1, 8])),
    "log10": lambda: ops.log10(np.array([1.0, 1000.0])),
    "exp2": lambda: ops.exp2(np.array([1.0, 3.0])),
    "arctan2": lambda: ops.arctan2(x[0], x[1]),
    "cosh": lambda: ops.cosh(x),
    "arcsin": lambda: ops.arcsin(x / 5),
    "erf": lambda: ops.erf(x),
    "trunc": lambda: ops.trunc(x * 1.3),
    "isclose": lambda: ops.isclose(x, x + 1e-6),
    "nan_to_num": lambda: ops.nan_to_num(
        np.array([np.nan, np.inf, -np.inf, 1.0], "float32"), nan=0.5, posinf=100.0, neginf=-100.0
    ),
    "divide_no_nan": lambda: ops.divide_no_nan(x, np.array([1.0, 0.0, 2.0], "float32")),
    "take_along_axis": lambda: ops.take_along_axis(x, i, axis=1),
    "count_nonzero": lambda: ops.count_nonzero(np.array([[0, 1], [2, 0]]), axis=0),
    "identity": lambda: ops.identity(3),
    "unstack": lambda: ops.unstack(x, axis=1),
    "ravel": lambda: ops.ravel(x),
    "while_loop": lambda: ops.while_loop(lambda a, b: a < 5, lambda a, b: (a + 1, b * 2), (0, 1)),
    "fori_loop": lambda: ops.fori_loop(0, 4, lambda k, v: v + k, 10),
    "cond": lambda: ops.cond(True, lambda: ops.ones(2), lambda: ops.zeros(2)),
    "map": lambda: ops.map(lambda r: ops.sum(r), x),
    "vectorized_map": lambda: ops.vectorized_map(lambda r: r * 2, x),
    "slice": lambda: ops.slice(x, [0, 1], [2, 2]),
    "slice_update": lambda: ops.slice_update(x, [1, 1], np.zeros((1, 2), "float32")),
    "scatter": lambda: ops.scatter(np.array([[0, 1], [1, 2]]), np.array([5.0, 6.0]), (2, 3)),
    "scatter_update": lambda: ops.scatter_update(x, np.array([[0, 0]]), np.array([9.0], "float32")),
    "segment_sum": lambda: ops.segment_sum(x, np.array([0, 0])),
    "segment_max": lambda: ops.segment_max(np.array([1.0, 5.0, 2.0]), np.array([0, 1, 1]), num_segments=3),
    "max_pool": lambda: ops.max_pool(np.arange(32.0, dtype="float32").reshape(1, 4, 4, 2), 2),
    "average_pool": lambda: ops.average_pool(np.arange(32.0).reshape(1, 4, 4, 2), 2, 1, padding="same"),
    "depthwise_conv": lambda: ops.depthwise_conv(np.arange(32.0).reshape(1, 4, 4, 2), np.ones((2, 2, 2, 1)) / 4),
    "separable_conv": lambda: ops.separable_conv(
        np.arange(32.0).reshape(1, 4, 4, 2), np.ones((2, 2, 2, 1)), np.ones((1, 1, 2, 3)) / 2
    ),
    "binary_crossentropy": lambda: ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.8, 0.3])),
    "categorical_crossentropy": lambda: ops.categorical_crossentropy(
        np.array([[0.0, 1.0, 0.0]]), x[:1], from_logits=True
    ),
    "sparse_categorical_crossentropy": lambda: ops.sparse_categorical_crossentropy(
        np.array([2, 0]), x, from_logits=True
    ),
    "multi_hot": lambda: ops.multi_hot(np.array([[0, 2], [1, 1]]), 4),
    "is_tensor": lambda: ops.is_tensor(ops.ones(1)),
}
EXPECTED = {
    "top_k": [("float32", [[3.0, 2.0], [4.0, 0.5]]), ("int32", [[0.0, 2.0], [1.0, 0.0]])],
    "in_top_k": ("bool", [1.0, 0.0]),
    "sort": ("float32", [[-1.0, 2.0, 3.0], [-2.0, 0.5, 4.0]]),
    "argsort": ("int32", [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
    "flip": ("float32", [[2.0, -1.0, 3.0], [-2.0, 4.0, 0.5]]),
    "moveaxis": (
        "float64",
        [
            [[0.0, 12.0], [1.0, 13.0], [2.0, 14.0], [3.0, 15.0]],
            [[4.0, 16.0], [5.0, 17.0], [6.0, 18.0], [7.0, 19.0]],
            [[8.0, 20.0], [9.0, 21.0], [10.0, 22.0], [11.0, 23.0]],
        ],
    ),
    "swapaxes": ("float32", [[3.0, 0.5], [-1.0, 4.0], [2.0, -2.0]]),
    "tril": ("float64", [[0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]),
    "triu": ("float64", [[0.0, 1.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0]]),
    "einsum": ("float32", [[14.0, -6.5], [-6.5, 20.25]]),
    "hstack": ("float32", [[3.0, -1.0, 2.0, 3.0, -1.0, 2.0], [0.5, 4.0, -2.0, 0.5, 4.0, -2.0]]),
    "vstack": ("float32", [3.0, -1.0, 2.0, 0.5, 4.0, -2.0]),
    "outer": ("float32", [[1.5, 12.0, -6.0], [-0.5, -4.0, 2.0], [1.0, 8.0, -4.0]]),
    "log2": ("float32", [0.0, 3.0]),
    "log10": ("float64", [0.0, 3.0]),
    "exp2": ("float64", [2.0, 8.0]),
    "arctan2": ("float32", [1.40565, -0.24498, 2.35619]),
    "cosh": ("float32", [[10.06766, 1.54308, 3.7622], [1.12763, 27.30823, 3.7622]]),
    "arcsin": ("float32", [[0.6435, -0.20136, 0.41152], [0.10017, 0.9273, -0.41152]]),
    "erf": ("float32", [[0.99998, -0.8427, 0.99532], [0.5205, 1.0, -0.99532]]),
    "trunc": ("float32", [[3.0, -1.0, 2.0], [0.0, 5.0, -2.0]]),
    "isclose": ("bool", [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]),
    "nan_to_num": ("float32", [0.5, 100.0, -100.0, 1.0]),
    "divide_no_nan": ("float32", [[3.0, 0.0, 1.0], [0.5, 0.0, -1.0]]),
    "take_along_axis": ("float32", [[2.0, 3.0, -1.0], [4.0, 4.0, 0.5]]),
    "count_nonzero": ("int32", [1.0, 1.0]),
    "identity": ("float32", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
    "unstack": [("float32", [3.0, 0.5]), ("float32", [-1.0, 4.0]), ("float32", [2.0, -2.0])],
    "ravel": ("float32", [3.0, -1.0, 2.0, 0.5, 4.0, -2.0]),
    "while_loop": [("int32", 5.0), ("int32", 32.0)],
    "fori_loop": ("int32", 16.0),
    "cond": ("float32", [1.0, 1.0]),
    "map": ("float32", [4.0, 2.5]),
    "vectorized_map": ("float32", [[6.0, -2.0, 4.0], [1.0, 8.0, -4.0]]),
    "slice": ("float32", [[-1.0, 2.0], [4.0, -2.0]]),
    "slice_update": ("float32", [[3.0, -1.0, 2.0], [0.5, 0.0, 0.0]]),
    "scatter": ("float64", [[0.0, 5.0, 0.0], [0.0, 0.0, 6.0]]),
    "scatter_update": ("float32", [[9.0, -1.0, 2.0], [0.5, 4.0, -2.0]]),
    "segment_sum": ("float32", [[3.5, 3.0, 0.0]]),
    "segment_max": ("float64", [1.0, 5.0, -inf]),
    "max_pool": ("float32", [[[[10.0, 11.0], [14.0, 15.0]], [[26.0, 27.0], [30.0, 31.0]]]]),
    "average_pool": (
        "float64",
        [
            [
                [[5.0, 6.0], [7.0, 8.0], [9.0, 10.0], [10.0, 11.0]],
                [[13.0, 14.0], [15.0, 16.0], [17.0, 18.0], [18.0, 19.0]],
                [[21.0, 22.0], [23.0, 24.0], [25.0, 26.0], [26.0, 27.0]],
                [[25.0, 26.0], [27.0, 28.0], [29.0, 30.0], [30.0, 31.0]],
            ]
        ],
    ),
    "depthwise_conv": (
        "float64",
        [
            [
                [[5.0, 6.0], [7.0, 8.0], [9.0, 10.0]],
                [[13.0, 14.0], [15.0, 16.0], [17.0, 18.0]],
                [[21.0, 22.0], [23.0, 24.0], [25.0, 26.0]],
            ]
        ],
    ),
    "separable_conv": (
        "float64",
        [
            [
                [[22.0, 22.0, 22.0], [30.0, 30.0, 30.0], [38.0, 38.0, 38.0]],
                [[54.0, 54.0, 54.0], [62.0, 62.0, 62.0], [70.0, 70.0, 70.0]],
                [[86.0, 86.0, 86.0], [94.0, 94.0, 94.0], [102.0, 102.0, 102.0]],
            ]
        ],
    ),
    "binary_crossentropy": ("float64", [0.22314, 0.35667]),
    "categorical_crossentropy": ("float32", [4.32656]),
    "sparse_categorical_crossentropy": ("float32", [1.32656, 3.53215]),
    "multi_hot": ("float32", [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]),
    "is_tensor": ("bool", 1.0),
}


def _show(v):
    if isinstance(v, (list, tuple)):
        return [_show(a) for a in v]
    a = np.asarray(v)
    return (str(a.dtype), np.round(a.astype("float64"), 5).tolist())


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_keras(name):
    assert _show(CASES[name]()) == EXPECTED[name]


def test_nan_to_num_defaults_are_the_dtype_limits():
    out = ops.nan_to_num(np.array([np.nan, np.inf, -np.inf], "float32")).numpy()
    f = np.finfo("float32")
    assert out.tolist() == [0.0, float(f.max), float(f.min)]


def test_functional_symbolic_use():
    inp = keras.Input((3,))
    values, indices = ops.top_k(inp, 2)
    out = ops.flip(ops.sort(inp), axis=1)
    m = keras.Model(inp, [values, indices, out])
    v, i, o = m.predict(np.array([[3.0, 1.0, 2.0]], "float32"), verbose=0)
    assert v.tolist() == [[3.0, 2.0]] and i.tolist() == [[0, 2]] and o.tolist() == [[3.0, 2.0, 1.0]]
