"""The serialized ``Summary`` messages TF1's summary kernels produce: scalars as ``simple_value``, histograms as
``HistogramProto`` in TensorFlow's default exponential buckets, images as PNG ``Summary.Image``s, tensors
with plugin metadata, and ``MergeSummary``'s concatenation."""

from __future__ import annotations

from typing import Any, List

import numpy as np

from ... import errors
from ...framework import context
from ...summary import _proto
from .summary_proto import HistogramProto, Summary


def _default_bucket_limits() -> np.ndarray:
    """TensorFlow's histogram bucket limits: +-1e-12 growing by 10% up to 1e20, then +-DBL_MAX, and 0."""
    positive = []
    v = 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    negative = [-p for p in reversed(positive)]
    return np.array(negative + [0.0] + positive, dtype=np.float64)


_LIMITS = _default_bucket_limits()


def scalar(tag: str, value: Any) -> bytes:
    array = np.asarray(value)
    if array.shape != ():
        raise errors.InvalidArgumentError(
            f"tags and values are not the same shape: [] != {list(array.shape)} (tag '{tag}')"
        )
    return Summary(value=[Summary.Value(tag=tag, simple_value=float(array))]).SerializeToString()


def histogram_proto(tag: str, values: Any) -> HistogramProto:
    """TensorFlow's ``Histogram::EncodeToProto``: runs of empty buckets fold into the next limit."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if np.isnan(v).any():
        raise errors.InvalidArgumentError(f"Nan in summary histogram for: {tag}")
    if np.isinf(v).any():
        raise errors.InvalidArgumentError(f"Infinity in summary histogram for: {tag}")
    counts = np.bincount(np.searchsorted(_LIMITS, v, side="right"), minlength=len(_LIMITS))[: len(_LIMITS)]
    # A run of empty buckets folds into its last one: keep the filled buckets and each run's last empty one,
    # picked with array operations (a loop over the 1,500 buckets cost about 10 ms a histogram).
    filled = counts > 0
    keep = filled.copy()
    keep[:-1] |= filled[1:]
    keep[-1] = True
    limits: List[float] = _LIMITS[keep].tolist()
    buckets: List[float] = counts[keep].astype(np.float64).tolist()
    big = float(np.finfo(np.float64).max)
    return HistogramProto(
        min=float(v.min()) if v.size else big,
        max=float(v.max()) if v.size else -big,
        num=float(v.size),
        sum=float(v.sum()),
        # einsum, not np.dot: a BLAS dot of a layer's activations ran on OpenBLAS's threads, about 4 ms here
        # (against 15 us) when the cores were busy, and left those threads spinning against the next step.
        sum_squares=float(np.einsum("i,i->", v, v)),
        bucket_limit=limits,
        bucket=buckets,
    )


def histogram(tag: str, values: Any) -> bytes:
    return Summary(value=[Summary.Value(tag=tag, histo=histogram_proto(tag, values))]).SerializeToString()


def _to_uint8(image: np.ndarray) -> np.ndarray:
    """TensorFlow's ``NormalizeFloatImage``: non-negative images scale so the max is 255, others centre on 128
    with the largest magnitude at +-127; pixels with a non-finite channel turn red."""
    flat = image.reshape(-1, image.shape[-1]).astype(np.float32)
    finite = np.isfinite(flat).all(axis=1)
    good = flat[finite]
    lo = good.min() if good.size else np.inf
    hi = good.max() if good.size else -np.inf
    if lo < 0:
        biggest = max(abs(lo), abs(hi))
        scale, offset = (0.0 if biggest < 1e-6 else 127.0 / biggest), 128.0
    else:
        scale, offset = (0.0 if hi < 1e-6 else 255.0 / hi), 0.0
    out = np.zeros(flat.shape, dtype=np.uint8)
    out[finite] = (good * np.float32(scale) + np.float32(offset)).astype(np.uint8)
    bad = np.array([255, 0, 0, 255][: flat.shape[1]], dtype=np.uint8)
    out[~finite] = bad
    return out.reshape(image.shape)


def image(tag: str, images: Any, max_images: int) -> bytes:
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[-1] not in (1, 3, 4):
        raise errors.InvalidArgumentError(f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(array.shape)}")
    from ...ops.image_codec_ops import encode_png

    values = []
    for i in range(min(array.shape[0], max_images)):
        pixels = array[i] if array.dtype == np.uint8 else _to_uint8(array[i])
        with context.eager_scope():
            png = encode_png(np.ascontiguousarray(pixels)).numpy()
        img = Summary.Image(
            height=pixels.shape[0], width=pixels.shape[1], colorspace=pixels.shape[2], encoded_image_string=png
        )
        name = f"{tag}/image/{i}" if max_images > 1 else f"{tag}/image"
        values.append(Summary.Value(tag=name, image=img))
    return Summary(value=values).SerializeToString()


def tensor(tag: str, value: Any, metadata: bytes) -> bytes:
    array = np.asarray(value)
    if array.dtype.kind == "U":
        array = np.char.encode(array, "utf-8")
    value_bytes = _proto.summary_value(tag, metadata, tensor_proto=_proto.tensor(array))
    return _proto.summary([value_bytes])


def merge(*serialized: Any) -> bytes:
    """The concatenated ``Summary`` values (a repeated field's encodings concatenate); repeated tags refused."""
    seen: set = set()
    parts = []
    for s in serialized:
        for item in np.asarray(s, dtype=object).ravel():
            data = bytes(item)
            for value in Summary.FromString(data).value:
                if value.tag in seen:
                    raise errors.InvalidArgumentError(f"Duplicate tag {value.tag} found in summary inputs")
                seen.add(value.tag)
            parts.append(data)
    return b"".join(parts)
