"""``tf.nn.depth_to_space`` and ``space_to_depth``: blocks of pixels moved to and from channels by reshapes
and one transpose, in TensorFlow's element order (``output[b, h * k + i, w * k + j, c] =
input[b, h, w, (i * k + j) * C' + c]`` for ``depth_to_space``)."""

from __future__ import annotations

from typing import Any, List, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import reshape, transpose


def _checked(input: Any, block_size: Any, data_format: str, op: str) -> tuple:
    """The tensor in NHWC, its shape, the block size, and whether it came as NCHW."""
    fmt = str(data_format).upper()
    if fmt not in ("NHWC", "NCHW"):
        raise ValueError(f"{op}: data_format must be 'NHWC' or 'NCHW', received {data_format!r}")
    k = int(block_size)
    if k < 2:
        raise InvalidArgumentError(f"{op}: block_size must be at least 2, received {block_size}")
    x = convert_to_tensor(input)
    if x.shape.rank != 4:
        raise InvalidArgumentError(f"{op} expects a 4-D input, received rank {x.shape.rank} (shape {x.shape})")
    first = fmt == "NCHW"
    if first:
        x = transpose(x, [0, 2, 3, 1])
    shape: List[Any] = x.shape.as_list()
    if any(d is None for d in shape[1:]):
        raise ValueError(f"{op} needs the height, width and channels known before it runs, received {shape}")
    return x, shape, k, first


def _named(y: Tensor, first: bool, name: Optional[str]) -> Tensor:
    y = transpose(y, [0, 3, 1, 2]) if first else y
    return y if name is None else apply("identity", [y], op_name=name)


def depth_to_space(input: Any, block_size: int, data_format: str = "NHWC", name: Optional[str] = None) -> Tensor:
    """Channels moved into ``block_size x block_size`` blocks of pixels: ``[b, h, w, c]`` becomes
    ``[b, h * k, w * k, c / k**2]``."""
    x, (_, h, w, c), k, first = _checked(input, block_size, data_format, "depth_to_space")
    if c % (k * k):
        raise InvalidArgumentError(
            f"depth_to_space: the input's channel depth {c} must be divisible by block_size * block_size = {k * k}"
        )
    out = c // (k * k)
    y = transpose(reshape(x, [-1, h, w, k, k, out]), [0, 1, 3, 2, 4, 5])
    return _named(reshape(y, [-1, h * k, w * k, out]), first, name)


def space_to_depth(input: Any, block_size: int, data_format: str = "NHWC", name: Optional[str] = None) -> Tensor:
    """Each ``block_size x block_size`` block of pixels moved into channels: ``[b, h, w, c]`` becomes
    ``[b, h / k, w / k, c * k**2]``."""
    x, (_, h, w, c), k, first = _checked(input, block_size, data_format, "space_to_depth")
    if h % k or w % k:
        raise InvalidArgumentError(
            f"space_to_depth: the image height {h} and width {w} must be divisible by block_size {k}"
        )
    y = transpose(reshape(x, [-1, h // k, k, w // k, k, c]), [0, 1, 3, 2, 4, 5])
    return _named(reshape(y, [-1, h // k, w // k, k * k * c]), first, name)


def depth_to_space_v1(input: Any, block_size: int, name: Optional[str] = None, data_format: str = "NHWC") -> Tensor:
    """``tf.compat.v1.depth_to_space`` (``name`` before ``data_format``)."""
    return depth_to_space(input, block_size, data_format, name)


def space_to_depth_v1(input: Any, block_size: int, name: Optional[str] = None, data_format: str = "NHWC") -> Tensor:
    """``tf.compat.v1.space_to_depth`` (``name`` before ``data_format``)."""
    return space_to_depth(input, block_size, data_format, name)
