"""Property tests: random input shapes, dtypes and arguments thrown at ``Dense``, ``Flatten`` and ``Reshape``.
Each call either returns NumPy's answer or raises an ordinary ``Exception`` with a message."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ferroflow as tf

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)


def inputs(shape):
    dtype = st.sampled_from(["float32", "float64", "int32", "bool"])
    return dtype.flatmap(lambda d: hnp.arrays(
        np.dtype(d), shape, elements=st.booleans() if d == "bool" else (
            st.integers(-20, 20) if d == "int32" else st.floats(-10, 10, width=32))))


def outcome(fn):
    try:
        return fn(), None
    except Exception as e:  # ordinary exceptions are acceptable answers; a panic is not
        assert str(e), f"{type(e).__name__} without a message"
        return None, e


@SETTINGS
@given(shapes.flatmap(inputs), st.one_of(st.integers(-2, 5), st.floats(0.5, 3)))
def test_dense(x, units):
    layer, error = outcome(lambda: tf.keras.layers.Dense(units))
    if error is not None:
        assert not (isinstance(units, int) and units > 0)
        return
    result, error = outcome(lambda: layer(x))
    if error is None:
        kernel, bias = layer.get_weights()
        expected = x.astype("float32") @ kernel + bias
        np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-5)
        assert result.dtype == tf.float32


@SETTINGS
@given(shapes.flatmap(inputs))
def test_flatten(x):
    result, error = outcome(lambda: tf.keras.layers.Flatten()(x))
    if error is None:
        expected = x.reshape(x.shape[0], int(np.prod(x.shape[1:]))) if x.ndim > 1 else x.reshape(-1, 1)
        np.testing.assert_array_equal(result.numpy(), expected.astype(result.numpy().dtype))
        assert result.shape.as_list() == list(expected.shape)


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4).flatmap(inputs),
       st.lists(st.integers(-3, 8), min_size=0, max_size=3))
def test_reshape(x, target):
    layer, error = outcome(lambda: tf.keras.layers.Reshape(tuple(target)))
    if error is not None:
        assert any(d < -1 for d in target) or target.count(-1) > 1
        return
    result, error = outcome(lambda: layer(x))
    if error is None:
        expected = np.reshape(x, (x.shape[0],) + tuple(target))
        np.testing.assert_array_equal(result.numpy(), expected.astype(result.numpy().dtype))


def test_the_properties_see_successes():
    """The happy paths the properties rely on, so that they cannot pass by always raising."""
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    assert tf.keras.layers.Dense(5)(x).shape.as_list() == [2, 3, 5]
    np.testing.assert_array_equal(tf.keras.layers.Flatten()(x).numpy(), x.reshape(2, 12))
    np.testing.assert_array_equal(tf.keras.layers.Reshape((4, -1))(x).numpy(), x.reshape(2, 4, 3))
