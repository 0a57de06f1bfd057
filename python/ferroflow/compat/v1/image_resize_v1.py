"""TF1's image resizing: ``resize_bilinear`` / ``resize_nearest_neighbor`` / ``resize_bicubic`` /
``resize_area`` with ``align_corners`` and ``half_pixel_centers``, and ``resize_images`` (``ResizeMethod``
0-3, TF1's legacy sampling, the input returned as is when it already has the size).

TF1's default sampling maps output pixel ``i`` to input coordinate ``i * in / out`` (``(in - 1) / (out - 1)``
with ``align_corners``), unlike TF2's half-pixel centres. Each axis becomes a small interpolation matrix (a
gather for nearest neighbour) applied to images whose height and width are known when the graph is built.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ...framework.ops import convert_to_tensor
from ...ops import array_ops
from ...ops.image_common import batched, unbatched
from ...ops.image_resize_ops import _size, apply_separable


class ResizeMethod:
    """TF1's ``ResizeMethod`` codes."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


def _scale(n_in: int, n_out: int, align_corners: bool) -> float:
    if align_corners and n_out > 1:
        return (n_in - 1) / (n_out - 1)
    return n_in / n_out


def _source(n_in: int, n_out: int, align_corners: bool, half_pixel: bool) -> np.ndarray:
    scale = np.float32(_scale(n_in, n_out, align_corners))
    out = np.arange(n_out, dtype=np.float32)
    return (out + np.float32(0.5)) * scale - np.float32(0.5) if half_pixel else out * scale


def _linear_matrix(n_in: int, n_out: int, align_corners: bool, half_pixel: bool) -> np.ndarray:
    src = _source(n_in, n_out, align_corners, half_pixel)
    low = np.floor(src)
    lerp = src - low
    lo = np.clip(low, 0, n_in - 1).astype(np.int64)
    hi = np.clip(np.ceil(src) if half_pixel else low + 1, 0, n_in - 1).astype(np.int64)
    m = np.zeros((n_out, n_in), np.float64)
    np.add.at(m, (np.arange(n_out), lo), 1.0 - lerp)
    np.add.at(m, (np.arange(n_out), hi), lerp)
    return m


def _cubic_matrix(n_in: int, n_out: int, align_corners: bool, half_pixel: bool) -> np.ndarray:
    """Keys' cubic convolution with TF1's ``a = -0.75`` (``-0.5`` with half-pixel centres), edges clamped."""
    a = -0.5 if half_pixel else -0.75

    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.abs(x)
        return np.where(
            x <= 1, ((a + 2) * x - (a + 3)) * x * x + 1, np.where(x < 2, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, 0.0)
        )

    src = _source(n_in, n_out, align_corners, half_pixel)
    base = np.floor(src)
    # TensorFlow reads the kernel from a table of 1024 steps per pixel: the fraction is rounded to it.
    frac = np.rint((src - base) * np.float32(1024)).astype(np.float64) / 1024.0
    m = np.zeros((n_out, n_in), np.float64)
    for offset in (-1, 0, 1, 2):
        idx = base + offset
        w = kernel(frac - offset)
        if half_pixel:  # TF2-style: taps outside the image drop out and the rest renormalize
            inside = (idx >= 0) & (idx < n_in)
            w = np.where(inside, w, 0.0)
        np.add.at(m, (np.arange(n_out), np.clip(idx, 0, n_in - 1).astype(np.int64)), w)
    if half_pixel:
        m /= m.sum(axis=1, keepdims=True)
    return m


def _nearest_index(n_in: int, n_out: int, align_corners: bool, half_pixel: bool) -> np.ndarray:
    scale = np.float32(_scale(n_in, n_out, align_corners))
    out = np.arange(n_out, dtype=np.float32)
    if half_pixel:
        src = np.floor((out + np.float32(0.5)) * scale)
    elif align_corners:
        src = np.floor(out * scale + np.float32(0.5))  # C's roundf: halves away from zero
    else:
        src = np.floor(out * scale)
    return np.minimum(src, n_in - 1).astype(np.int64)


def _spatial(x4: Any, what: str) -> tuple:
    h, w = x4.shape[1], x4.shape[2]
    if h is None or w is None:
        raise ValueError(f"{what} needs the images' height and width known when the graph is built, got {x4.shape}")
    return int(h), int(w)


def _check(images: Any, align_corners: bool, half_pixel_centers: bool, what: str) -> Any:
    x = convert_to_tensor(images)
    if x.shape.rank != 4:
        raise ValueError(f"{what} expects 4-D images [batch, height, width, channels], received shape {x.shape}")
    if align_corners and half_pixel_centers:
        from ...errors import InvalidArgumentError

        raise InvalidArgumentError("If half_pixel_centers is True, align_corners must be False.")
    return x


def _interpolate(images: Any, size: Any, align_corners: bool, half_pixel: bool, matrix: Any, what: str) -> Any:
    x = _check(images, align_corners, half_pixel, what)
    new_h, new_w = _size(size)
    h, w = _spatial(x, what)
    x = array_ops.cast(x, "float32") if x.dtype.name != "float32" else x
    return apply_separable(x, matrix(h, new_h, align_corners, half_pixel), matrix(w, new_w, align_corners, half_pixel))


def resize_bilinear(
    images: Any, size: Any, align_corners: bool = False, name: Optional[str] = None, half_pixel_centers: bool = False
) -> Any:
    """Bilinear interpolation with TF1's sampling; float32 result."""
    return _interpolate(images, size, align_corners, half_pixel_centers, _linear_matrix, "resize_bilinear")


def resize_bicubic(
    images: Any, size: Any, align_corners: bool = False, name: Optional[str] = None, half_pixel_centers: bool = False
) -> Any:
    """Bicubic (Keys) interpolation with TF1's sampling; float32 result."""
    return _interpolate(images, size, align_corners, half_pixel_centers, _cubic_matrix, "resize_bicubic")


def resize_nearest_neighbor(
    images: Any, size: Any, align_corners: bool = False, name: Optional[str] = None, half_pixel_centers: bool = False
) -> Any:
    """Nearest-neighbour sampling with TF1's coordinates; the images keep their dtype."""
    x = _check(images, align_corners, half_pixel_centers, "resize_nearest_neighbor")
    new_h, new_w = _size(size)
    h, w = _spatial(x, "resize_nearest_neighbor")
    rows = array_ops.gather(x, _nearest_index(h, new_h, align_corners, half_pixel_centers), axis=1)
    return array_ops.gather(rows, _nearest_index(w, new_w, align_corners, half_pixel_centers), axis=2)


def resize_area(images: Any, size: Any, align_corners: bool = False, name: Optional[str] = None) -> Any:
    """Area averaging (the same as TF2's ``area`` method); ``align_corners`` is not supported."""
    from ...ops.image_resize_ops import resize

    if align_corners:
        raise NotImplementedError("resize_area(align_corners=True)")
    return resize(_check(images, False, False, "resize_area"), size, method="area")


_BY_METHOD = {0: resize_bilinear, 1: resize_nearest_neighbor, 2: resize_bicubic, 3: resize_area}


def resize_images(
    images: Any,
    size: Any,
    method: Any = ResizeMethod.BILINEAR,
    align_corners: bool = False,
    preserve_aspect_ratio: bool = False,
    name: Optional[str] = None,
) -> Any:
    """TF1's ``resize_images``: ``[h, w, c]`` or ``[n, h, w, c]`` images to ``size`` with TF1's sampling; the
    images come back unchanged (dtype included) when they already have that size."""
    x = convert_to_tensor(images)
    if x.shape.rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    names = {"bilinear": 0, "nearest": 1, "bicubic": 2, "area": 3}
    code = names.get(method, method) if isinstance(method, str) else int(method)
    if code not in _BY_METHOD:
        raise ValueError(f"Resize method is not implemented: {method}")
    x4, was_batch = batched(x, at_least_3=False)
    new_h, new_w = _size(size)
    h, w = x4.shape[1], x4.shape[2]
    if preserve_aspect_ratio:
        if h is None or w is None:
            raise ValueError("preserve_aspect_ratio needs the images' height and width known")
        factor = min(new_h / h, new_w / w)
        new_h, new_w = int(math.floor(h * factor + 0.5)), int(math.floor(w * factor + 0.5))
    if (h, w) == (new_h, new_w):
        return x
    if code == ResizeMethod.AREA:
        out = resize_area(x4, [new_h, new_w], align_corners)
    else:
        out = _BY_METHOD[code](x4, [new_h, new_w], align_corners)
    return unbatched(out, was_batch)
