"""``tf.experimental.numpy`` (``tnp``): NumPy's names on ferroflow tensors, built on ``keras.ops``.

``experimental_enable_numpy_behavior()`` gives tensors NumPy's methods (``.T``, ``.reshape``,
``.astype``, ``.ravel``, ``.transpose``, ``.tolist``, ``.data``) and NumPy's type promotion in binary operators
(``int32 + float32`` is float64), as TensorFlow's does; its ``prefer_float32`` switch is not supported here.
``tnp.ndarray`` is ``tf.Tensor``; ``ones``/``zeros``/``arange`` and float functions of integers follow
NumPy's dtypes (``_numpy_defaults``); ``tnp.random`` draws float64.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ferroflow._api import public_dir as _public_dir

from ..framework import ops as _framework_ops
from ..framework.dtypes import as_dtype as _as_dtype
from ..framework.ops import convert_to_tensor as _convert
from ..keras import ops as _ops

# NumPy's dtypes by their names.
float32, float64, int32, int64 = "float32", "float64", "int32", "int64"
bool_ = "bool"
pi = _np.pi
e = _np.e
newaxis = None

for _name in _ops.__all__:
    globals()[_name] = getattr(_ops, _name)

# NumPy's dtype defaults where they differ from ``keras.ops``'s, and ``tnp.random``.
from ..framework.tensor import Tensor as ndarray  # noqa: E402, F401  (TensorFlow's ND array is tf.Tensor)
from . import _numpy_defaults  # noqa: E402
from . import _numpy_random as random  # noqa: E402, F401

for _name in _numpy_defaults.__all__:
    globals()[_name] = getattr(_numpy_defaults, _name)


def array(obj: Any, dtype: Any = None, copy: bool = True, ndmin: int = 0) -> Any:
    """A tensor from a value; Python floats become float64 as in NumPy (``tnp``'s default)."""
    value = _np.array(obj, dtype=None if dtype is None else _as_dtype(dtype).as_numpy_dtype, ndmin=ndmin)
    return _convert(value)


def asarray(a: Any, dtype: Any = None) -> Any:
    from ..framework.tensor import Tensor

    if isinstance(a, Tensor) and (dtype is None or a.dtype == _as_dtype(dtype)):
        return a
    return array(a, dtype=dtype)


def experimental_enable_numpy_behavior(prefer_float32: bool = False, dtype_conversion_mode: Any = None) -> None:
    """Gives tensors NumPy's methods (``.T``, ``.reshape``, ``.astype``, ``.ravel``, ``.transpose``, ``.tolist``,
    ``.data``) and NumPy's type promotion in binary operators, for the rest of the process as in TensorFlow."""
    from ..framework.tensor import Tensor
    from ..ops import array_ops

    def reshape(self: Any, *shape: Any, order: str = "C") -> Any:
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        return array_ops.reshape(self, list(shape))

    def transpose(self: Any, *axes: Any) -> Any:
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = tuple(axes[0])
        return array_ops.transpose(self, list(axes) if axes else None)

    Tensor.T = property(lambda self: array_ops.transpose(self))
    Tensor.reshape = reshape
    Tensor.transpose = transpose
    Tensor.astype = lambda self, dtype: array_ops.cast(self, dtype)
    Tensor.ravel = lambda self: array_ops.reshape(self, [-1])
    Tensor.tolist = lambda self: self.numpy().tolist()
    if "_original_getitem" not in _STATE:
        from ._numpy_indexing import numpy_getitem

        _STATE["_original_getitem"] = Tensor.__getitem__
        Tensor.__getitem__ = numpy_getitem(Tensor.__getitem__)
    Tensor.data = property(lambda self: self)  # the tensor an ND array wraps: itself, as in TensorFlow
    _framework_ops.NUMPY_PROMOTION[0] = _promote


def _promote(a: Any, b: Any) -> tuple:
    """Two operands of different dtypes cast to NumPy's result type (int32 + float32 is float64)."""
    if a.dtype == b.dtype:
        return a, b
    from ..ops import array_ops

    common = _as_dtype(_np.result_type(a.dtype.as_numpy_dtype, b.dtype.as_numpy_dtype))
    return (a if a.dtype == common else array_ops.cast(a, common)), (
        b if b.dtype == common else array_ops.cast(b, common)
    )


def _disable_numpy_behavior() -> None:
    """Undoes ``experimental_enable_numpy_behavior`` (TensorFlow has no public way back); used by tests."""
    from ..framework.tensor import Tensor

    for name in ("T", "reshape", "transpose", "astype", "ravel", "tolist", "data"):
        if name in Tensor.__dict__:
            delattr(Tensor, name)
    if "_original_getitem" in _STATE:
        Tensor.__getitem__ = _STATE.pop("_original_getitem")
    _framework_ops.NUMPY_PROMOTION[0] = None


_STATE: dict = {}  # what enabling replaced, for _disable_numpy_behavior


__all__ = sorted(
    [name for name in _ops.__all__]
    + [
        "array",
        "asarray",
        "experimental_enable_numpy_behavior",
        "float32",
        "float64",
        "int32",
        "int64",
        "bool_",
        "pi",
        "e",
        "newaxis",
        "ndarray",
        "random",
        *_numpy_defaults.__all__,
    ]
)
# Names the ``keras.ops`` table brings that NumPy does not have stay importable but are not listed.
_NOT_NUMPY = (
    "cast",
    "convert_to_numpy",
    "convert_to_tensor",
    "log_softmax",
    "logsumexp",
    "norm",
    "one_hot",
    "relu",
    "rsqrt",
    "sigmoid",
    "softmax",
    "softplus",
    "squared_difference",
    "stop_gradient",
)
__dir__ = _public_dir(globals(), hidden=_NOT_NUMPY)
