"""What ``keras.ops`` adds to the plain tensor functions: Keras 3's dtype rules, and symbolic calls.

Keras's binary ops promote their operands' dtypes (``_dtype_promotion``), and its transcendental ops and
``mean`` compute integer inputs in float32. Any ``keras.ops`` function given a KerasTensor records an operation
node of the functional graph instead of computing (``layers/_keras_operation.py``), so
``keras.ops.mean(x, axis=1)`` works inside a functional model as in Keras 3.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

from ..framework.ops import convert_to_tensor
from ._dtype_promotion import result_type

_BINARY = (
    "add subtract multiply floor_divide mod power maximum minimum equal not_equal less less_equal greater "
    "greater_equal matmul"
).split()
_TRUE_DIVIDE = ("divide", "true_divide")
_FLOATING = (
    "exp expm1 log log1p sqrt rsqrt sin cos tan tanh sigmoid softplus softmax log_softmax logsumexp mean std var"
).split()


def _is_kt(x: Any) -> bool:
    return getattr(x, "_is_keras_tensor", False)


def _has_keras_tensor(values: Iterable) -> bool:
    for v in values:
        if _is_kt(v):
            return True
        if isinstance(v, (list, tuple)) and any(_is_kt(e) for e in v):
            return True
        if isinstance(v, dict) and any(_is_kt(e) for e in v.values()):
            return True
    return False


def _as(x: Any, dtype: str) -> Any:
    from ..framework.tensor import Tensor
    from ..framework.variables import Variable
    from ..ops.array_ops import cast

    if isinstance(x, (Tensor, Variable)):
        return x if x.dtype.name == dtype else cast(x, dtype)
    import numpy as np

    return convert_to_tensor(np.asarray(x).astype(dtype) if isinstance(x, (np.ndarray, np.generic)) else x, dtype)


def _promoting(fn: Callable, divide: bool = False) -> Callable:
    @functools.wraps(fn)
    def op(x1: Any, x2: Any) -> Any:
        dtype = result_type(x1, x2, 1.0) if divide else result_type(x1, x2)
        return fn(_as(x1, dtype), _as(x2, dtype))

    return op


def _floating(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def op(x: Any, *args: Any, **kwargs: Any) -> Any:
        from ..ops.array_ops import cast

        t = convert_to_tensor(x)
        if t.dtype.is_integer or t.dtype.is_bool:
            t = cast(t, "float32")
        return fn(t, *args, **kwargs)

    return op


def _dispatching(name: str, fn: Callable) -> Callable:
    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        if _has_keras_tensor(args) or (kwargs and _has_keras_tensor(kwargs.values())):
            if name == "shape":
                return args[0].shape
            if name == "ndim":
                return args[0].ndim
            if name == "dtype":  # (a string, read from the KerasTensor as from a tensor)
                return fn(*args, **kwargs)
            from ..layers._keras_operation import symbolic_op

            return symbolic_op(name, fn, args, kwargs)
        return fn(*args, **kwargs)

    return op


def install(namespace: dict, names: Iterable[str]) -> None:
    """Gives the functions ``names`` of the ``keras.ops`` module ``namespace`` Keras's dtype rules and
    symbolic calls (in place)."""
    for name in names:
        fn = namespace[name]
        if name in _BINARY:
            fn = _promoting(fn)
        elif name in _TRUE_DIVIDE:
            fn = _promoting(fn, divide=True)
        elif name in _FLOATING:
            fn = _floating(fn)
        namespace[name] = _dispatching(name, fn)
