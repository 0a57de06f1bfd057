"""``tf.image.sobel_edges``: 3x3 Sobel responses of each channel, ``[batch, h, w, d, 2]`` (dy, dx).

As TensorFlow, the image is reflect-padded by one pixel and filtered; here the filter is a weighted sum
of the nine shifted views of the padded image, so its gradient is that of slices and sums.
"""

from __future__ import annotations

from typing import Any

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import concat, stack

# TensorFlow's kernels: rows are dy (vertical change), then dx.
_DY = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
_DX = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


def _reflect(x: Tensor, axis: int) -> Tensor:
    """Pads one pixel on both sides of ``axis`` by reflection (the pixel next to the edge, not the edge)."""

    def take(start: int, stop: Any) -> Tensor:
        index = [slice(None)] * 4
        index[axis] = slice(start, stop)
        return x[tuple(index)]

    return concat([take(1, 2), x, take(-2, -1)], axis)


def sobel_edges(image: Any) -> Tensor:
    """The Sobel edge maps of a ``[batch, h, w, d]`` float image (at least 2x2)."""
    x = convert_to_tensor(image)
    if x.shape.rank is not None and x.shape.rank != 4:
        raise ValueError(f"sobel_edges expects a 4-D [batch, height, width, depth] image, received shape {x.shape}")
    if not x.dtype.is_floating:
        raise TypeError(f"sobel_edges expects a float32 or float64 image, received {x.dtype.name}")
    padded = _reflect(_reflect(x, 1), 2)

    def view(i: int, j: int) -> Tensor:
        rows = slice(i, i - 2 if i < 2 else None)
        cols = slice(j, j - 2 if j < 2 else None)
        return padded[:, rows, cols, :]

    outputs = []
    for kernel in (_DY, _DX):
        total = None
        for i in range(3):
            for j in range(3):
                if kernel[i][j]:
                    term = view(i, j) * float(kernel[i][j])
                    total = term if total is None else total + term
        outputs.append(total)
    return stack(outputs, axis=-1)
