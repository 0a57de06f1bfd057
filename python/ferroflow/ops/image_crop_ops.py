"""``tf.image.crop_and_resize`` and ``tf.image.extract_glimpse``: windows of images sampled with gathers.

``crop_and_resize`` follows TensorFlow's ``CropAndResize`` kernel: crop ``k`` samples the image of
``box_indices[k]`` at ``y1 * (H - 1) + i * (y2 - y1) * (H - 1) / (crop_h - 1)`` (the box centre when
``crop_h`` is 1), and likewise in x; samples outside the image take ``extrapolation_value``. Bilinear
samples blend the four neighbouring pixels, ``nearest`` rounds half away from zero. The result is float32;
its gradient reaches the image (through the gathers) and the boxes (through the blending weights).

``extract_glimpse`` is TensorFlow 2's ``ExtractGlimpseV2``: the window's corner is the offset, un-normalized
and un-centered as the kernel does, truncated toward zero; pixels outside the image are zeros
(``noise='zero'``) or noise drawn from each image channel's range (``'uniform'``) or mean and deviation
(``'gaussian'``) -- TensorFlow's kinds of noise, not its random numbers.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..errors import OutOfRangeError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, expand_dims, gather, range, reshape, shape, where, zeros_like
from .math_ops import (
    add,
    ceil,
    floor,
    greater,
    less,
    logical_and,
    logical_or,
    maximum,
    minimum,
    multiply,
    reduce_max,
    reduce_mean,
    reduce_min,
    sqrt,
    square,
    subtract,
)


def _crop_size(crop_size: Any) -> tuple:
    if isinstance(crop_size, Tensor) and not isinstance(crop_size, EagerTensor):
        raise ValueError("crop_and_resize needs crop_size known when the graph is built (a list or an eager tensor)")
    size = np.asarray(crop_size.numpy() if isinstance(crop_size, EagerTensor) else crop_size).reshape(-1)
    if size.size != 2:
        raise InvalidArgumentError(f"crop_size must be a 1-D tensor of length 2, received {size.tolist()}")
    if size.min() <= 0:
        raise InvalidArgumentError("crop dimensions must be positive")
    return int(size[0]), int(size[1])


def _sample_positions(low: Tensor, high: Tensor, n: int, extent: Tensor) -> Tensor:
    """``[boxes, n]`` sample coordinates in pixels along one axis (``extent`` = image size - 1)."""
    if n == 1:
        return expand_dims(0.5 * (low + high) * extent, 1)
    step = (high - low) * extent / float(n - 1)
    return expand_dims(low * extent, 1) + expand_dims(step, 1) * np.arange(n, dtype=np.float32)


def crop_and_resize(
    image: Any,
    boxes: Any,
    box_indices: Any,
    crop_size: Any,
    method: str = "bilinear",
    extrapolation_value: float = 0.0,
    name: Optional[str] = None,
) -> Tensor:
    """``[num_boxes, crop_h, crop_w, depth]`` float32 crops of ``image`` ``[batch, H, W, depth]`` at the
    normalized ``boxes`` ``[num_boxes, 4]`` (``y1, x1, y2, x2``) of images ``box_indices``."""
    if method not in ("bilinear", "nearest"):
        raise InvalidArgumentError(
            f'Value for attr \'method\' of "{method}" is not in the list of allowed values: "bilinear", "nearest"'
        )
    x = convert_to_tensor(image)
    if x.shape.rank != 4:
        raise InvalidArgumentError(f"input image must be 4-D{x.shape.as_list()}")
    x = cast(x, "float32") if x.dtype.name != "float32" else x
    b = convert_to_tensor(boxes, dtype="float32")
    idx = convert_to_tensor(box_indices)
    if b.shape.rank != 2 or b.shape[1] not in (4, None):
        raise InvalidArgumentError(f"boxes must be 2-D[num_boxes, 4], received {b.shape.as_list()}")
    if idx.shape.rank != 1 or (idx.shape[0] is not None and b.shape[0] is not None and idx.shape[0] != b.shape[0]):
        raise InvalidArgumentError("box_index has incompatible shape")
    ch, cw = _crop_size(crop_size)
    dims = shape(x)
    batch, height, width, depth = dims[0], dims[1], dims[2], dims[3]
    if isinstance(idx, EagerTensor) and x.shape[0] is not None:
        values = idx.numpy()
        if values.size and (values.min() < 0 or values.max() >= x.shape[0]):
            raise OutOfRangeError("box_index has values outside [0, batch_size)")
    del batch
    hf, wf = cast(height - 1, "float32"), cast(width - 1, "float32")
    ys = _sample_positions(b[:, 0], b[:, 2], ch, hf)  # [n, ch]
    xs = _sample_positions(b[:, 1], b[:, 3], cw, wf)  # [n, cw]
    y_out = logical_or(less(ys, 0.0), greater(ys, hf))
    x_out = logical_or(less(xs, 0.0), greater(xs, wf))
    outside = logical_or(expand_dims(y_out, 2), expand_dims(x_out, 1))  # [n, ch, cw]
    # Positions clamped into the image, so every gather is in range; outside samples are replaced below.
    ys = minimum(maximum(ys, 0.0), hf)
    xs = minimum(maximum(xs, 0.0), wf)
    flat = reshape(x, [-1, x.shape[3] if x.shape[3] is not None else -1])
    base = cast(idx, "int32") * height  # [n]
    w32 = width

    def pixels(yi: Tensor, xi: Tensor) -> Tensor:
        rows = expand_dims(expand_dims(base, 1) + cast(yi, "int32"), 2)  # [n, ch, 1]
        return gather(flat, rows * w32 + expand_dims(cast(xi, "int32"), 1))  # [n, ch, cw, depth]

    if method == "nearest":
        out = pixels(floor(ys + 0.5), floor(xs + 0.5))
    else:
        top, bottom = floor(ys), ceil(ys)
        left, right = floor(xs), ceil(xs)
        y_lerp = expand_dims(expand_dims(ys - top, 2), 3)
        x_lerp = expand_dims(expand_dims(xs - left, 1), 3)
        upper = pixels(top, left) + (pixels(top, right) - pixels(top, left)) * x_lerp
        lower = pixels(bottom, left) + (pixels(bottom, right) - pixels(bottom, left)) * x_lerp
        out = upper + (lower - upper) * y_lerp
    del depth
    fill = zeros_like(out) + float(extrapolation_value)
    return where(expand_dims(outside, 3), fill, out)


def _glimpse_noise(x: Tensor, noise: str, like: Tensor) -> Tensor:
    """Values for the pixels outside the image, ``like``-shaped ``[batch, gh, gw, depth]``."""
    from .random_ops import resolve_seed, uniform_like

    if noise == "zero":
        return zeros_like(like)
    if noise == "uniform":
        low, high = reduce_min(x, axis=[1, 2], keepdims=True), reduce_max(x, axis=[1, 2], keepdims=True)
        return low + (high - low) * uniform_like(like)
    mean = reduce_mean(x, axis=[1, 2], keepdims=True)
    deviation = sqrt(reduce_mean(square(x - mean), axis=[1, 2], keepdims=True))
    seed, step = resolve_seed(None)
    return mean + deviation * apply("random_normal", [like], {"seed": seed, "step": step, "dtype": "float32"})


def extract_glimpse(
    input: Any,
    size: Any,
    offsets: Any,
    centered: bool = True,
    normalized: bool = True,
    noise: str = "uniform",
    name: Optional[str] = None,
) -> Tensor:
    """``[batch, size[0], size[1], depth]`` windows of ``input`` at ``offsets`` ``[batch, 2]`` (y, x)."""
    if noise not in ("uniform", "gaussian", "zero"):
        raise InvalidArgumentError(f"Invalid noise type: {noise}. Must be one of 'uniform', 'gaussian', 'zero'")
    x = convert_to_tensor(input, dtype="float32")
    if x.shape.rank != 4:
        raise InvalidArgumentError(f"input must be a 4-D tensor, received shape {x.shape.as_list()}")
    gh, gw = _crop_size(size)
    off = convert_to_tensor(offsets, dtype="float32")
    dims = shape(x)
    height, width = cast(dims[1], "float32"), cast(dims[2], "float32")
    y, xx = off[:, 0], off[:, 1]
    if normalized:
        y, xx = y * height, xx * width
        if centered:
            y = y / 2.0 + height / 2.0 - gh / 2.0
            xx = xx / 2.0 + width / 2.0 - gw / 2.0
    elif centered:
        y, xx = y + height / 2.0, xx + width / 2.0
    # C++'s float-to-integer conversion: toward zero.
    top = cast(where(less(y, 0.0), ceil(y), floor(y)), "int32")
    left = cast(where(less(xx, 0.0), ceil(xx), floor(xx)), "int32")
    rows = expand_dims(top, 1) + np.arange(gh, dtype=np.int32)  # [batch, gh]
    cols = expand_dims(left, 1) + np.arange(gw, dtype=np.int32)  # [batch, gw]
    h32, w32 = dims[1], dims[2]
    row_in = logical_and(greater(rows, -1), less(rows, h32))
    col_in = logical_and(greater(cols, -1), less(cols, w32))
    inside = logical_and(expand_dims(row_in, 2), expand_dims(col_in, 1))  # [batch, gh, gw]
    rows = minimum(maximum(rows, 0), subtract(h32, 1))
    cols = minimum(maximum(cols, 0), subtract(w32, 1))
    depth = x.shape[3] if x.shape[3] is not None else -1
    flat = reshape(x, [-1, depth])
    batch = expand_dims(expand_dims(multiply(range(dims[0]), h32), 1), 2)
    index = add(multiply(add(batch, expand_dims(rows, 2)), w32), expand_dims(cols, 1))
    window = gather(flat, index)
    return where(expand_dims(inside, 3), window, _glimpse_noise(x, noise, window))
