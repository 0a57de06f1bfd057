"""Counting and classifying: ``math.in_top_k``, ``math.confusion_matrix``, ``histogram_fixed_width``,
``histogram_fixed_width_bins`` and ``unique_with_counts``.

Counts are scatter-adds (``unsorted_segment_sum``) and comparisons against a fixed number of bins or
classes, so all but ``unique_with_counts`` (whose output size depends on the values) also run in a
``tf.function``; value checks there run after each call.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ._checks import check_values, float_input, int_input, static_int
from .array_ops import cast, expand_dims, ones_like, reshape, squeeze, where, zeros_like
from .math_derived_ops import reduce_any
from .math_ops import (
    equal,
    floor,
    greater,
    greater_equal,
    is_finite,
    is_nan,
    less,
    logical_and,
    logical_not,
    maximum,
    minimum,
    reduce_sum,
)
from .segment_ops import unsorted_segment_sum


def in_top_k(targets: Any, predictions: Any, k: Any, name: Optional[str] = None) -> Tensor:
    """Whether each ``targets[i]`` is among the ``k`` largest of ``predictions[i]``: fewer than ``k``
    predictions are strictly larger (so ties at the boundary count as in); False for a target out of range
    or a non-finite prediction."""
    preds = convert_to_tensor(predictions)
    if preds.dtype != "float32":
        raise TypeError(f"in_top_k expects float32 predictions, received {preds.dtype.name}")
    tgt = int_input(targets, "in_top_k", "targets")
    if preds.shape.rank != 2:
        raise InvalidArgumentError(f"in_top_k: predictions must be 2-dimensional, received shape {preds.shape}")
    if tgt.shape.rank != 1:
        raise InvalidArgumentError(f"in_top_k: targets must be 1-dimensional, received shape {tgt.shape}")
    batch, classes = preds.shape[0], preds.shape[1]
    if batch is not None and tgt.shape[0] is not None and batch != tgt.shape[0]:
        raise InvalidArgumentError(
            f"in_top_k: first dimension of predictions {batch} must match length of targets {tgt.shape[0]}"
        )
    if classes is None:
        raise ValueError("in_top_k needs predictions with a known number of classes (axis 1)")
    tgt = cast(tgt, "int64")
    hit = equal(expand_dims(tgt, 1), np.arange(classes, dtype=np.int64)[None, :])
    target_pred = reduce_sum(where(hit, preds, zeros_like(preds)), axis=1)
    larger = reduce_sum(cast(greater(preds, expand_dims(target_pred, 1)), "int64"), axis=1)
    valid = logical_and(logical_and(greater_equal(tgt, 0), less(tgt, classes)), is_finite(target_pred))
    k = cast(convert_to_tensor(k), "int64")
    return logical_and(valid, less(larger, k))


def _squeeze_last(labels: Tensor, predictions: Tensor) -> tuple:
    """TensorFlow's ``remove_squeezable_dimensions``: drops a trailing axis of size 1 from whichever of the
    two has one axis more."""
    lr, pr = labels.shape.rank, predictions.shape.rank
    if lr is not None and pr is not None:
        if pr - lr == 1 and predictions.shape[-1] == 1:
            predictions = squeeze(predictions, [-1])
        elif lr - pr == 1 and labels.shape[-1] == 1:
            labels = squeeze(labels, [-1])
    return labels, predictions


def _num_classes(num_classes: Any, labels: Tensor, predictions: Tensor) -> int:
    if num_classes is not None:
        return static_int(num_classes, "confusion_matrix num_classes")
    if not (isinstance(labels, EagerTensor) and isinstance(predictions, EagerTensor)):
        raise ValueError("confusion_matrix needs num_classes inside a tf.function (the output shape depends on it)")
    values = np.concatenate([labels.numpy(), predictions.numpy()])
    if values.size == 0:
        raise InvalidArgumentError("confusion_matrix needs num_classes when labels and predictions are empty")
    return int(values.max()) + 1


def _check_classes(values: Tensor, n: int, what: str) -> Tensor:
    """Whether each value is a class (the checks raise, eagerly or after a traced call, unless all are)."""
    check_values(greater_equal(values, 0), f"`{what}` contains negative values")
    check_values(less(values, n), f"`{what}` out of bound: expected values below num_classes={n}")
    return logical_and(greater_equal(values, 0), less(values, n))


def confusion_matrix(
    labels: Any,
    predictions: Any,
    num_classes: Any = None,
    weights: Any = None,
    dtype: Any = "int32",
    name: Optional[str] = None,
) -> Tensor:
    """``[num_classes, num_classes]`` counts (or summed ``weights``) of each (label, prediction) pair; the
    number of classes defaults to the largest value + 1. Float labels are truncated to integers."""
    labels, predictions = _squeeze_last(convert_to_tensor(labels), convert_to_tensor(predictions))
    if labels.dtype.is_bool or predictions.dtype.is_bool:
        raise TypeError("confusion_matrix expects numeric labels and predictions, received bool")
    labels, predictions = cast(labels, "int64"), cast(predictions, "int64")
    if labels.shape.rank != 1 or predictions.shape.rank != 1:
        raise InvalidArgumentError(
            f"confusion_matrix expects 1-D labels and predictions, received shapes {labels.shape} and "
            f"{predictions.shape}"
        )
    if not labels.shape.is_compatible_with(predictions.shape):
        raise InvalidArgumentError(
            f"confusion_matrix: labels and predictions must have one length, received {labels.shape[0]} "
            f"and {predictions.shape[0]}"
        )
    n = _num_classes(num_classes, labels, predictions)
    valid = logical_and(_check_classes(labels, n, "labels"), _check_classes(predictions, n, "predictions"))
    dtype = as_dtype(dtype)
    if weights is None:
        values = ones_like(predictions, dtype=dtype)
    else:
        w = convert_to_tensor(weights)
        if not w.shape.is_compatible_with(predictions.shape):
            raise ValueError(f"Shapes {predictions.shape} and {w.shape} are incompatible")
        values = cast(w, dtype)
    # Bad pairs go to cell 0 so that a traced call completes and its checks report them.
    cells = unsorted_segment_sum(values, where(valid, labels * n + predictions, zeros_like(labels)), n * n)
    return reshape(cells, [n, n])


def _histogram_args(values: Any, value_range: Any, nbins: Any, op: str) -> tuple:
    v = convert_to_tensor(values)
    if v.dtype.is_bool:
        raise TypeError(f"{op} expects numeric values, received bool")
    r = value_range if isinstance(value_range, Tensor) else convert_to_tensor(value_range, dtype=v.dtype)
    if r.dtype != v.dtype:
        raise TypeError(f"{op}: value_range must have the values' dtype {v.dtype.name}, received {r.dtype.name}")
    if r.shape.as_list() != [2]:
        raise InvalidArgumentError(f"{op}: value_range should be a vector of 2 elements, received shape {r.shape}")
    n = static_int(nbins, f"{op} nbins")
    if n <= 0:
        raise InvalidArgumentError(f"{op}: nbins should be a positive number, but got '{n}'")
    return v, r, n


def histogram_fixed_width(
    values: Any, value_range: Any, nbins: Any = 100, dtype: Any = "int32", name: Optional[str] = None
) -> Tensor:
    """How many ``values`` fall in each of ``nbins`` equal bins over ``value_range``; values below or above
    the range count in the first or last bin."""
    v, r, n = _histogram_args(values, value_range, nbins, "histogram_fixed_width")
    out = as_dtype(dtype)
    if not out.is_integer:
        raise TypeError(f"histogram_fixed_width dtype must be int32 or int64, received {out.name}")
    flat = reshape(v, [-1])
    lo, hi = r[0], r[1]
    check_values(less(lo, hi), "histogram_fixed_width: value_range should satisfy value_range[0] < value_range[1]")
    if v.dtype.is_floating:
        check_values(logical_not(reduce_any(is_nan(flat))), "histogram_fixed_width: values must not contain NaN")
    # TensorFlow's kernel: the offset from the low end in the values' dtype, then divided in float64.
    step = cast(hi - lo, "float64") / float(n)
    position = cast(maximum(flat, lo) - lo, "float64") / step
    bins = cast(minimum(position, float(n - 1)), "int64")
    return unsorted_segment_sum(ones_like(bins, dtype=out), bins, n)


def histogram_fixed_width_bins(
    values: Any, value_range: Any, nbins: Any = 100, dtype: Any = "int32", name: Optional[str] = None
) -> Tensor:
    """The bin (of ``nbins`` equal bins over ``value_range``) of each of ``values``, clipped to the first or
    last; int32 whatever ``dtype`` says, as TensorFlow's."""
    float_input(values, "histogram_fixed_width_bins")
    v, r, n = _histogram_args(values, value_range, nbins, "histogram_fixed_width_bins")
    scaled = (v - r[0]) / (r[1] - r[0])
    bins = floor(scaled * convert_to_tensor(n, dtype=v.dtype))
    return cast(minimum(maximum(bins, 0.0), float(n - 1)), "int32")


class UniqueWithCounts(NamedTuple):
    y: Tensor
    idx: Tensor
    count: Tensor


def unique_with_counts(x: Any, out_idx: Any = "int32", name: Optional[str] = None) -> UniqueWithCounts:
    """The distinct elements of a 1-D tensor in order of first appearance, each element's position among
    them, and how often each occurs (NaNs are all distinct, as TensorFlow's)."""
    from .sorting_ops import unique_parts

    y, positions, idx = unique_parts(convert_to_tensor(x), out_idx, "unique_with_counts")
    slots = zeros_like(positions, dtype=out_idx)
    count = apply("unsorted_segment_sum", [ones_like(idx), idx, slots], {"axis": 0})
    return UniqueWithCounts(y, idx, count)
