"""tf.TensorArray: eager semantics and errors as TensorFlow 2's, the same results in a tf.function, gradients."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

RNG = np.random.default_rng(0)


def test_write_read_stack_and_unwritten_zeros():
    ta = tf.TensorArray(tf.float32, size=3)
    ta2 = ta.write(0, 1.0).write(2, tf.constant(5.0))
    assert ta2 is not ta
    np.testing.assert_array_equal(ta2.stack().numpy(), [1.0, 0.0, 5.0])
    assert float(ta2.read(1)) == 0.0  # unwritten, element shape known from the writes
    assert ta2.size().numpy() == 3 and ta2.size().dtype == tf.int32
    assert ta2.element_shape == [] and ta2.dtype == tf.float32 and ta2.dynamic_size is False


def test_write_twice_overwrites_and_python_ints_take_the_dtype():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 1).write(1, 2).write(0, 7)
    out = ta.stack()
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [7.0, 2.0])


def test_dynamic_size_grows_and_size_counts_written():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(3, 1.0)
    np.testing.assert_array_equal(ta.stack().numpy(), [0.0, 0.0, 0.0, 1.0])
    assert ta.size().numpy() == 4


def test_stack_with_element_shape_and_empty():
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(0, [1.0, 2.0])
    np.testing.assert_array_equal(ta.stack().numpy(), [[1, 2], [0, 0], [0, 0]])
    assert tf.TensorArray(tf.float32, size=0, element_shape=[3]).stack().shape == (0, 3)
    assert tf.TensorArray(tf.float32, size=0).stack().shape == (0,)


def test_unstack_gather_scatter():
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    ta = tf.TensorArray(tf.float32, size=4).unstack(x)
    np.testing.assert_array_equal(ta.read(2).numpy(), x[2])
    np.testing.assert_array_equal(ta.gather([3, 0]).numpy(), x[[3, 0]])
    sc = tf.TensorArray(tf.float32, size=3).scatter([2, 0], tf.constant([5.0, 6.0]))
    np.testing.assert_array_equal(sc.stack().numpy(), [6.0, 0.0, 5.0])
    np.testing.assert_array_equal(sc.gather([0, 2]).numpy(), [6.0, 5.0])


def test_concat_and_split():
    ta = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(1, [2.0, 3.0])
    np.testing.assert_array_equal(ta.concat().numpy(), [1.0, 2.0, 3.0])
    sp = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 2])
    np.testing.assert_array_equal(sp.read(1).numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(sp.read(0).numpy(), [1.0])


def test_identity_close_and_clear_after_read():
    ta = tf.TensorArray(tf.float32, size=1).write(0, 1.0)
    np.testing.assert_array_equal(ta.identity().stack().numpy(), [1.0])
    assert ta.close() is None
    assert float(ta.read(0)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="cleared after a previous read"):
        ta.read(0)
    keep = tf.TensorArray(tf.float32, size=1, clear_after_read=False).write(0, 1.0)
    assert float(keep.read(0)) == 1.0 and float(keep.read(0)) == 1.0


def test_errors_as_tensorflow():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.OutOfRangeError, match="not resizeable and size is: 2"):
        ta.write(3, 1.0)
    with pytest.raises(tf.errors.OutOfRangeError, match="negative indices"):
        ta.write(-1, 1.0)
    with pytest.raises(tf.errors.OutOfRangeError, match="Tried to read from index 5 but array size is: 2"):
        ta.write(0, 1.0).read(5)
    with pytest.raises(tf.errors.OutOfRangeError, match="negative indices"):
        ta.write(0, 1.0).read(-1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="has not yet been written"):
        ta.read(0)  # element shape unknown: no zeros to give
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32 but Op is trying to write dtype int32"):
        ta.write(0, tf.constant(1))
    with pytest.raises(ValueError, match="Incompatible shape"):
        ta.write(0, [1.0, 2.0]).write(1, [1.0])
    with pytest.raises(ValueError, match="Incompatible shape"):
        tf.TensorArray(tf.float32, size=2, element_shape=[3]).write(0, [1.0, 2.0])
    with pytest.raises(ValueError, match="Size must be declared"):
        tf.TensorArray(tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="sum of lengths is 2"):
        ta.split([1.0, 2.0, 3.0], [1, 1])


def _program(x):
    ta = tf.TensorArray(tf.float32, size=4, element_shape=[2])
    ta = ta.write(0, x[0]).write(2, x[1] * 3.0)
    dyn = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(3, x[0]).write(1, x[1] * 2.0)
    sc = tf.TensorArray(tf.float32, size=4).scatter([3, 0, 3], tf.stack([x[0], x[1], x[2]]))
    un = tf.TensorArray(tf.float32, size=3).unstack(x)
    return ta.stack(), dyn.stack(), dyn.size(), sc.stack(), sc.gather([3, 0]), dyn.read(1), un.read(2), ta.size()


def test_traced_function_matches_eager():
    x = tf.constant(RNG.standard_normal((3, 2)).astype(np.float32))
    eager = _program(x)
    traced = tf.function(_program)(x)
    for e, g in zip(eager, traced):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)
    # the static shapes a graph can know
    cf = tf.function(_program).get_concrete_function(tf.TensorSpec([3, 2], tf.float32))
    assert cf.structured_outputs[0].shape == (4, 2)


def test_traced_read_of_unknown_element_shape_without_writes_is_an_error():
    @tf.function
    def f():
        return tf.TensorArray(tf.float32, size=2).read(0)

    with pytest.raises(ValueError, match="element_shape"):
        f()


def _through_array(x):
    n = x.shape[0]
    ta = tf.TensorArray(x.dtype, size=n).unstack(x)
    out = tf.TensorArray(x.dtype, size=n)
    for i in range(n):
        out = out.write(n - 1 - i, tf.tanh(ta.read(i)) * float(i + 1))
    return out.stack()


def test_gradient_through_writes_and_stack_eager_and_traced():
    x0 = RNG.standard_normal((4, 3))
    x = tf.constant(x0)
    w = RNG.standard_normal((4, 3))
    want = numeric_gradient(lambda v: _through_array(tf.constant(v)).numpy() * w, x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(_through_array(x) * w)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-5, atol=1e-8)

    @tf.function
    def traced_grad(v):
        with tf.GradientTape() as t:
            t.watch(v)
            s = tf.reduce_sum(_through_array(v) * w)
        return t.gradient(s, v)

    np.testing.assert_allclose(traced_grad(x).numpy(), want, rtol=1e-5, atol=1e-8)


def test_compat_v1_name():
    assert tf.compat.v1.TensorArray is tf.TensorArray
