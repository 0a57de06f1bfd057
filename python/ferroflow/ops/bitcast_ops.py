"""``tf.bitcast``: a tensor's bytes read as another dtype, without copying values through a cast.

NumPy reinterprets the bytes, eagerly at once and inside graphs through a host op (shapes that are known
when the graph is built are checked then). As in TensorFlow, it has no gradient.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import _ENUM_NAMES, as_dtype
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ._graph_checks import op_def_error

_ALLOWED = (
    "bfloat16, half, float, double, int64, int32, uint8, uint16, uint32, uint64, int8, int16, complex64, "
    "complex128, qint8, quint8, qint16, quint16, qint32"
)
_ENUMS = {name: number for number, name in _ENUM_NAMES.items()}


def _check_type(dtype: Any, attr: str) -> None:
    if dtype.is_bool or dtype.name == "string":
        raise op_def_error(f"Value for attr '{attr}' of {dtype.name} is not in the list of allowed values: {_ALLOWED}")


def _out_shape(dims: Optional[List[Optional[int]]], src: int, dst: int) -> Optional[List[Optional[int]]]:
    """The result's static shape, or InvalidArgumentError when the input's shape cannot be reinterpreted."""
    if dims is None or src == dst:
        return dims
    if src > dst:
        return dims + [src // dst]
    if not dims or (dims[-1] is not None and dims[-1] != dst // src):
        return None
    return dims[:-1]


def bitcast(input: Any, type: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """``tf.bitcast``: ``input``'s bytes as ``type``. A narrower type adds a last axis of ``input.itemsize /
    type.itemsize`` elements; a wider one needs a last axis of ``type.itemsize / input.itemsize`` elements and
    removes it; an equal size keeps the shape."""
    x = convert_to_tensor(input)
    target = as_dtype(type)
    _check_type(x.dtype, "T")
    _check_type(target, "type")
    src_np, dst_np = np.dtype(x.dtype.as_numpy_dtype), np.dtype(target.as_numpy_dtype)
    src, dst = src_np.itemsize, dst_np.itemsize
    message = f"Cannot bitcast from {_ENUMS[x.dtype.name]} to {_ENUMS[target.name]}"
    dims = None if x.shape.rank is None else x.shape.as_list()
    static = _out_shape(dims, src, dst)
    if dims is not None and static is None:
        raise op_def_error(message, ValueError)

    def run(arrays: list) -> list:
        a = np.ascontiguousarray(arrays[0], dtype=src_np)
        if src < dst and (a.ndim == 0 or a.shape[-1] != dst // src):
            raise InvalidArgumentError(message)
        out_shape = _out_shape(list(a.shape), src, dst)
        return [a.reshape(-1).view(dst_np).reshape(out_shape)]

    from .host_op import host_op

    return host_op(name or "Bitcast", run, [x], [(target, static)])[0]
