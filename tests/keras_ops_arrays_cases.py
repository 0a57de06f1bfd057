"""The dtype cases of ``keras.ops``'s NumPy-named array functions, shared by ``test_keras_ops_arrays_2.py`` and
``tests/data/record_keras_ops_arrays.py`` (which records what Keras 3 gives for them)."""

import numpy as np

DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
UNARY = "fabs sinc i0 cbrt erfc angle signbit isneginf isposinf isreal bitwise_invert real imag conj copy diag fliplr"
BINARY = (
    "bitwise_and bitwise_left_shift gcd lcm hypot ldexp fmax fmin fmod heaviside logaddexp logaddexp2 nextafter kron "
    "inner vdot cross append"
)
PAIRS = [
    ("int32", "int32"), ("int8", "uint8"), ("int32", "int64"), ("int32", "float32"), ("float16", "float32"),
    ("float16", "float16"), ("int16", "int16"), ("uint8", "uint8"), ("int64", "int64"), ("float64", "int32"),
    ("bfloat16", "float16"), ("bool", "int32"), ("uint16", "uint16"), ("uint32", "int8"),
]  # fmt: skip
SCALAR_BINARY = "fmax fmin hypot bitwise_and bitwise_left_shift fmod heaviside logaddexp ldexp append"


def cases(ops):
    """``{name: thunk}``: each thunk calls ``ops`` (``keras.ops`` of Keras 3 or of ferroflow) once."""
    out = {}
    x = np.array([[1, 2], [3, 4]])
    for d in DTYPES:
        t = ops.cast(ops.convert_to_tensor(x), d)
        for u in UNARY.split():
            out[f"{u}({d})"] = lambda u=u, t=t: getattr(ops, u)(t)
        out[f"trace({d})"] = lambda t=t: ops.trace(t)
        out[f"vander({d})"] = lambda t=t: ops.vander(t[0])
        out[f"diagonal({d})"] = lambda t=t: ops.diagonal(t)
    for a, b in PAIRS:
        ta = ops.cast(ops.convert_to_tensor(np.array([1, 2, 3])), a)
        tb = ops.cast(ops.convert_to_tensor(np.array([2, 3, 1])), b)
        for f in BINARY.split():
            out[f"{f}({a},{b})"] = lambda f=f, ta=ta, tb=tb: getattr(ops, f)(ta, tb)
        out[f"select({a},{b})"] = lambda ta=ta, tb=tb: ops.select([ta > 1, ta > 2], [ta, tb])
        out[f"select({a},{b},1.5)"] = lambda ta=ta: ops.select([ta > 1], [ta], 1.5)
    tensors = {
        "int32": np.array([1, 2, 3], "int32"),
        "float32": np.array([1.0, 2.0, 3.0], "float32"),
        "float16": np.array([1.0, 2.0, 3.0], "float16"),
    }
    for f in SCALAR_BINARY.split():
        for name, value in tensors.items():
            t = ops.convert_to_tensor(value)
            out[f"{f}({name},py2)"] = lambda f=f, t=t: getattr(ops, f)(t, 2)
            out[f"{f}({name},py2.5)"] = lambda f=f, t=t: getattr(ops, f)(t, 2.5)
    ti = ops.convert_to_tensor(tensors["int32"])
    tf_ = ops.convert_to_tensor(tensors["float32"])
    out.update(
        {
            "bitwise_left_shift(uint8,py2)": lambda: ops.bitwise_left_shift(ops.cast(ti, "uint8"), 2),
            "geomspace(1,100)": lambda: ops.geomspace(1, 100, 5),
            "geomspace(1.,100.,f64)": lambda: ops.geomspace(1.0, 100.0, 5, dtype="float64"),
            "logspace(0,2)": lambda: ops.logspace(0, 2, 5),
            "logspace(0,2,int32)": lambda: ops.logspace(0, 2, 5, dtype="int32"),
            "bartlett(5)": lambda: ops.bartlett(5),
            "blackman(5)": lambda: ops.blackman(5),
            "hamming(5)": lambda: ops.hamming(5),
            "hanning(5)": lambda: ops.hanning(5),
            "kaiser(5)": lambda: ops.kaiser(5, 3.0),
            "empty": lambda: ops.empty((2, 3)),
            "empty_like(int32)": lambda: ops.empty_like(ti),
            "tri": lambda: ops.tri(3),
            "tri(int32)": lambda: ops.tri(3, dtype="int32"),
            "unravel(int32)": lambda: ops.unravel_index(ti, (2, 2)),
            "unravel(int64)": lambda: ops.unravel_index(ops.cast(ti, "int64"), (2, 2)),
            "dstack(int32,float32)": lambda: ops.dstack([ti, tf_]),
            "array(list)": lambda: ops.array([1, 2]),
            "array(list,f)": lambda: ops.array([1.0, 2]),
            "array(int,float16)": lambda: ops.array([1, 2], dtype="float16"),
            "saturate_cast": lambda: ops.saturate_cast(tf_, "uint8"),
            "view": lambda: ops.view(tf_, "int32"),
            "view16": lambda: ops.view(tf_, "int16"),
            "real(c64)": lambda: ops.real(ops.convert_to_tensor(np.array([1 + 2j], "complex64"))),
            "angle(c64)": lambda: ops.angle(ops.convert_to_tensor(np.array([1 + 2j], "complex64"))),
            "imag(c128)": lambda: ops.imag(ops.convert_to_tensor(np.array([1 + 2j], "complex128"))),
            "sinc(c64)": lambda: ops.sinc(ops.convert_to_tensor(np.array([1 + 2j], "complex64"))),
            "isreal(c64)": lambda: ops.isreal(ops.convert_to_tensor(np.array([1 + 2j], "complex64"))),
        }
    )
    return out


def result_dtype(thunk):
    """The dtype name of the thunk's result (its first element for a list), or ``ERR <exception type>``."""
    try:
        r = thunk()
    except Exception as e:  # noqa: BLE001  (the error's type is the recorded result)
        return "ERR " + type(e).__name__
    if isinstance(r, (list, tuple)):
        r = r[0]
    return str(getattr(r.dtype, "name", r.dtype))
