"""``tf.image.extract_patches``: every ``sizes`` window of an image (taken every ``strides`` pixels, its pixels
``rates`` apart) flattened into the channels, in TensorFlow's order (window row, window column, channel).

One strided slice per window position, stacked: any dtype, gradients from the slices, and an unknown batch.
"""

from __future__ import annotations

from typing import Any, List, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import reshape, stack
from .tiling_ops import pad


def _four(value: Any, what: str) -> List[int]:
    """``[1, rows, cols, 1]`` as ``[rows, cols]``."""
    values = [int(v) for v in value]
    if len(values) != 4:
        raise InvalidArgumentError(
            f"extract_patches: {what} must have 4 elements [1, rows, cols, 1], received {values}"
        )
    if values[0] != 1 or values[3] != 1:
        raise InvalidArgumentError(
            f"extract_patches only supports {what} across space ([1, rows, cols, 1]), received {values}"
        )
    if values[1] < 1 or values[2] < 1:
        raise InvalidArgumentError(f"extract_patches: {what} must be positive, received {values}")
    return values[1:3]


def _axis_plan(size: int, kernel: int, stride: int, rate: int, padding: str) -> tuple:
    """Output length and (before, after) padding along one axis for a dilated window."""
    span = (kernel - 1) * rate + 1
    if padding == "VALID":
        return max((size - span) // stride + 1, 0), (0, 0)
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return out, (total // 2, total - total // 2)


def extract_patches(
    images: Any, sizes: Any, strides: Any, rates: Any, padding: str, name: Optional[str] = None
) -> Tensor:
    """``[batch, rows, cols, depth]`` images as ``[batch, out_rows, out_cols, size_rows * size_cols * depth]``
    patches; ``padding`` is ``"VALID"`` or ``"SAME"`` (zeros around the image)."""
    x = convert_to_tensor(images)
    if x.shape.rank != 4:
        raise InvalidArgumentError(
            f"extract_patches expects 4-D images [batch, rows, cols, depth], received rank {x.shape.rank} "
            f"(shape {x.shape})"
        )
    (kr, kc), (sr, sc), (rr, rc) = _four(sizes, "sizes"), _four(strides, "strides"), _four(rates, "rates")
    mode = str(padding).upper()
    if mode not in ("VALID", "SAME"):
        raise ValueError(f"extract_patches: padding must be 'VALID' or 'SAME', received {padding!r}")
    _, h, w, c = x.shape.as_list()
    if h is None or w is None or c is None:
        raise ValueError(f"extract_patches needs the rows, cols and depth known before it runs, received {x.shape}")
    out_r, pad_r = _axis_plan(h, kr, sr, rr, mode)
    out_c, pad_c = _axis_plan(w, kc, sc, rc, mode)
    if out_r == 0 or out_c == 0:
        raise InvalidArgumentError(
            f"extract_patches: a {kr}x{kc} window with rates {[rr, rc]} does not fit the {h}x{w} images"
        )
    if pad_r != (0, 0) or pad_c != (0, 0):
        x = pad(x, [[0, 0], list(pad_r), list(pad_c), [0, 0]])
    taps = []
    for i in range(kr):
        for j in range(kc):
            rows = ("range", i * rr, i * rr + (out_r - 1) * sr + 1, sr)
            cols = ("range", j * rc, j * rc + (out_c - 1) * sc + 1, sc)
            taps.append(
                apply("strided_slice", [x], {"specs": [("range", None, None, 1), rows, cols, ("range", None, None, 1)]})
            )
    y = reshape(stack(taps, axis=3), [-1, out_r, out_c, kr * kc * c])
    return y if name is None else apply("identity", [y], op_name=name)


def extract_image_patches(
    images: Any,
    ksizes: Any = None,
    strides: Any = None,
    rates: Any = None,
    padding: Optional[str] = None,
    name: Optional[str] = None,
    sizes: Any = None,
) -> Tensor:
    """``tf.compat.v1.extract_image_patches``: ``extract_patches`` with the window size named ``ksizes``."""
    if (ksizes is None) == (sizes is None):
        raise ValueError("extract_image_patches takes exactly one of ksizes and sizes")
    return extract_patches(images, ksizes if sizes is None else sizes, strides, rates, padding, name)
