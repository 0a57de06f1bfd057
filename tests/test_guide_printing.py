"""How values print and convert, as in TensorFlow's tensor, basics and graphs guides (outputs taken from them)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def test_dtype_str_and_repr():
    # tensor guide: print("Type of every element:", rank_4_tensor.dtype) -> <dtype: 'float32'>
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert f"{tf.zeros([3, 2]).dtype}" == "<dtype: 'float32'>"
    assert "%s" % tf.int64 == "<dtype: 'int64'>"  # noqa: UP031
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.constant([True]).dtype) == "<dtype: 'bool'>"


@pytest.mark.parametrize("value, kind", [(6.0, np.float32), (3, np.int32), (True, np.bool_)])
def test_scalar_numpy_is_a_numpy_scalar(value, kind):
    # autodiff guide: dy_dx.numpy() -> np.float32(6.0), not a 0-d array
    out = tf.constant(value).numpy()
    assert type(out) is kind and not isinstance(out, np.ndarray)
    assert out == value
    assert isinstance(tf.constant([value]).numpy(), np.ndarray)
    assert np.asarray(tf.constant(value)).shape == ()


def test_scalar_repr_shows_the_python_number_and_str_the_numpy_one():
    # basics guide: my_func of [10.0, 9.1, 8.2] shows numpy=27.299999237060547
    x = tf.reduce_sum(tf.constant([10.0, 9.1, 8.2]))
    assert repr(x) == "<tf.Tensor: shape=(), dtype=float32, numpy=27.299999237060547>"
    assert str(x) == "tf.Tensor(27.3, shape=(), dtype=float32)"
    assert repr(tf.constant(2)) == "<tf.Tensor: shape=(), dtype=int32, numpy=2>"
    assert repr(tf.constant(False)) == "<tf.Tensor: shape=(), dtype=bool, numpy=False>"


def test_format_uses_the_numpy_value():
    # matrix core guide: print(f"Original Size of A: {tf.size(A)}") -> Original Size of A: 1200
    assert f"Original Size of A: {tf.size(tf.zeros([40, 30]))}" == "Original Size of A: 1200"
    t = tf.constant([[1, 3], [0, 0]])
    assert "Flat values:\n{}".format(t) == "Flat values:\n" + str(np.array([[1, 3], [0, 0]]))  # noqa: UP032
    s = tf.constant(3.14159)
    assert f"{s:.2f}" == "3.14" and f"{s}" == format(np.float32(3.14159), "")
    assert "%1.2f" % tf.constant(5.0) == "5.00"  # noqa: UP031
    with pytest.raises(TypeError):
        format(t, ".2f")
    # %s (and print) still show the tensor
    assert "%s" % s == "tf.Tensor(3.14159, shape=(), dtype=float32)"  # noqa: UP031


def test_sparse_tensor_prints_its_component_tensors():
    st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
    assert str(st) == (
        "SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), "
        "values=tf.Tensor([1 2], shape=(2,), dtype=int32), "
        "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))"
    )


def test_module_repr_is_pythons_default():
    # modules guide: print("Submodules:", my_model.submodules) -> (<__main__.Dense object at 0x...>, ...)
    class Dense(tf.Module):
        pass

    text = repr(Dense(name="dense"))
    assert text.startswith(f"<{__name__}.test_module_repr_is_pythons_default.<locals>.Dense object at 0x")
    assert repr(tf.keras.layers.Dense(3)).startswith("<Dense name=")
