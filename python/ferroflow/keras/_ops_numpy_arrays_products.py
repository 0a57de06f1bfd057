"""``keras.ops``'s NumPy-named products (``kron``, ``inner``, ``vdot``, ``cross``) and ``vander``, with Keras 3's
result dtypes."""

from __future__ import annotations

from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ._ops_numpy_arrays_common import broadcast_all, cast_common, moveaxis, result_dtype, tf_module

__all__: list = ["cross", "inner", "kron", "vander", "vdot"]


def _dims(t: Tensor) -> list:
    """``t``'s sizes: ints where known, scalar tensors (computed when the graph runs) where not."""
    dynamic = None
    out = []
    for i, d in enumerate(t.shape):
        if d is None:
            dynamic = tf_module().shape(t) if dynamic is None else dynamic
            d = dynamic[i]
        out.append(d)
    return out


def _shape_arg(dims: list) -> Any:
    if all(isinstance(d, int) for d in dims):
        return dims
    return _array.stack([_array.cast(convert_to_tensor(d), "int32") for d in dims])


def kron(x1: Any, x2: Any) -> Tensor:
    """The Kronecker product: blocks of ``x2`` scaled by each element of ``x1``."""
    a, b = cast_common(x1, x2)
    rank = max(len(a.shape), len(b.shape))
    sa = [1] * (rank - len(a.shape)) + _dims(a)
    sb = [1] * (rank - len(b.shape)) + _dims(b)
    # Interleave the axes: a as (d0, 1, d1, 1, ...), b as (1, e0, 1, e1, ...); their product is the blocks.
    a = _array.reshape(a, _shape_arg([d for s in sa for d in (s, 1)]))
    b = _array.reshape(b, _shape_arg([d for s in sb for d in (1, s)]))
    return _array.reshape(_math.multiply(a, b), _shape_arg([p * q for p, q in zip(sa, sb)]))


def _via_float(x1: Any, x2: Any) -> tuple:
    """The operands cast to the float dtype Keras computes ``inner``/``vdot`` in, and the result dtype."""
    a, b = convert_to_tensor(x1), convert_to_tensor(x2)
    out = result_dtype(a.dtype.name, b.dtype.name)
    compute = result_dtype(out, float)
    return _array.cast(a, compute), _array.cast(b, compute), out


def inner(x1: Any, x2: Any) -> Tensor:
    """The sum of products over the last axes (a product when either is a scalar)."""
    a, b, out = _via_float(x1, x2)
    if len(a.shape) == 0 or len(b.shape) == 0:
        return _array.cast(_math.multiply(a, b), out)
    d1, d2 = a.shape[-1], b.shape[-1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(
            "`inner` requires the last dimension of `x1` and `x2` to match. "
            f"Received: x1.shape={tuple(a.shape)}, x2.shape={tuple(b.shape)}."
        )
    return _array.cast(tf_module().tensordot(a, b, [[len(a.shape) - 1], [len(b.shape) - 1]]), out)


def vdot(x1: Any, x2: Any) -> Tensor:
    """The dot product of the flattened operands."""
    a, b, out = _via_float(x1, x2)
    return _array.cast(_math.reduce_sum(_array.reshape(a, [-1]) * _array.reshape(b, [-1])), out)


def _cross3(a: Tensor, b: Tensor) -> Tensor:
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return _array.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Optional[int] = None) -> Tensor:
    """The cross product of 2- or 3-vectors along ``axisa``/``axisb`` (``axis`` sets all three); two 2-vectors
    give the z component alone."""
    a, b = cast_common(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, [axisa], [-1]), moveaxis(b, [axisb], [-1])
    da, db = a.shape[-1], b.shape[-1]
    if da not in (2, 3) or db not in (2, 3):
        raise ValueError(
            "Incompatible dimensions for cross product (dimension must be 2 or 3). "
            f"Received: x1.shape={tuple(convert_to_tensor(x1).shape)}, x2.shape={tuple(convert_to_tensor(x2).shape)}"
        )
    if da == 2 and db == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    if da == 2:
        a = tf_module().pad(a, [[0, 0]] * (len(a.shape) - 1) + [[0, 1]])
    if db == 2:
        b = tf_module().pad(b, [[0, 0]] * (len(b.shape) - 1) + [[0, 1]])
    c = _cross3(*broadcast_all(a, b))
    return moveaxis(c, [-1], [axisc])


def vander(x: Any, N: Optional[int] = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of a 1-D ``x``: columns ``x ** (N-1), ..., x ** 0`` (increasing: the reverse)."""
    t = convert_to_tensor(x)
    if len(t.shape) != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: input.shape={tuple(t.shape)}")
    if N is not None:
        if not isinstance(N, int) or isinstance(N, bool):
            raise TypeError(f"Argument `N` must be of type `int`. Received: N={N} of type {type(N)}")
        if N < 0:
            raise ValueError(f"Argument 'N' must be nonnegative. Received: N={N}")
    if not isinstance(increasing, bool):
        raise TypeError(
            "Argument `increasing` must be of type `bool`. "
            f"Received: increasing={increasing} of type {type(increasing)}"
        )
    n = t.shape[0] if N is None else N
    compute = result_dtype(t.dtype.name, "float32")
    if n is None:  # (a length known only when the graph runs)
        n = tf_module().shape(t)[0]
        powers = tf_module().range(n) if increasing else tf_module().range(n - 1, -1, -1)
        powers = _array.cast(powers, compute)
    else:
        powers = convert_to_tensor(list(range(n)) if increasing else list(range(n - 1, -1, -1)), dtype=compute)
    base = _array.expand_dims(_array.cast(t, compute), -1)
    return _array.cast(_math.pow(base, powers), t.dtype)
