"""The low-level TensorFlow-style API against NumPy: values, dtypes, broadcasting, graph mode and errors."""

import numpy as np
import pytest

import ferroflow as tf

rng = np.random.default_rng(0)


def both_modes(fn, *args):
    """Runs ``fn`` eagerly and traced by ``tf.function``; both results must agree."""
    eager = fn(*args)
    traced = tf.function(fn)(*args)
    np.testing.assert_allclose(np.asarray(eager), np.asarray(traced), rtol=1e-6, atol=1e-6)
    return np.asarray(eager)


def test_python_values_get_tensorflow_dtypes():
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(np.zeros(3)).dtype == tf.float64
    assert tf.constant(1.0).shape == ()
    assert tf.constant([[1, 2]]).shape == [1, 2]


@pytest.mark.parametrize("a_shape,b_shape", [((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3)), ((2, 1, 3), (4, 1))])
def test_arithmetic_broadcasts_like_numpy(a_shape, b_shape):
    a = rng.standard_normal(a_shape).astype(np.float32)
    b = rng.standard_normal(b_shape).astype(np.float32) + 3.0
    for op, ref in [(lambda x, y: x + y, np.add), (lambda x, y: x - y, np.subtract),
                    (lambda x, y: x * y, np.multiply), (lambda x, y: x / y, np.divide),
                    (tf.maximum, np.maximum), (tf.minimum, np.minimum)]:
        got = both_modes(lambda x, y, op=op: op(tf.constant(x), tf.constant(y)), a, b)
        np.testing.assert_allclose(got, ref(a, b), rtol=1e-6)


def test_python_scalars_on_either_side_take_the_tensor_dtype():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_allclose((2 - x).numpy(), [1.0, 0.0])
    np.testing.assert_allclose((x ** 2).numpy(), [1.0, 4.0])
    assert (x * 3).dtype == tf.float32
    i = tf.constant([7, -7])
    np.testing.assert_array_equal((i // 2).numpy(), [3, -4])
    np.testing.assert_array_equal((i % 3).numpy(), [1, 2])
    assert (i / 2).dtype == tf.float64


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, [0, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_over_each_axis(axis, keepdims):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    for fn, ref in [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max),
                    (tf.reduce_min, np.min)]:
        got = both_modes(lambda t, fn=fn: fn(t, axis=axis, keepdims=keepdims), x)
        np.testing.assert_allclose(got, ref(x, axis=np_axis, keepdims=keepdims), rtol=1e-5, atol=1e-6)


def test_matmul_and_transposes():
    a = rng.standard_normal((4, 3)).astype(np.float32)
    b = rng.standard_normal((4, 5)).astype(np.float32)
    np.testing.assert_allclose(both_modes(lambda x, y: tf.matmul(x, y, transpose_a=True), a, b), a.T @ b, rtol=1e-5)
    np.testing.assert_allclose((tf.constant(a.T) @ tf.constant(b)).numpy(), a.T @ b, rtol=1e-5)


def test_slicing_follows_numpy():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = tf.constant(x)
    for key in [(1,), (slice(None), slice(None, None, -1)), (Ellipsis, 0), (None, 1, slice(1, 3)),
                (slice(-1, None), 2, slice(None, None, 2))]:
        np.testing.assert_array_equal(t[key].numpy(), x[key])


def test_shape_ops_against_numpy():
    x = rng.standard_normal((2, 3)).astype(np.float32)
    t = tf.constant(x)
    np.testing.assert_array_equal(tf.reshape(t, [3, -1]).numpy(), x.reshape(3, -1))
    np.testing.assert_array_equal(tf.transpose(t).numpy(), x.T)
    np.testing.assert_array_equal(tf.concat([t, t], axis=1).numpy(), np.concatenate([x, x], 1))
    np.testing.assert_array_equal(tf.stack([t, t], axis=0).numpy(), np.stack([x, x]))
    np.testing.assert_array_equal(tf.expand_dims(t, 1).numpy(), x[:, None])
    np.testing.assert_array_equal(tf.squeeze(tf.constant(x[None]), 0).numpy(), x)
    np.testing.assert_array_equal(tf.cast(t, tf.int32).numpy(), x.astype(np.int32))
    np.testing.assert_array_equal(tf.one_hot([1, 0], 3).numpy(), np.eye(3, dtype=np.float32)[[1, 0]])
    np.testing.assert_array_equal(tf.argmax(t, axis=1).numpy(), x.argmax(1))
    np.testing.assert_array_equal(tf.where(t > 0, t, 0.0).numpy(), np.where(x > 0, x, 0))
    np.testing.assert_array_equal(tf.range(1, 10, 3).numpy(), np.arange(1, 10, 3))


def test_nn_ops():
    logits = rng.standard_normal((5, 4)).astype(np.float64)
    labels = np.array([0, 3, 1, 2, 3])
    ls = logits - logits.max(1, keepdims=True)
    log_softmax = ls - np.log(np.exp(ls).sum(1, keepdims=True))
    np.testing.assert_allclose(tf.nn.softmax(logits).numpy(), np.exp(log_softmax), rtol=1e-12)
    np.testing.assert_allclose(tf.nn.log_softmax(logits).numpy(), log_softmax, rtol=1e-12)
    got = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(got.numpy(), -log_softmax[np.arange(5), labels], rtol=1e-12)
    dense = np.eye(4)[labels]
    got = tf.nn.softmax_cross_entropy_with_logits(labels=dense, logits=logits)
    np.testing.assert_allclose(got.numpy(), -log_softmax[np.arange(5), labels], rtol=1e-12)


def test_bad_label_names_the_value():
    with pytest.raises(ValueError, match="label value 7 is outside the valid range"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[7], logits=np.zeros((1, 3), np.float32))


def test_shape_mistake_names_op_shapes_and_dtypes():
    with pytest.raises(ValueError) as e:
        tf.matmul(tf.zeros([32, 784]), tf.zeros([512, 10]))
    msg = str(e.value)
    assert "MatMul" in msg and "(32, 784)" in msg and "(512, 10)" in msg and "float32" in msg


def test_dtype_mistake_is_a_type_error():
    with pytest.raises(TypeError, match="float32 and int32"):
        tf.add(tf.constant([1.0]), tf.constant([1]))


def test_graph_errors_appear_when_the_graph_is_built():
    @tf.function
    def bad(x):
        return tf.matmul(x, tf.zeros([3, 3]))

    with pytest.raises(ValueError, match="MatMul"):
        bad(tf.zeros([2, 4]))


def test_function_traces_once_per_signature():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x * 2.0

    f(tf.zeros([2]))
    f(tf.ones([2]))
    f(tf.zeros([3]))
    assert len(calls) == 2
    assert f.experimental_get_tracing_count() == 2


def test_variables_update_in_place_eagerly_and_in_functions():
    v = tf.Variable([1.0, 2.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])

    @tf.function
    def step():
        v.assign_sub([0.5, 0.5])
        return v.read_value()

    np.testing.assert_array_equal(step().numpy(), [1.5, 2.5])
    np.testing.assert_array_equal(step().numpy(), [1.0, 2.0])
    with pytest.raises(TypeError):
        v.assign(tf.constant([1, 2]))


def test_random_is_seeded():
    tf.random.set_seed(7)
    a = tf.random.uniform([4]).numpy()
    b = tf.random.normal([4]).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(a, tf.random.uniform([4]).numpy())
    np.testing.assert_array_equal(b, tf.random.normal([4]).numpy())
    assert ((a >= 0) & (a < 1)).all()


def test_non_rectangular_lists_raise_tensorflows_message():
    for convert in (tf.constant, tf.convert_to_tensor):
        with pytest.raises(ValueError, match="Can't convert non-rectangular Python sequence to Tensor"):
            convert([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])


def test_variables_compare_elementwise_and_refuse_a_wrong_shape():
    a = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="Mark")
    b = tf.Variable(a + 1, name="Mark")
    np.testing.assert_array_equal((a == b).numpy(), np.zeros((2, 2), bool))
    np.testing.assert_array_equal((a != b).numpy(), np.ones((2, 2), bool))
    assert a in [a] and len({a, b}) == 2
    with pytest.raises(ValueError, match="Shape mismatch"):
        a.assign([1.0, 2.0, 3.0])
