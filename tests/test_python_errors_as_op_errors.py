"""Python exceptions raised where TensorFlow runs Python inside an op become ``tf.errors`` as its kernels make
them: an eager ``tf.py_function`` (``EagerPyFunc``) and a ``from_generator`` generator (``PyFunc``) map
ValueError/TypeError to InvalidArgumentError, StopIteration to OutOfRangeError, NotImplementedError to
UnimplementedError and anything else (TensorFlow errors included) to UnknownError, the message naming the
exception and its traceback. Also a tensor's ``__index__``, which is its NumPy value's as in TensorFlow."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import ferroflow as tf


@pytest.mark.parametrize(
    "exc, error",
    [
        (AttributeError("boom"), tf.errors.UnknownError),
        (ValueError("v"), tf.errors.InvalidArgumentError),
        (TypeError("t"), tf.errors.InvalidArgumentError),
        (StopIteration(), tf.errors.OutOfRangeError),
        (NotImplementedError("n"), tf.errors.UnimplementedError),
        (KeyError("k"), tf.errors.UnknownError),
        (tf.errors.NotFoundError(None, None, "nf"), tf.errors.UnknownError),
    ],
)
def test_eager_py_function_errors(exc, error):
    def raise_it(*args):
        raise exc

    with pytest.raises(error) as e:
        tf.py_function(raise_it, (tf.constant(1), tf.constant("a")), [tf.string, tf.int32, tf.float32])
    node = "{{function_node __wrapped__EagerPyFunc_Tin_2_Tout_3_device_/job:localhost/replica:0/task:0/device:CPU:0}}"
    head = f"{node} {type(exc).__name__}: {exc}\nTraceback (most recent call last):\n"
    assert str(e.value).startswith(head) and str(e.value).endswith("\n [Op:EagerPyFunc] name: ")


def test_eager_numpy_function_raises_the_python_error():
    def raise_it(x):
        raise KeyError("k")

    with pytest.raises(KeyError):
        tf.numpy_function(raise_it, [tf.constant(1)], tf.string)


@pytest.mark.parametrize(
    "exc, error",
    [(AttributeError("g"), tf.errors.UnknownError), (ValueError("g"), tf.errors.InvalidArgumentError)],
)
def test_generator_errors(exc, error):
    def gen():
        yield 1
        raise exc

    dataset = tf.data.Dataset.from_generator(gen, output_types=tf.int64, output_shapes=())
    it = iter(dataset)
    assert int(next(it)) == 1
    with pytest.raises(error) as e:
        next(it)
    text = str(e.value)
    assert text.startswith(f"{type(exc).__name__}: g\nTraceback (most recent call last):\n")
    assert text.endswith("\n\n\t [[{{node PyFunc}}]]")


def test_tensor_index_is_its_numpy_values():
    assert operator.index(tf.constant(4)) == 4 and operator.index(tf.constant(5, tf.uint8)) == 5
    assert list(range(tf.constant(3))) == [0, 1, 2]
    with pytest.raises(AttributeError, match="^'numpy.bool' object has no attribute '__index__'$"):
        operator.index(tf.constant(True))
    with pytest.raises(AttributeError, match="^'numpy.float32' object has no attribute '__index__'$"):
        operator.index(tf.constant(2.0))
    with pytest.raises(TypeError, match="only integer scalar arrays can be converted to a scalar index"):
        operator.index(tf.constant([3]))
    with pytest.raises(TypeError, match="Dimension value must be integer"):
        tf.TensorShape([tf.constant(2.0)])
    assert np.arange(5)[tf.constant(2)] == 2
