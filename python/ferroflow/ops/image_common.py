"""What the ``tf.image`` ops share: rank checks with TensorFlow's messages, the batch axis added to a single
image and taken off again, static height/width/depth, and zero padding that works with an unknown batch size."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import concat, expand_dims, squeeze, zeros, zeros_like


def as_image(image: Any) -> Tensor:
    return convert_to_tensor(image)


def rank_of(x: Tensor) -> Optional[int]:
    return x.shape.rank


def require_at_least_3d(x: Tensor, what: str = "image") -> int:
    rank = rank_of(x)
    if rank is None or rank < 3:
        raise ValueError(f"'{what}' (shape {x.shape}) must be at least three-dimensional.")
    return rank


def require_3d_or_4d(x: Tensor, what: str = "image", at_least_3: bool = True) -> int:
    """The rank of ``x``, 3 or 4; TensorFlow's ValueError otherwise."""
    if at_least_3:
        require_at_least_3d(x, what)
    rank = rank_of(x)
    if rank not in (3, 4):
        raise ValueError(f"'{what}' (shape {x.shape}) must have either 3 or 4 dimensions.")
    return rank


def batched(x: Tensor, what: str = "image", at_least_3: bool = True) -> Tuple[Tensor, bool]:
    """``x`` as a 4-D batch and whether it already was one."""
    if require_3d_or_4d(x, what, at_least_3) == 3:
        return expand_dims(x, 0), False
    return x, True


def unbatched(x: Tensor, was_batch: bool) -> Tensor:
    return x if was_batch else squeeze(x, axis=[0])


def hwc(x4: Tensor, op: str) -> Tuple[int, int, int]:
    """The static height, width and depth of a 4-D batch (the batch size may be unknown)."""
    dims = x4.shape.as_list()
    if any(d is None for d in dims[1:]):
        raise ValueError(f"{op} needs images of known height, width and channels, received shape {x4.shape}")
    return dims[1], dims[2], dims[3]


def static_int(value: Any, what: str) -> int:
    """A Python int from an int, a NumPy scalar or an eager scalar tensor (graph values must be known)."""
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise ValueError(f"{what} must be known when the graph is built (a Python int or an eager tensor)")
        value = value.numpy()
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be an integer scalar, received {value!r}")
    return int(arr)


def static_float(value: Any, what: str) -> float:
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise ValueError(f"{what} must be known when the graph is built (a Python number or an eager tensor)")
        value = value.numpy()
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "iuf":
        raise TypeError(f"{what} must be a real scalar, received {value!r}")
    return float(arr)


def int_vector(value: Any, what: str) -> List[int]:
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise ValueError(f"{what} must be known when the graph is built (a Python list or an eager tensor)")
        value = value.numpy()
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be integers, received {value!r}")
    return [int(v) for v in arr.reshape(-1)]


def _zero_block(x4: Tensor, dims: List[int]) -> Tensor:
    """Zeros of shape ``[batch] + dims`` in ``x4``'s dtype; the batch size may be unknown."""
    batch = x4.shape.as_list()[0]
    if batch is not None:
        return zeros([batch] + dims, dtype=x4.dtype)
    # A (batch, 1, 1, 1) zero broadcast against the block: no shape needs to be known.
    return zeros_like(x4[:, :1, :1, :1]) + zeros([1] + dims, dtype=x4.dtype)


def pad_hw(x4: Tensor, top: int, bottom: int, left: int, right: int) -> Tensor:
    """Zeros added around the height and width axes of a 4-D batch."""
    h, w, c = hwc(x4, "pad")
    if left or right:
        parts = [_zero_block(x4, [h, left, c])] if left else []
        parts += [x4] + ([_zero_block(x4, [h, right, c])] if right else [])
        x4, w = concat(parts, 2), w + left + right
    if top or bottom:
        parts = [_zero_block(x4, [top, w, c])] if top else []
        parts += [x4] + ([_zero_block(x4, [bottom, w, c])] if bottom else [])
        x4 = concat(parts, 1)
    return x4


def per_image(fn: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """``fn`` applied to the last three axes of ``x`` (rank >= 3) as one 4-D batch, leading axes restored."""
    dims = x.shape.as_list()
    lead = dims[:-3]
    if len(lead) == 1:
        return fn(x)
    if any(d is None for d in lead):
        raise ValueError(f"images with more than one batch axis need known batch axes, received shape {x.shape}")
    from .array_ops import reshape

    out = fn(reshape(x, [-1] + dims[-3:]))
    return reshape(out, lead + out.shape.as_list()[1:])
