"""``keras.ops`` functions on KerasTensors build operation nodes as in Keras 3 (shapes, dtypes and classes as
Keras records them, values against NumPy); eagerly, keras.ops promotes dtypes as Keras does."""

import os
import types

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
ops = keras.ops
DATA = os.path.join(os.path.dirname(__file__), "data", "keras3")


def _inputs():
    return {
        "a": keras.Input((4,)),
        "b": keras.Input((3, 4)),
        "c": keras.Input((4, 2)),
        "s": keras.Input((1, 4)),
        "i": keras.Input((4,), dtype="int32"),
        "ops": ops,
    }


# Recorded with Keras 3.15 (TensorFlow backend): expression -> (shape, dtype, operation class).
KERAS = {
    "ops.mean(b,axis=1)": ((None, 4), "float32", "Mean"),
    "ops.mean(a,axis=1,keepdims=True)": ((None, 1), "float32", "Mean"),
    "ops.sum(b,axis=(1,2))": ((None,), "float32", "Sum"),
    "ops.max(b,axis=-1)": ((None, 3), "float32", "Max"),
    "ops.min(a,axis=1)": ((None,), "float32", "Min"),
    "ops.exp(a)": ((None, 4), "float32", "Exp"),
    "ops.log(a)": ((None, 4), "float32", "Log"),
    "ops.sqrt(a)": ((None, 4), "float32", "Sqrt"),
    "ops.square(i)": ((None, 4), "int32", "Square"),
    "ops.abs(a)": ((None, 4), "float32", "Absolute"),
    "ops.reshape(b,(-1,12))": ((None, 12), "float32", "Reshape"),
    "ops.transpose(b,(0,2,1))": ((None, 4, 3), "float32", "Transpose"),
    "ops.expand_dims(a,1)": ((None, 1, 4), "float32", "ExpandDims"),
    "ops.squeeze(s,1)": ((None, 4), "float32", "Squeeze"),
    "ops.concatenate([a,a],-1)": ((None, 8), "float32", "Concatenate"),
    "ops.stack([a,a],1)": ((None, 2, 4), "float32", "Stack"),
    "ops.softmax(a)": ((None, 4), "float32", "Softmax"),
    "ops.relu(a)": ((None, 4), "float32", "Relu"),
    "ops.sigmoid(a)": ((None, 4), "float32", "Sigmoid"),
    "ops.tanh(a)": ((None, 4), "float32", "Tanh"),
    "ops.where(a>0,a,0)": ((None, 4), "float32", "Where"),
    "ops.clip(a,0,1)": ((None, 4), "float32", "Clip"),
    "ops.add(a,i)": ((None, 4), "float32", "Add"),
    "ops.subtract(a,b)": ((None, 3, 4), "float32", "Subtract"),
    "ops.multiply(a,2)": ((None, 4), "float32", "Multiply"),
    "ops.divide(i,2)": ((None, 4), "float32", "Divide"),
    "ops.matmul(b,c)": ((None, 3, 2), "float32", "Matmul"),
    "ops.mean(i,axis=1)": ((None,), "float32", "Mean"),
    "ops.exp(i)": ((None, 4), "float32", "Exp"),
    "ops.sqrt(i)": ((None, 4), "float32", "Sqrt"),
    "ops.maximum(a,0)": ((None, 4), "float32", "Maximum"),
    "ops.minimum(i,1.5)": ((None, 4), "float32", "Minimum"),
    "ops.power(a,2)": ((None, 4), "float32", "Power"),
    "ops.negative(a)": ((None, 4), "float32", "Negative"),
    "ops.log_softmax(a)": ((None, 4), "float32", "LogSoftmax"),
    "ops.logsumexp(a,axis=1)": ((None,), "float32", "Logsumexp"),
    "ops.floor_divide(a,2)": ((None, 4), "float32", "FloorDivide"),
    "ops.mod(a,2)": ((None, 4), "float32", "Mod"),
    "ops.true_divide(a,i)": ((None, 4), "float32", "TrueDivide"),
    "ops.cast(a,'int32')": ((None, 4), "int32", "Cast"),
}


@pytest.mark.parametrize("expr", sorted(KERAS))
def test_keras_op_shape_dtype_and_operation_as_in_keras(expr):
    out = eval(expr, _inputs())
    assert (out.shape, out.dtype, type(out._keras_history[0]).__name__) == KERAS[expr]


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


NUMPY_OPS = types.SimpleNamespace(
    **{n: getattr(np, n) for n in "mean sum max min exp log sqrt square abs reshape transpose expand_dims".split()},
    **{n: getattr(np, n) for n in "squeeze concatenate stack where clip add subtract multiply divide".split()},
    **{n: getattr(np, n) for n in "matmul maximum minimum power negative floor_divide mod true_divide".split()},
    softmax=_softmax,
    log_softmax=lambda x: np.log(_softmax(x)),
    logsumexp=lambda x, axis=None: np.log(np.exp(x).sum(axis=axis)),
    relu=lambda x: np.maximum(x, 0),
    sigmoid=lambda x: 1 / (1 + np.exp(-x)),
    tanh=np.tanh,
    cast=lambda x, dtype: x.astype(dtype),
)


def test_keras_op_values_match_numpy():
    rng = np.random.default_rng(1)
    arrays = {
        "a": rng.uniform(-2.0, 2.0, (5, 4)).astype("float32"),
        "b": rng.uniform(0.5, 2.0, (5, 3, 4)).astype("float32"),
        "c": rng.normal(size=(5, 4, 2)).astype("float32"),
        "s": rng.normal(size=(5, 1, 4)).astype("float32"),
        "i": rng.integers(1, 6, (5, 4)).astype("int32"),
    }
    arrays["a"][arrays["a"] > 0] += 0.5  # away from 0, and positive where logs and roots take it (abs below)
    exprs = [e.replace("(a", "(abs(a)") if "log(" in e or "sqrt(" in e else e for e in KERAS]
    exprs = [e for e in exprs if e != "ops.subtract(a,b)"]  # (None, 4) - (None, 3, 4) broadcasts symbolically only
    inputs = _inputs()
    model = keras.Model([inputs[k] for k in "abcsi"], [eval(e, inputs) for e in exprs])
    got_all = model.predict([arrays[k] for k in "abcsi"], verbose=0)
    for expr, got in zip(exprs, got_all):
        want = eval(expr, {**arrays, "ops": NUMPY_OPS})
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=expr)


def test_eager_keras_ops_promote_dtypes_as_keras():
    i = tf.constant([1, 2, 3], dtype="int32")
    h = tf.constant([1.0, 2.0, 3.0], dtype="float16")
    assert ops.add(i, 1.5).dtype.name == "float32"
    np.testing.assert_allclose(ops.add(i, 1.5), [2.5, 3.5, 4.5])
    assert ops.divide(i, i).dtype.name == "float32"
    assert ops.multiply(h, 2).dtype.name == "float16"
    assert ops.add(i, h).dtype.name == "float16"
    assert ops.multiply(tf.constant([1.0, 2.0]), np.ones(2)).dtype.name == "float64"
    assert ops.floor_divide(i, 2).dtype.name == "int32"
    assert ops.mean(i).dtype.name == "float32" and float(ops.mean(i)) == 2.0


def test_op_argument_that_is_a_keras_tensor_where_keras_takes_a_constant_is_a_value_error():
    a = keras.Input((4,))
    with pytest.raises(ValueError, match="keras.ops.mean: a KerasTensor can only be one of its tensor arguments"):
        ops.mean(a, axis=keras.Input((), dtype="int32"))


def test_shape_and_ndim_of_a_keras_tensor():
    b = keras.Input((3, 4))
    assert ops.shape(b) == (None, 3, 4) and ops.ndim(b) == 3
