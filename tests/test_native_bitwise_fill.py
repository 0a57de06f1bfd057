"""tf.bitwise ops and tf.fill with run-time sizes as single native nodes, as TensorFlow builds them.

Node names, op types, static shapes, values and errors were taken from TensorFlow 2.21 running the same code; the
one difference (a list of sizes joined by ExpandDims + ConcatV2 where TensorFlow has one Pack) is marked.
"""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


def test_bitwise_ops_are_one_node_each():
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.int32, [None, 4], name="a")
        b = v1.placeholder(tf.int32, [4], name="b")
        made = [
            tf.bitwise.bitwise_and(a, b),
            tf.bitwise.bitwise_or(a, b, name="either"),
            tf.bitwise.bitwise_xor(a, b),
            tf.bitwise.invert(a),
            tf.bitwise.left_shift(a, b),
            tf.bitwise.right_shift(a, b),
            a & b,
            a ^ b,
            ~a,
        ]
    assert [(op.name, op.type) for op in g.get_operations()] == [
        ("a", "Placeholder"),
        ("b", "Placeholder"),
        ("BitwiseAnd", "BitwiseAnd"),
        ("either", "BitwiseOr"),
        ("BitwiseXor", "BitwiseXor"),
        ("Invert", "Invert"),
        ("LeftShift", "LeftShift"),
        ("RightShift", "RightShift"),
        ("and/BitwiseAnd", "BitwiseAnd"),
        ("xor/BitwiseXor", "BitwiseXor"),
        ("Invert_1", "Invert"),
    ]
    assert [(t.shape.as_list(), t.dtype.name) for t in made] == [([None, 4], "int32")] * 9
    x = np.arange(-12, 12, dtype=np.int32).reshape(6, 4) * 1234567
    y = np.array([0, 5, 17, 31], dtype=np.int32)
    with v1.Session(graph=g) as s:
        got = s.run(made, {a: x, b: y})
    want = [x & y, x | y, x ^ y, ~x, np.left_shift(x, y), np.right_shift(x, y), x & y, x ^ y, ~x]
    for g_, w in zip(got, want):
        np.testing.assert_array_equal(g_, w)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"])
def test_every_integer_dtype_at_a_size_that_splits_across_threads(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(3)
    x = rng.integers(info.min, info.max, size=(512, 1024), dtype=dtype, endpoint=True)
    y = rng.integers(info.min, info.max, size=(512, 1024), dtype=dtype, endpoint=True)
    shift = rng.integers(0, info.bits, size=(1024,)).astype(dtype)
    tx, ty, ts = tf.constant(x), tf.constant(y), tf.constant(shift)
    np.testing.assert_array_equal(tf.bitwise.bitwise_and(tx, ty).numpy(), x & y)
    np.testing.assert_array_equal(tf.bitwise.bitwise_or(tx, ty).numpy(), x | y)
    np.testing.assert_array_equal(tf.bitwise.bitwise_xor(tx, ty).numpy(), x ^ y)
    np.testing.assert_array_equal(tf.bitwise.invert(tx).numpy(), ~x)
    np.testing.assert_array_equal(tf.bitwise.left_shift(tx, ts).numpy(), np.left_shift(x, shift))
    np.testing.assert_array_equal(tf.bitwise.right_shift(tx, ts).numpy(), np.right_shift(x, shift))


def test_shift_amounts_outside_the_width_clamp():
    # TensorFlow clamps the amount to [0, bits - 1]: values from TensorFlow 2.21.
    x = tf.constant([1, -8, 1, -8, 3], tf.int8)
    by = tf.constant([8, 9, -1, -3, 100], tf.int8)
    assert tf.bitwise.left_shift(x, by).numpy().tolist() == [-128, 0, 1, -8, -128]
    assert tf.bitwise.right_shift(x, by).numpy().tolist() == [0, -1, 1, -8, 0]


def test_fill_with_placeholder_sizes_is_one_fill_node():
    g = tf.Graph()
    with g.as_default():
        d = v1.placeholder(tf.int32, [2], name="d")
        n = v1.placeholder(tf.int32, [], name="n")
        u = v1.placeholder(tf.int64, None, name="u")
        made = [
            tf.fill(d, 1.5),
            tf.zeros(d),
            tf.ones(d, tf.int64),
            tf.fill(d, "x", name="words"),
            tf.fill([n, 3], 7),
            tf.fill(u, True),
        ]
    assert [(op.name, op.type) for op in g.get_operations()] == [
        ("d", "Placeholder"),
        ("n", "Placeholder"),
        ("u", "Placeholder"),
        ("Fill/value", "Const"),
        ("Fill", "Fill"),
        ("zeros/Const", "Const"),
        ("zeros", "Fill"),
        ("ones/Const", "Const"),
        ("ones", "Fill"),
        ("words/value", "Const"),
        ("words", "Fill"),
        # TensorFlow packs the sizes with one node: ("Fill_1/dims/1", "Const"), ("Fill_1/dims", "Pack").
        ("Fill_1/dims/ExpandDims", "ExpandDims"),
        ("Fill_1/dims/1", "Const"),
        ("Fill_1/dims/ExpandDims_1", "ExpandDims"),
        ("Fill_1/dims", "ConcatV2"),
        ("Fill_1/value", "Const"),
        ("Fill_1", "Fill"),
        ("Fill_2/value", "Const"),
        ("Fill_2", "Fill"),
    ]
    shapes = [(t.shape.as_list() if t.shape.rank is not None else None, t.dtype.name) for t in made]
    assert shapes == [
        ([None, None], "float32"),
        ([None, None], "float32"),
        ([None, None], "int64"),
        ([None, None], "string"),
        ([None, 3], "int32"),
        (None, "bool"),
    ]
    with v1.Session(graph=g) as s:
        got = s.run(made, {d: [2, 3], n: 2, u: [1, 2, 1]})
        assert [v.tolist() for v in got] == [
            [[1.5] * 3] * 2,
            [[0.0] * 3] * 2,
            [[1] * 3] * 2,
            [[b"x"] * 3] * 2,
            [[7] * 3] * 2,
            [[[True], [True]]],
        ]
        with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension -1 must be >= 0"):
            s.run(made[0], {d: [-1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"dims must represent a vector, got shape \[1,2\]"):
            s.run(made[5], {u: [[1, 2]]})


def test_fill_in_a_function_takes_each_calls_sizes_and_has_a_gradient():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.float32)])
    def fill_and_grad(dims, v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = tf.fill(dims, v)
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, v)

    y, grad = fill_and_grad(tf.constant([3, 4]), tf.constant(0.5))
    assert y.shape == (3, 4) and float(grad) == 12.0  # d/dv of 12 v^2 at 0.5 (TensorFlow: 12.0)
    y, grad = fill_and_grad(tf.constant([2, 5, 7]), tf.constant(-1.25))
    np.testing.assert_array_equal(y.numpy(), np.full((2, 5, 7), -1.25, np.float32))
    assert float(grad) == pytest.approx(2 * 70 * -1.25)
    types = {op.type for op in fill_and_grad.get_concrete_function().graph.get_operations()}
    assert "Fill" in types


def test_zeros_like_a_dynamic_batch_in_a_model_sized_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 784], tf.float32)])
    def padded(x):
        return tf.concat([x, tf.zeros([tf.shape(x)[0], 16])], axis=1)

    x = np.random.default_rng(0).random((256, 784), dtype=np.float32)
    out = padded(x).numpy()
    assert out.shape == (256, 800)
    np.testing.assert_array_equal(out[:, :784], x)
    assert not out[:, 784:].any()
