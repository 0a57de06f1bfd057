"""Python operators on KerasTensors: shapes, dtypes and operation classes as Keras 3 records them, values
against NumPy, and the errors Keras 3 gives (no ``==``/unary ``+``/``.T``, no TensorFlow functions)."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
W = np.linspace(-1.0, 1.0, 20).astype("float32").reshape(4, 5)


def _inputs():
    return {
        "a": keras.Input((4,)),
        "b": keras.Input((3, 4)),
        "c": keras.Input((4, 2)),
        "i": keras.Input((4,), dtype="int32"),
        "j": keras.Input((4,), dtype="int64"),
        "h": keras.Input((4,), dtype="float16"),
        "bo": keras.Input((4,), dtype="bool"),
        "np": np,
        "W": W,
    }


# Recorded with Keras 3.15 (TensorFlow backend): expression -> (shape, dtype, operation class).
KERAS = {
    "a+b": ((None, 3, 4), "float32", "Add"),
    "a-1": ((None, 4), "float32", "Subtract"),
    "2*a": ((None, 4), "float32", "Multiply"),
    "a/2": ((None, 4), "float32", "TrueDivide"),
    "1/a": ((None, 4), "float32", "TrueDivide"),
    "a//2": ((None, 4), "float32", "FloorDivide"),
    "a%2": ((None, 4), "float32", "Mod"),
    "a**2": ((None, 4), "float32", "Power"),
    "2**a": ((None, 4), "float32", "Power"),
    "-a": ((None, 4), "float32", "Negative"),
    "abs(a)": ((None, 4), "float32", "Absolute"),
    "a@W": ((None, 5), "float32", "Matmul"),
    "b@c": ((None, 3, 2), "float32", "Matmul"),
    "a<1": ((None, 4), "bool", "Less"),
    "a<=b": ((None, 3, 4), "bool", "LessEqual"),
    "a>i": ((None, 4), "bool", "Greater"),
    "a>=1": ((None, 4), "bool", "GreaterEqual"),
    "a!=1": ((None, 4), "bool", "NotEqual"),
    "a[:,0]": ((None,), "float32", "GetItem"),
    "b[...,:2]": ((None, 3, 2), "float32", "GetItem"),
    "a[:,None]": ((None, 1, 4), "float32", "GetItem"),
    "b[:,1:,::2]": ((None, 2, 2), "float32", "GetItem"),
    "b[:,-1]": ((None, 4), "float32", "GetItem"),
    "2-a": ((None, 4), "float32", "Subtract"),
    "3.0//a": ((None, 4), "float32", "FloorDivide"),
    "2%a": ((None, 4), "float32", "Mod"),
    "i+1.5": ((None, 4), "float32", "Add"),
    "i/2": ((None, 4), "float32", "TrueDivide"),
    "i+a": ((None, 4), "float32", "Add"),
    "i//2": ((None, 4), "int32", "FloorDivide"),
    "i*np.ones(4)": ((None, 4), "float64", "Multiply"),
    "a*np.ones(4)": ((None, 4), "float64", "Multiply"),
    "a+np.ones(4,'int64')": ((None, 4), "float32", "Add"),
    "i**2": ((None, 4), "int32", "Power"),
    "i+True": ((None, 4), "int32", "Add"),
    "i%2": ((None, 4), "int32", "Mod"),
    "a/i": ((None, 4), "float32", "TrueDivide"),
    "i/i": ((None, 4), "float32", "TrueDivide"),
    "j/j": ((None, 4), "float32", "TrueDivide"),
    "j+i": ((None, 4), "int64", "Add"),
    "h+1.0": ((None, 4), "float16", "Add"),
    "h+a": ((None, 4), "float32", "Add"),
    "h*2": ((None, 4), "float16", "Multiply"),
    "i+h": ((None, 4), "float16", "Add"),
    "abs(i)": ((None, 4), "int32", "Absolute"),
    "-i": ((None, 4), "int32", "Negative"),
    "(a>0)&(a<1)": ((None, 4), "bool", "LogicalAnd"),
    "~(a>0)": ((None, 4), "bool", "LogicalNot"),
    "(a>0)|(a<1)": ((None, 4), "bool", "LogicalOr"),
    "(a>0)^(a<1)": ((None, 4), "bool", "LogicalXor"),
    "bo&bo": ((None, 4), "bool", "LogicalAnd"),
}


@pytest.mark.parametrize("expr", sorted(KERAS))
def test_operator_shape_dtype_and_operation_as_in_keras(expr):
    out = eval(expr, _inputs())
    assert (out.shape, out.dtype, type(out._keras_history[0]).__name__) == KERAS[expr]


def test_operations_are_named_as_keras_names_them():
    keras.backend.clear_session()
    a = keras.Input((4,))
    outs = [a + 1, a + 2, a / 2, abs(a), a[:, 0]]
    assert [t._keras_history[0].name for t in outs] == ["add", "add_1", "true_divide", "absolute", "get_item"]


# Expressions whose value NumPy computes the same way from the same arrays.
VALUES = [
    "a[:,None]+b", "a-1", "2*a", "a/2", "1/a", "a//0.3", "a%0.3", "a**2", "2**a", "-a", "abs(a-1)", "a@W",
    "W.T@a[:,:,None]", "b@c", "a<1", "a[:,None]<=b", "a>i", "a!=1", "a[:,0]", "b[...,:2]", "a[:,None]",
    "b[:,1:,::2]", "b[:,-1]", "2-a", "3.0//a", "2%a", "i+1.5", "i/2", "i+a", "i//2", "i%3", "i**2", "-i",
    "a*np.arange(4.0)", "(a>1)&(a<1.5)", "~(a>1)", "(a>1)|(i>3)", "(a>1)^(i>3)", "np.arange(4.0)-a",
]  # fmt: skip


def test_operator_values_match_numpy_eagerly_and_in_predict():
    rng = np.random.default_rng(0)
    arrays = {
        "a": rng.uniform(0.5, 2.0, (5, 4)).astype("float32"),
        "b": rng.uniform(0.5, 2.0, (5, 3, 4)).astype("float32"),
        "c": rng.normal(size=(5, 4, 2)).astype("float32"),
        "i": rng.integers(1, 6, (5, 4)).astype("int32"),
    }
    inputs = {k: v for k, v in _inputs().items() if k in arrays}
    scope = {**inputs, "np": np, "W": W}
    outputs = [eval(e, scope) for e in VALUES]
    model = keras.Model([inputs[k] for k in "abci"], outputs)
    feed = [arrays[k] for k in "abci"]
    expected = [eval(e, {**arrays, "np": np, "W": W}) for e in VALUES]
    for got_all in (model(feed), model.predict(feed, verbose=0)):
        for expr, got, want in zip(VALUES, got_all, expected):
            got = np.asarray(got)
            assert got.shape == want.shape, expr
            if want.dtype == bool:
                np.testing.assert_array_equal(got, want, err_msg=expr)
            else:
                np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=expr)


def test_keras_tensor_compares_by_identity_and_hashes_as_keras():
    a = keras.Input((4,))
    assert (a == 1) is False and (a == a) is True  # Keras 3 defines != but not ==
    assert {a: 1}[a] == 1


@pytest.mark.parametrize(
    "expr, error",
    [("+a", TypeError), ("a<<1", TypeError), ("a.T", AttributeError), ("bool(a>0)", TypeError)],
)
def test_what_keras_tensors_lack_raises_as_in_keras(expr, error):
    with pytest.raises(error):
        eval(expr, {"a": keras.Input((4,))})


@pytest.mark.parametrize(
    "call",
    [lambda a: tf.nn.relu(a), lambda a: tf.reduce_mean(a, axis=1), lambda a: tf.concat([a, a], -1)],
    ids=["nn.relu", "reduce_mean", "concat"],
)
def test_tensorflow_functions_raise_keras_3s_error(call):
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a TensorFlow function") as info:
        call(keras.Input((4,)))
    assert "keras.ops" in str(info.value) and "wrap `tf_fn` in a layer" in str(info.value)


def test_keras_tensor_reshape_and_squeeze_methods():
    a, s = keras.Input((4,)), keras.Input((1, 4))
    assert a.reshape((2, 2)).shape == (2, 2)  # as Keras 3: the new shape as given
    assert s.squeeze(1).shape == (None, 4)
    x = np.arange(8.0, dtype="float32").reshape(2, 1, 4)
    np.testing.assert_array_equal(keras.Model(s, s.squeeze(1))(x), x[:, 0])


def test_new_helpers_stay_out_of_public_namespaces():
    names = set(dir(keras.layers)) | set(dir(keras.ops))
    # (keras.ops.get_item is public in Keras 3 and is a name here too; the operator class behind a[...] is not.)
    assert not {n for n in names if "Operator" in n or n in ("symbolic_op", "Operation", "install")}
