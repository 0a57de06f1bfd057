"""keras.ops's NumPy-named array functions: gradients (against finite differences), inside ``tf.function``,
and on KerasTensors in functional models."""

import math

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import numeric_gradient

ops = keras.ops
RNG = np.random.default_rng(11)
X = RNG.normal(size=(3, 3))
Y = RNG.normal(size=(3, 3))
W = RNG.normal(size=(9, 9))

FUNCTIONS = {
    "hypot": lambda x: ops.hypot(x, Y),
    "logaddexp": lambda x: ops.logaddexp(x, Y),
    "logaddexp2": lambda x: ops.logaddexp2(Y, x),
    "sinc": ops.sinc,
    "cbrt": lambda x: ops.cbrt(x + 5.0),
    "i0": ops.i0,
    "erfc": ops.erfc,
    "fabs": ops.fabs,
    "fmax": lambda x: ops.fmax(x, Y),
    "fmin": lambda x: ops.fmin(Y, x),
    "ldexp": lambda x: ops.ldexp(x, np.array([[1, 2, -3]] * 3, "int32")),
    "heaviside": lambda x: ops.heaviside(np.array([[0.0, 1.0, -1.0]] * 3), x),
    "kron": lambda x: ops.kron(x, Y) * W,
    "inner": lambda x: ops.inner(x, Y) * X,
    "vdot": lambda x: ops.vdot(x, Y),
    "cross": lambda x: ops.cross(x, Y) * X,
    "cross2": lambda x: ops.cross(x[:, :2], Y[:, 1:]) * X[0],
    "diag": lambda x: ops.diag(x, 1) * np.array([2.0, 3.0]),
    "diag1d": lambda x: ops.diag(x[0], -1) * np.arange(16.0).reshape(4, 4),
    "diagflat": lambda x: ops.diagflat(x) * W,
    "diagonal": lambda x: ops.diagonal(x, -1) * np.array([2.0, 3.0]),
    "trace": lambda x: ops.trace(x, 1),
    "rot90": lambda x: ops.rot90(x, 3) * X,
    "fliplr": lambda x: ops.fliplr(x) * X,
    "flipud": lambda x: ops.flipud(x) * X,
    "append": lambda x: ops.append(x, Y) * np.arange(18.0),
    "vander": lambda x: ops.vander(x[0]) * X,
    "dstack": lambda x: ops.dstack([x, Y]) * np.arange(18.0).reshape(3, 3, 2),
    "array_split": lambda x: ops.array_split(x, 2, axis=1)[0] * X[:, :2],
    "hsplit": lambda x: ops.hsplit(x, [1])[1] * X[:, 1:],
    "vsplit": lambda x: ops.vsplit(x, 3)[2] * X[0],
    "select": lambda x: ops.select([x > 0, Y > 0], [x * x, x * Y], -x),
    "get_item": lambda x: ops.get_item(x, (slice(1, None), 0)) * np.array([2.0, 5.0]),
    "copy": lambda x: ops.copy(x) * X,
    "real": lambda x: ops.real(x) * X,
    "geomspace": lambda x: ops.geomspace(ops.abs(x[0, 0]) + 1.0, 100.0, 4, dtype="float64") * np.arange(4.0),
    "logspace": lambda x: ops.logspace(x[0, 0], x[1, 1], 5, dtype="float64"),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradient_matches_finite_differences(name):
    f = FUNCTIONS[name]
    v = tf.Variable(X)
    with tf.GradientTape() as tape:
        y = ops.sum(f(v))
    g = tape.gradient(y, v)
    assert g is not None
    np.testing.assert_allclose(np.asarray(g), numeric_gradient(lambda x: np.asarray(f(x)), X), rtol=1e-5, atol=1e-5)


def test_inside_tf_function():
    a = np.array([[12, 18, -9], [7, 0, 5]], "int32")
    b = np.array([[8, 27, 6], [0, 0, -10]], "int32")
    x = np.array([[-0.0, 1.5, -2.0], [0.0, np.nan, 4.0]], "float32")

    @tf.function
    def run(a, b, x):
        return (
            ops.gcd(a, b),
            ops.lcm(a, b),
            ops.signbit(x),
            ops.view(a, "int16"),
            ops.diagonal(x, 1),
            ops.select([a > 6], [a], -1),
            ops.unravel_index(ops.abs(a), (4, 5))[0],
            ops.kron(x, a),
            ops.cross(x, ops.cast(b, "float32")),
            ops.fmax(x, 1.0),
            ops.array_split(a, 2, axis=1)[0],
            ops.rot90(x),
        )

    got = [np.asarray(r) for r in run(a, b, x)]
    fb = b.astype("float32")
    want = [
        np.gcd(a, b),
        np.lcm(a, b),
        np.signbit(x),
        a.view("int16"),
        np.diagonal(x, 1),
        np.select([a > 6], [a], -1),
        np.unravel_index(np.abs(a), (4, 5))[0],
        np.kron(x, a),
        np.cross(x, fb),
        np.fmax(x, 1.0),
        np.array_split(a, 2, axis=1)[0],
        np.rot90(x),
    ]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6)


def test_in_a_functional_model_with_unknown_batch():
    inp = keras.Input((3,))
    outputs = [
        ops.hypot(inp, inp),
        ops.cross(inp, ops.flip(inp, axis=1)),
        ops.signbit(inp),
        ops.kron(inp, inp),
        ops.fmin(inp, 0.5),
        ops.select([inp > 0], [inp], 0.0),
        ops.logaddexp(inp, 1.0),
        ops.append(inp, inp, axis=1),
        ops.dstack([inp, inp]),
        ops.get_item(inp, (slice(None), 1)),
    ]
    assert ops.dtype(inp) == "float32"
    assert tuple(outputs[3].shape) == (None, 9)
    model = keras.Model(inp, outputs)
    x = np.array([[1.0, -2.0, 3.0], [-0.0, 0.5, 4.0]], "float32")
    want = [
        np.hypot(x, x),
        np.cross(x, x[:, ::-1]),
        np.signbit(x),
        np.kron(x, x),
        np.fmin(x, 0.5),
        np.maximum(x, 0.0),
        np.logaddexp(x, 1.0),
        np.append(x, x, axis=1),
        np.dstack([x, x]),
        x[:, 1],
    ]
    for got, w in zip(model(x), want):
        np.testing.assert_allclose(np.asarray(got), w, rtol=1e-6)


UNKNOWN_BATCH = {
    "diagonal": (lambda t: ops.diagonal(t, 1, 1, 2), lambda a: np.diagonal(a, 1, 1, 2)),
    "diagonal_of_batch_axis": (lambda t: ops.diagonal(t), lambda a: np.diagonal(a)),
    "trace_of_batch_axis": (lambda t: ops.trace(t, -1), lambda a: np.trace(a, -1)),
    "kron": (lambda t: ops.kron(t, t[:1]), lambda a: np.kron(a, a[:1])),
    "cross": (lambda t: ops.cross(t[..., :3], t[:1, :, 1:]), lambda a: np.cross(a[..., :3], a[:1, :, 1:])),
    "select": (lambda t: ops.select([t > 5, t > 2], [t, -t], 0.5), lambda a: np.select([a > 5, a > 2], [a, -a], 0.5)),
    "array_split": (lambda t: ops.array_split(t, 3, axis=0)[1], lambda a: np.array_split(a, 3, axis=0)[1]),
    "append": (lambda t: ops.append(t, t), lambda a: np.append(a, a)),
    "rot90": (lambda t: ops.rot90(t, 1, (0, 2)), lambda a: np.rot90(a, 1, (0, 2))),
    "fmax": (lambda t: ops.fmax(t, t[:1]), lambda a: np.fmax(a, a[:1])),
    "gcd": (
        lambda t: ops.gcd(ops.cast(t, "int32"), ops.cast(t[:1], "int32")),
        lambda a: np.gcd(a.astype("int32"), a[:1].astype("int32")),
    ),
    "ldexp": (lambda t: ops.ldexp(t, ops.cast(t[:1], "int32")), lambda a: np.ldexp(a, a[:1].astype("int32"))),
    "inner": (lambda t: ops.inner(t, t), lambda a: np.inner(a, a)),
    "view": (lambda t: ops.view(t, "int16"), lambda a: a.view("int16")),
    "hsplit": (lambda t: ops.hsplit(t, [1])[1], lambda a: np.hsplit(a, [1])[1]),
    "nextafter": (
        lambda t: ops.nextafter(t, t[:1]),
        lambda a: np.nextafter(a.astype("float64"), a[:1].astype("float64")).astype("float32"),
    ),
    "logspace": (
        lambda t: ops.logspace(t[:, 0], t[:, 1], 5, base=1.1, axis=1),
        lambda a: np.logspace(a[:, 0], a[:, 1], 5, base=1.1, axis=1),
    ),
    "geomspace": (
        lambda t: ops.geomspace(t[:, 0] + 10.0, t[:, 1] + 10.0, 3, endpoint=False),
        lambda a: np.geomspace(a[:, 0] + 10.0, a[:, 1] + 10.0, 3, endpoint=False),
    ),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_BATCH))
@pytest.mark.parametrize("batch", [2, 4])
def test_with_a_batch_size_known_only_when_the_graph_runs(name, batch):
    f, ref = UNKNOWN_BATCH[name]
    x = np.arange(batch * 12, dtype="float32").reshape(batch, 3, 4) - 7.0
    fn = tf.function(f, input_signature=[tf.TensorSpec([None, 3, 4], tf.float32)])
    np.testing.assert_allclose(np.asarray(fn(x)), ref(x), rtol=1e-6)


@pytest.mark.parametrize("k", [-2, 0, 1])
def test_diag_and_vander_of_a_vector_of_unknown_length(k):
    x = np.array([1.0, -2.0, 3.5], "float32")
    spec = [tf.TensorSpec([None], tf.float32)]
    np.testing.assert_allclose(
        np.asarray(tf.function(lambda v: ops.diag(v, k), input_signature=spec)(x)), np.diag(x, k)
    )
    np.testing.assert_allclose(np.asarray(tf.function(ops.diagflat, input_signature=spec)(x)), np.diagflat(x))
    increasing = k > 0
    vander = tf.function(lambda v: ops.vander(v, increasing=increasing), input_signature=spec)
    np.testing.assert_allclose(np.asarray(vander(x)), np.vander(x, increasing=increasing), rtol=1e-6)


# The shapes and dtypes Keras 3 (TensorFlow backend) gives these calls on KerasTensors (``kron`` is left out:
# Keras's shape inference drops the broadcast axis that its own computation keeps).
SYMBOLIC = {
    "diagonal": ((None, 3), "float32"),
    "diagonal0": ((4, None), "float32"),
    "trace": ((None,), "float32"),
    "inner": ((None, 3, None, 3), "float32"),
    "vdot": ((), "float32"),
    "cross": ((None, 3, 3), "float32"),
    "rot90": ((None, 4, 3), "float32"),
    "fliplr": ((None, 3, 4), "float32"),
    "append": ((None,), "float32"),
    "append1": ((None, 6, 4), "float32"),
    "dstack": ((None, 3, 2), "float32"),
    "array_split": ((None, 3, 2), "float32"),
    "hsplit": ((None, 2, 4), "float32"),
    "vander": ((3, 3), "float32"),
    "diag": ((4, 4), "float32"),
    "diagflat": ((12, 12), "float32"),
    "view": ((None, 3, 8), "int16"),
    "saturate_cast": ((None, 3, 4), "uint8"),
    "signbit": ((None, 3, 4), "bool"),
    "gcd": ((None, 3, 4), "int32"),
    "hypot": ((None, 3, 4), "float32"),
    "unravel": ((None, 3, 4), "int32"),
    "select": ((None, 3, 4), "float32"),
    "get_item": ((None, 4), "float32"),
    "real": ((None, 3, 4), "float32"),
    "geomspace": ((None, 5, 3), "float32"),
    "logspace": ((4, None, 3), "float32"),
    "sinc": ((None, 3, 4), "float32"),
    "i0": ((None, 3, 4), "float32"),
    "erfc": ((None, 3, 4), "float32"),
    "angle": ((None, 3, 4), "float32"),
    "heaviside": ((None, 3, 4), "float32"),
    "ldexp": ((None, 3, 4), "float32"),
    "nextafter": ((None, 3, 4), "float32"),
    "empty_like": ((None, 3, 4), "float32"),
    "copy": ((None, 3, 4), "int32"),
    "array": ((None, 3, 4), "float16"),
    "isreal": ((None, 3, 4), "bool"),
}


def test_keras_tensor_shapes_and_dtypes_match_keras():
    x = keras.Input((3, 4))
    v = keras.Input((3,))
    i = keras.Input((3, 4), dtype="int32")
    cases = {
        "diagonal": lambda: ops.diagonal(x, 1, 1, 2),
        "diagonal0": lambda: ops.diagonal(x),
        "trace": lambda: ops.trace(x, 0, 1, 2),
        "kron": lambda: ops.kron(x, v),
        "inner": lambda: ops.inner(x, x),
        "vdot": lambda: ops.vdot(x, x),
        "cross": lambda: ops.cross(x[..., :3], v),
        "rot90": lambda: ops.rot90(x, 1, (1, 2)),
        "fliplr": lambda: ops.fliplr(x),
        "append": lambda: ops.append(x, x),
        "append1": lambda: ops.append(x, x, axis=1),
        "dstack": lambda: ops.dstack([v, v]),
        "array_split": lambda: ops.array_split(x, 2, axis=2)[0],
        "hsplit": lambda: ops.hsplit(x, [1])[1],
        "vander": lambda: ops.vander(v[0]),
        "diag": lambda: ops.diag(v[0], 1),
        "diagflat": lambda: ops.diagflat(x[0]),
        "view": lambda: ops.view(x, "int16"),
        "saturate_cast": lambda: ops.saturate_cast(x, "uint8"),
        "signbit": lambda: ops.signbit(x),
        "gcd": lambda: ops.gcd(i, i),
        "hypot": lambda: ops.hypot(i, i),
        "unravel": lambda: ops.unravel_index(i, (3, 4))[0],
        "select": lambda: ops.select([x > 0], [x], 0.0),
        "get_item": lambda: ops.get_item(x, (slice(None), 1)),
        "real": lambda: ops.real(x),
        "geomspace": lambda: ops.geomspace(v, v + 1.0, 5, axis=1),
        "logspace": lambda: ops.logspace(v, v, 4),
        "sinc": lambda: ops.sinc(i),
        "i0": lambda: ops.i0(i),
        "erfc": lambda: ops.erfc(x),
        "angle": lambda: ops.angle(i),
        "heaviside": lambda: ops.heaviside(i, i),
        "ldexp": lambda: ops.ldexp(x, i),
        "nextafter": lambda: ops.nextafter(i, i),
        "empty_like": lambda: ops.empty_like(x),
        "copy": lambda: ops.copy(i),
        "array": lambda: ops.array(x, "float16"),
        "isreal": lambda: ops.isreal(x),
        "dtype": lambda: ops.dtype(i),
    }
    assert ops.dtype(i) == "int32"
    kron = ops.kron(x, v)
    assert tuple(kron.shape) == (None, None, 12)  # (b, 3, 4) with (1, b, 3): (b, 3 b, 12)
    for name, want in SYMBOLIC.items():
        got = cases[name]()
        assert (tuple(got.shape), got.dtype if isinstance(got.dtype, str) else got.dtype.name) == want, name


def test_functional_model_saves_with_keras_op_names(tmp_path):
    import json
    import zipfile

    inp = keras.Input((3,))
    outputs = [
        ops.select([inp > 0, inp < -1], [inp, inp * 2.0], -inp),
        ops.saturate_cast(inp * 100.0, "uint8"),
        ops.erfc(inp),
        ops.array_split(inp, 2, axis=1)[0],
        ops.unravel_index(ops.cast(ops.abs(inp), "int32"), (2, 2))[1],
    ]
    model = keras.Model(inp, outputs)
    x = np.array([[1.0, -2.0, 3.0], [-0.5, 0.25, 2.0]], "float32")
    want = [
        np.select([x > 0, x < -1], [x, x * 2.0], -x),
        np.clip(x * 100.0, 0, 255).astype("uint8"),
        [[math.erfc(v) for v in row] for row in x],
        np.array_split(x, 2, axis=1)[0],
        np.unravel_index(np.abs(x).astype("int32"), (2, 2))[1],
    ]
    for got, w in zip(model(x), want):
        np.testing.assert_allclose(np.asarray(got), w, rtol=1e-6)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        layers = json.loads(z.read("config.json"))["config"]["layers"]
    modules = {layer["class_name"]: layer.get("module") for layer in layers}
    assert modules["Select"] == "keras.src.ops.numpy"
    assert modules["SaturateCast"] == "keras.src.ops.core"
    assert modules["Erfc"] == "keras.src.ops.math"
    configs = {layer["class_name"]: layer["config"] for layer in layers}
    assert configs["ArraySplit"]["indices_or_sections"] == 2 and configs["SaturateCast"]["dtype"] == "uint8"
    loaded = keras.models.load_model(path)
    for got, w in zip(loaded(x), want):
        np.testing.assert_allclose(np.asarray(got), w, rtol=1e-6)
