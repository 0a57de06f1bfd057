"""Complex numbers: ``tf.complex`` and the accessors ``tf.math.real``, ``imag``, ``conj``, ``angle``, with
``tf.abs`` of a complex tensor. On real tensors the accessors act as TensorFlow's do (``real`` is the
tensor itself, ``imag`` zeros, ``angle`` pi for negative numbers)."""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.ops import apply, binary_operands, convert_to_tensor
from ..framework.tensor import Tensor


def complex(real: Any, imag: Any, name: Optional[str] = None) -> Tensor:  # noqa: A001
    """``real + imag * 1j`` elementwise: float32 parts give complex64, float64 parts complex128."""
    re, im = binary_operands(real, imag)
    re, im = convert_to_tensor(re), convert_to_tensor(im)
    if re.dtype != im.dtype or re.dtype.name not in ("float32", "float64"):
        raise TypeError(
            f"complex expects real and imag of one dtype, float32 or float64, received "
            f"{re.dtype.name} and {im.dtype.name}"
        )
    return apply("complex.make", [re, im], op_name=name)


def real(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The real part of each element; a real tensor is returned as it is."""
    x = convert_to_tensor(input)
    return apply("complex.real", [x], op_name=name) if x.dtype.is_complex else x


def imag(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The imaginary part of each element; zeros for a real tensor."""
    from . import array_ops

    x = convert_to_tensor(input)
    return apply("complex.imag", [x], op_name=name) if x.dtype.is_complex else array_ops.zeros_like(x)


def conj(x: Any, name: Optional[str] = None) -> Tensor:
    """The complex conjugate; a real tensor is returned as it is."""
    t = convert_to_tensor(x)
    return apply("complex.conj", [t], op_name=name) if t.dtype.is_complex else t


def angle(input: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """The argument of each element, ``atan2(imag, real)``: pi for negative real numbers, 0 otherwise."""
    from . import array_ops, math_ops

    x = convert_to_tensor(input)
    if x.dtype.is_complex:
        return apply("complex.angle", [x], op_name=name)
    return array_ops.where(math_ops.less(x, 0.0), array_ops.ones_like(x) * math.pi, array_ops.zeros_like(x))


def complex_abs(x: Tensor, name: Optional[str] = None) -> Tensor:
    """``|x|`` of a complex tensor, as a float tensor of its parts' dtype."""
    return apply("complex.abs", [x], op_name=name)
