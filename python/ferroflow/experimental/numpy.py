"""``tf.experimental.numpy`` (``tnp``): NumPy's names on ferroflow tensors, built on ``keras.ops``.

``experimental_enable_numpy_behavior()`` gives tensors NumPy's methods (``.T``, ``.reshape``,
``.astype``, ``.ravel``, ``.transpose``, ``.tolist``). Type promotion stays TensorFlow's (mixing dtypes
raises), which the ``prefer_float32`` switch of TensorFlow's does not change here.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ferroflow._api import public_dir as _public_dir

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
    """Gives tensors NumPy's methods: ``.T``, ``.reshape``, ``.astype``, ``.ravel``, ``.transpose``, ``.tolist``."""
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
    ]
)
# Names the ``keras.ops`` table brings that NumPy does not have stay importable but are not listed.
_NOT_NUMPY = (
    "cast", "convert_to_numpy", "convert_to_tensor", "log_softmax", "logsumexp", "norm", "one_hot", "relu",
    "rsqrt", "sigmoid", "softmax", "softplus", "squared_difference", "stop_gradient",
)
__dir__ = _public_dir(globals(), hidden=_NOT_NUMPY)
