"""``keras.ops``: Keras 3's backend-agnostic ops, with NumPy's names and argument conventions, on ferroflow tensors."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from ferroflow._api import public_dir as _public_dir

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import construction_ops as _construct
from ..ops import math_derived_ops as _derived
from ..ops import math_ops as _math
from ..ops import nn_ops as _nn
from ..ops import scan_ops as _scan
from ..ops import slicing_ops as _slicing
from ..ops import tiling_ops as _tiling
from . import (
    _nn_functions,
    _ops_control,
    _ops_core_more,
    _ops_creation,
    _ops_ctc,
    _ops_linalg,
    _ops_nn_more,
    _ops_numpy_arrays,
    _ops_numpy_more,
    _ops_numpy_stats,
    _ops_symbolic,
)

# keras.ops.nn's functions (conv, gelu, moments ...) are keras.ops names too.
globals().update({_name: getattr(_nn_functions, _name) for _name in _nn_functions.__all__})
globals().update({_name: getattr(_ops_numpy_more, _name) for _name in _ops_numpy_more.__all__})
globals().update({_name: getattr(_ops_core_more, _name) for _name in _ops_core_more.__all__})
globals().update({_name: getattr(_ops_ctc, _name) for _name in _ops_ctc.__all__})
globals().update({_name: getattr(_ops_creation, _name) for _name in _ops_creation.__all__})
globals().update({_name: getattr(_ops_linalg, _name) for _name in _ops_linalg.__all__})
globals().update({_name: getattr(_ops_numpy_stats, _name) for _name in _ops_numpy_stats.__all__})
globals().update({_name: getattr(_ops_numpy_arrays, _name) for _name in _ops_numpy_arrays.__all__})
globals().update({_name: getattr(_ops_nn_more, _name) for _name in _ops_nn_more.__all__})
globals().update({_name: getattr(_ops_control, _name) for _name in _ops_control.__all__})

# Elementwise functions whose names and signatures are NumPy's and TensorFlow's alike.
abs = _math.abs
absolute = _math.abs
add = _math.add
subtract = _math.subtract
multiply = _math.multiply
divide = _math.divide
true_divide = _math.divide
floor_divide = _math.floordiv
mod = _math.floormod
maximum = _math.maximum
minimum = _math.minimum
negative = _math.negative
equal = _math.equal
not_equal = _math.not_equal
less = _math.less
less_equal = _math.less_equal
greater = _math.greater
greater_equal = _math.greater_equal
logical_and = _math.logical_and
logical_or = _math.logical_or
logical_not = _math.logical_not
logical_xor = _derived.logical_xor
exp = _math.exp
expm1 = _math.expm1
log = _math.log
log1p = _math.log1p
sqrt = _math.sqrt
rsqrt = _math.rsqrt
square = _math.square
sign = _math.sign
sin = _math.sin
cos = _math.cos
tan = _derived.tan
tanh = _math.tanh
floor = _math.floor
ceil = _math.ceil
round = _math.round
sigmoid = _math.sigmoid
softplus = _math.softplus
relu = _nn.relu
power = _math.pow
reciprocal = _math.reciprocal
matmul = _math.matmul
convert_to_tensor = convert_to_tensor
cast = _array.cast
expand_dims = _array.expand_dims
broadcast_to = _array.broadcast_to
zeros_like = _array.zeros_like
ones_like = _array.ones_like
stack = _array.stack
where = _array.where
eye = _construct.eye
meshgrid = _construct.meshgrid
roll = _slicing.roll
tile = _tiling.tile
repeat = _tiling.repeat
cumsum = _scan.cumsum
cumprod = _scan.cumprod
softmax = _nn.softmax
log_softmax = _nn.log_softmax


def _reduce(fn: Any) -> Any:
    def reduce(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
        return fn(x, axis=axis, keepdims=keepdims)

    reduce.__doc__ = f"``{fn.__name__}`` with NumPy's argument names (``axis``, ``keepdims``)."
    return reduce


sum = _reduce(_math.reduce_sum)
mean = _reduce(_math.reduce_mean)
max = _reduce(_math.reduce_max)
amax = max
min = _reduce(_math.reduce_min)
amin = min
prod = _reduce(_math.reduce_prod)
std = _reduce(_math.reduce_std)
var = _reduce(_math.reduce_variance)
all = _reduce(_derived.reduce_all)
any = _reduce(_derived.reduce_any)
logsumexp = _reduce(_math.reduce_logsumexp)


def _arg_index(fn: Any, x: Any, axis: Optional[int], keepdims: bool) -> Tensor:
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    out = fn(t, axis=axis, output_type="int32")
    return _array.expand_dims(out, axis) if keepdims else out


def argmax(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """Index of the largest element along ``axis`` (of the flattened tensor when None), as int32."""
    return _arg_index(_math.argmax, x, axis, keepdims)


def argmin(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest element along ``axis`` (of the flattened tensor when None), as int32."""
    return _arg_index(_math.argmin, x, axis, keepdims)


def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """Values limited to ``[x_min, x_max]``."""
    return _math.minimum(_math.maximum(x, x_min), x_max)


def reshape(x: Any, newshape: Any) -> Tensor:
    """``x`` with the shape ``newshape`` (one size may be -1), Keras's argument name."""
    return _array.reshape(x, newshape)


def concatenate(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """The tensors joined along ``axis``, in their common dtype (Keras's promotion) when they differ."""
    from ..layers.merging import _promoted

    return _array.concat(_promoted([convert_to_tensor(x) for x in xs]), axis)


def transpose(x: Any, axes: Optional[Sequence[int]] = None) -> Tensor:
    return _array.transpose(x, axes)


def squeeze(x: Any, axis: Any = None) -> Tensor:
    return _array.squeeze(x, axis)


def take(x: Any, indices: Any, axis: Optional[int] = None) -> Tensor:
    """Elements (``axis=None``: of the flattened tensor) or slices along ``axis`` at ``indices``."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = _array.reshape(t, [-1]), 0
    return _array.gather(t, indices, axis=axis)


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list:
    """``np.split``: a number of equal parts, or the positions to cut at."""
    if isinstance(indices_or_sections, (int, np.integer)):
        return _slicing.split(x, int(indices_or_sections), axis=axis)
    t = convert_to_tensor(x)
    n = t.shape[axis]
    cuts = [0] + [int(i) for i in indices_or_sections] + [n]
    return _slicing.split(t, [b - a for a, b in zip(cuts[:-1], cuts[1:])], axis=axis)


def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> Tensor:
    return _tiling.pad(
        x, pad_width, mode=mode.upper(), constant_values=0 if constant_values is None else constant_values
    )


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None) -> Tensor:
    """Keras casts float class indices (labels loaded as float32) to integers first, truncating."""
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        x = _array.cast(x, "int64")
    return _array.one_hot(x, num_classes, axis=axis, dtype=dtype or "float32")


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    from ..ops.norm_ops import norm as _norm

    return _norm(x, ord="euclidean" if ord is None else ord, axis=axis, keepdims=keepdims)


def dot(x1: Any, x2: Any) -> Tensor:
    """``np.dot``: the matrix product, or the sum of products for two vectors."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    if len(a.shape) == 1 and len(b.shape) == 1:
        return _math.reduce_sum(a * b)
    return _math.matmul(a, b)


def tensordot(x1: Any, x2: Any, axes: Any = 2) -> Tensor:
    """``np.tensordot``: sums over the last ``axes`` axes of ``x1`` and the first of ``x2`` (or the axes two
    lists name), in the operands' promoted dtype."""
    from ..ops.structure_ops import tensordot as _tf_tensordot
    from ._dtype_promotion import result_type

    dtype = result_type(x1, x2)
    a, b = _array.cast(convert_to_tensor(x1), dtype), _array.cast(convert_to_tensor(x2), dtype)
    return _tf_tensordot(a, b, axes)


def shape(x: Any) -> tuple:
    """The shape as a tuple (Keras 3 returns a tuple, not a tensor): the static sizes, and for a size unknown
    until the graph runs (a batch), the scalar tensor that computes it, as Keras's TensorFlow backend does."""
    t = convert_to_tensor(x)
    if t.shape.rank is None:
        raise ValueError("All tensors must have a known rank (keras.ops.shape of a tensor of unknown rank)")
    static = list(t.shape)
    if None not in static:
        return tuple(static)
    dynamic = _array.shape(t)
    return tuple(dynamic[i] if d is None else d for i, d in enumerate(static))


def ndim(x: Any) -> int:
    return len(convert_to_tensor(x).shape)


def size(x: Any) -> Any:
    """The number of elements: a Python int when the shape is known, else (a batch of unknown size, while
    a step is traced) an int32 tensor, as Keras's TensorFlow backend gives."""
    t = convert_to_tensor(x)
    if None in list(t.shape):  # (this module's `any` is keras.ops.any)
        from ..ops import array_ops

        return array_ops.size(t)
    return int(np.prod(t.shape))


def convert_to_numpy(x: Any) -> np.ndarray:
    return np.asarray(convert_to_tensor(x))


def stop_gradient(x: Any) -> Tensor:
    return _array.stop_gradient(x)


def squared_difference(x: Any, y: Any) -> Tensor:
    return _derived.squared_difference(x, y)


# The ops above; the helpers imported to write them (Tensor, typing names) are not part of it.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and callable(value) and name not in {"Tensor", "Any", "Optional", "Sequence"}
)
_ops_symbolic.install(globals(), __all__)
from . import _ops_image as image  # noqa: E402, F401  (keras.ops.image)
from . import _ops_linalg_namespace as linalg  # noqa: E402, F401  (keras.ops.linalg)
from . import _ops_nn as nn  # noqa: E402, F401  (keras.ops.nn)
from . import _ops_numpy_namespace as numpy  # noqa: E402, F401  (keras.ops.numpy)

__dir__ = _public_dir(globals(), "image", "linalg", "nn", "numpy")
