"""``tf.image.resize`` and ``resize_with_pad`` with TensorFlow 2's half-pixel-centre sampling.

Every interpolating method is linear and separable, so a resize is two matrix products with constant
``(out, in)`` weight matrices built in NumPy (one along the height, one along the width): few ops, exact
TensorFlow weights (computed in float32 as its kernels do), and gradients from ``matmul``'s. Nearest neighbour
is two gathers and keeps the dtype.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import float32
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, gather, reshape
from .image_common import as_image, batched, hwc, static_int, unbatched
from .image_ops import pad_to_bounding_box
from .math_ops import matmul

_F = np.float32


class ResizeMethod:
    """The ``method`` names ``resize`` accepts."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _lanczos(radius: float) -> Callable[[np.ndarray], np.ndarray]:
    # In float32 with TensorFlow's value of pi, so the weights round as its kernel's do.
    pi, r = _F(3.14159265359), _F(radius)

    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.abs(x).astype(_F)
        safe = np.where(x <= _F(1e-3), _F(1.0), x)
        value = r * np.sin(pi * safe) * np.sin(pi * safe / r) / (pi * pi * safe * safe)
        return np.where(x > r, _F(0.0), np.where(x <= _F(1e-3), _F(1.0), value))

    return kernel


def _cubic(x: np.ndarray, b: float, c: float) -> np.ndarray:
    x = np.abs(x).astype(np.float64)
    near = ((12 - 9 * b - 6 * c) * x**3 + (-18 + 12 * b + 6 * c) * x**2 + (6 - 2 * b)) / 6
    far = ((-b - 6 * c) * x**3 + (6 * b + 30 * c) * x**2 + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


# TensorFlow's scale_and_translate kernels: (function of the distance, radius).
_KERNELS = {
    "triangle": (lambda x: np.maximum(0.0, 1.0 - np.abs(x)), 1.0),
    "keyscubic": (lambda x: _cubic(x, 0.0, 0.5), 2.0),
    "mitchellcubic": (lambda x: _cubic(x, 1 / 3, 1 / 3), 2.0),
    "lanczos3": (_lanczos(3.0), 3.0),
    "lanczos5": (_lanczos(5.0), 5.0),
    "gaussian": (lambda x: np.where(np.abs(x) >= 1.5, 0.0, np.exp(-np.square(x) / 0.5)), 1.5),
}


def _bilinear_matrix(n_in: int, n_out: int) -> np.ndarray:
    pos = (np.arange(n_out, dtype=_F) + _F(0.5)) * (_F(n_in) / _F(n_out)) - _F(0.5)
    low = np.floor(pos)
    lerp = (pos - low).astype(np.float64)
    lower = np.maximum(low.astype(np.int64), 0)
    upper = np.minimum(np.ceil(pos).astype(np.int64), n_in - 1)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(m, (rows, lower), 1.0 - lerp)
    np.add.at(m, (rows, upper), lerp)
    return m


def _bicubic_matrix(n_in: int, n_out: int) -> np.ndarray:
    """TensorFlow's ResizeBicubic (Keys, a = -0.5): coefficients from its 1024-entry table, taps outside the
    image dropped and the rest renormalised."""
    table = 1024
    pos = (np.arange(n_out, dtype=_F) + _F(0.5)) * (_F(n_in) / _F(n_out)) - _F(0.5)
    base = np.floor(pos).astype(np.int64)
    offset = np.rint((pos - np.floor(pos)) * _F(table)).astype(np.int64)
    a = -0.5

    def near(i: np.ndarray) -> np.ndarray:
        x = (i / table).astype(_F)
        return (((a + 2) * x - (a + 3)) * x * x + 1).astype(_F)

    def far(i: np.ndarray) -> np.ndarray:
        x = (i / table + 1).astype(_F)
        return (((a * x - 5 * a) * x + 8 * a) * x - 4 * a).astype(_F)

    taps = [
        (base - 1, far(offset)),
        (base, near(offset)),
        (base + 1, near(table - offset)),
        (base + 2, far(table - offset)),
    ]
    m = np.zeros((n_out, n_in))
    weights = np.stack([np.where((t >= 0) & (t < n_in), w, 0.0) for t, w in taps])
    weights = weights / np.where(np.abs(weights.sum(0)) > 0, weights.sum(0), 1.0)
    for (t, _), w in zip(taps, weights):
        np.add.at(m, (np.arange(n_out), np.clip(t, 0, n_in - 1)), w)
    return m


def _scale_translate_matrix(n_in: int, n_out: int, kernel_name: str, antialias: bool) -> np.ndarray:
    """TensorFlow's ScaleAndTranslate weights (zero translation) for one axis."""
    kernel, radius = _KERNELS[kernel_name]
    inv_scale = _F(1.0) / (_F(n_out) / _F(n_in))
    kernel_scale = max(inv_scale, _F(1.0)) if antialias else _F(1.0)
    m = np.zeros((n_out, n_in))
    for x in range(n_out):
        sample = (_F(x) + _F(0.5)) * inv_scale
        if sample < 0 or sample > n_in:
            continue
        start = math.ceil(sample - _F(radius) * kernel_scale - _F(0.5))
        end = math.floor(sample + _F(radius) * kernel_scale - _F(0.5))
        start, end = min(max(start, 0), n_in - 1), min(max(end, 0), n_in - 1) + 1
        source = np.arange(start, end, dtype=_F)
        w = kernel(np.abs((source + _F(0.5) - sample) * (_F(1.0) / kernel_scale))).astype(_F)
        total = float(np.sum(w, dtype=_F))
        m[x, start:end] = w / total if abs(total) >= 1000.0 * np.finfo(_F).tiny else w
    return m


def _nearest_index(n_in: int, n_out: int) -> np.ndarray:
    pos = (np.arange(n_out, dtype=_F) + _F(0.5)) * (_F(n_in) / _F(n_out))
    return np.minimum(np.floor(pos).astype(np.int64), n_in - 1).astype(np.int32)


def _matrix(method: str, antialias: bool, n_in: int, n_out: int) -> Optional[np.ndarray]:
    """The weights of one axis, or None where they are the identity."""
    if method == ResizeMethod.BILINEAR and not antialias:
        m = _bilinear_matrix(n_in, n_out)
    elif method == ResizeMethod.BICUBIC and not antialias:
        m = _bicubic_matrix(n_in, n_out)
    else:
        kernel = {"bilinear": "triangle", "bicubic": "keyscubic"}.get(method, method)
        m = _scale_translate_matrix(n_in, n_out, kernel, antialias)
    return None if m.shape[0] == m.shape[1] and np.array_equal(m, np.eye(n_in)) else m


def apply_separable(x4: Tensor, mh: Optional[np.ndarray], mw: Optional[np.ndarray]) -> Tensor:
    """``mh @ image @ mw.T`` for every image and channel of a 4-D batch (a None matrix is the identity)."""
    _, w, c = hwc(x4, "resize")
    dtype = x4.dtype.as_numpy_dtype
    if mh is not None:
        oh = mh.shape[0]
        x4 = reshape(matmul(mh.astype(dtype), reshape(x4, [-1, mh.shape[1], w * c])), [-1, oh, w, c])
    if mw is not None:
        oh, ow = x4.shape.as_list()[1], mw.shape[0]
        x4 = reshape(matmul(mw.astype(dtype), reshape(x4, [-1, w, c])), [-1, oh, ow, c])
    return x4


def _size(size: Any) -> list:
    if isinstance(size, Tensor) and not isinstance(size, EagerTensor):
        raise ValueError("resize needs 'size' known when the graph is built (a Python list or an eager tensor)")
    arr = np.asarray(size.numpy() if isinstance(size, Tensor) else size)
    if arr.dtype.kind not in "iu":
        raise ValueError("'size' must be a 1-D int32 Tensor")
    if arr.shape != (2,):
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    return [int(v) for v in arr]


_METHODS = {getattr(ResizeMethod, k) for k in vars(ResizeMethod) if k.isupper()}


def resize(
    images: Any,
    size: Any,
    method: str = ResizeMethod.BILINEAR,
    preserve_aspect_ratio: bool = False,
    antialias: bool = False,
    name: Optional[str] = None,
) -> Tensor:
    """Resizes ``[h, w, c]`` or ``[n, h, w, c]`` images to ``size = [new_height, new_width]``.

    The result is float32 except for ``"nearest"``, which keeps the dtype. ``antialias`` widens the kernel
    when downsampling (ignored by ``"nearest"``). ``"area"`` is not available.
    """
    x = as_image(images)
    if x.shape.rank is None:
        raise ValueError("'images' contains no shape.")
    if x.shape.rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    x4, was_batch = batched(x, at_least_3=False)
    h, w, _ = hwc(x4, "resize")
    new_h, new_w = _size(size)
    if preserve_aspect_ratio:
        factor = min(_F(new_h) / _F(h), _F(new_w) / _F(w))
        new_h, new_w = int(np.round(factor * _F(h))), int(np.round(factor * _F(w)))
    method = getattr(method, "value", method)
    if method not in _METHODS:
        raise ValueError(f"Resize method is not implemented: {method}")
    if method == ResizeMethod.AREA:
        raise NotImplementedError("resize method 'area' is not implemented; use 'bilinear' or antialias=True")
    if new_h <= 0 or new_w <= 0:
        raise InvalidArgumentError(f"output dimensions must be positive, received size {[new_h, new_w]}")
    if method == ResizeMethod.NEAREST_NEIGHBOR:
        ih, iw = _nearest_index(h, new_h), _nearest_index(w, new_w)
        if not np.array_equal(ih, np.arange(h)):
            x4 = gather(x4, ih, axis=1)
        if not np.array_equal(iw, np.arange(w)):
            x4 = gather(x4, iw, axis=2)
        return unbatched(x4, was_batch)
    x4 = x4 if x4.dtype == float32 else cast(x4, float32)
    mh, mw = _matrix(method, antialias, h, new_h), _matrix(method, antialias, w, new_w)
    return unbatched(apply_separable(x4, mh, mw), was_batch)


def resize_with_pad(
    image: Any,
    target_height: Any,
    target_width: Any,
    method: str = ResizeMethod.BILINEAR,
    antialias: bool = False,
) -> Tensor:
    """Resizes keeping the aspect ratio so the image fits the target, then pads with zeros to the target."""
    x4, was_batch = batched(as_image(image), at_least_3=False)
    h, w, _ = hwc(x4, "resize_with_pad")
    th, tw = static_int(target_height, "target_height"), static_int(target_width, "target_width")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    ratio = max(_F(w) / _F(tw), _F(h) / _F(th))
    rh, rw = _F(h) / ratio, _F(w) / ratio
    pad_h = max(0, int(np.floor((_F(th) - rh) / _F(2))))
    pad_w = max(0, int(np.floor((_F(tw) - rw) / _F(2))))
    resized = resize(x4, np.array([int(np.floor(rh)), int(np.floor(rw))], dtype=np.int32), method, antialias=antialias)
    return unbatched(pad_to_bounding_box(resized, pad_h, pad_w, th, tw), was_batch)
