"""TF1's spellings of the math functions: ``reduce_sum(x, reduction_indices=[1], keep_dims=True)``,
``argmax(x, dimension=1)``, ``in_top_k(predictions, targets, k)``, ``to_float`` ...

TF1 tutorials pass these old argument names; each function here takes TF1's signature and computes with
ferroflow's TF2 op, so graph mode, eager mode and gradients are those of the TF2 function.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework.dtypes import as_dtype
from ...ops import math_ops as _math
from ...ops.array_ops import cast
from ...ops.counting_ops import in_top_k as _in_top_k
from ...ops.math_derived_ops import count_nonzero as _count_nonzero
from ...ops.math_derived_ops import reduce_all as _reduce_all
from ...ops.math_derived_ops import reduce_any as _reduce_any
from ...ops.nn_ops import log_softmax as _log_softmax
from ...ops.nn_ops import softmax as _softmax
from ...ops.norm_ops import norm as _norm
from .arg_lookup import lookup


def _reduction_v1(reduce: Any, name: str) -> Any:
    def reduction(
        input_tensor: Any,
        axis: Any = None,
        keepdims: Optional[bool] = None,
        name: Optional[str] = None,
        reduction_indices: Any = None,
        keep_dims: Optional[bool] = None,
    ) -> Any:
        axis = lookup("axis", axis, "reduction_indices", reduction_indices)
        keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
        return reduce(input_tensor, axis=axis, keepdims=bool(keepdims), name=name)

    reduction.__name__ = reduction.__qualname__ = name
    reduction.__doc__ = (
        f"TF1's ``{name}``: ``reduction_indices`` is the old name of ``axis``, ``keep_dims`` of ``keepdims``."
    )
    return reduction


reduce_sum = _reduction_v1(_math.reduce_sum, "reduce_sum")
reduce_mean = _reduction_v1(_math.reduce_mean, "reduce_mean")
reduce_max = _reduction_v1(_math.reduce_max, "reduce_max")
reduce_min = _reduction_v1(_math.reduce_min, "reduce_min")
reduce_prod = _reduction_v1(_math.reduce_prod, "reduce_prod")
reduce_logsumexp = _reduction_v1(_math.reduce_logsumexp, "reduce_logsumexp")
reduce_all = _reduction_v1(_reduce_all, "reduce_all")
reduce_any = _reduction_v1(_reduce_any, "reduce_any")


def argmax(
    input: Any,  # noqa: A002 (TensorFlow's name)
    axis: Any = None,
    name: Optional[str] = None,
    dimension: Any = None,
    output_type: Any = "int64",
) -> Any:
    """The index of the largest value along ``axis`` (``dimension`` in TF1; 0 when neither is given)."""
    axis = lookup("axis", axis, "dimension", dimension)
    return _math.argmax(input, 0 if axis is None else axis, output_type=output_type, name=name)


def argmin(
    input: Any,  # noqa: A002
    axis: Any = None,
    name: Optional[str] = None,
    dimension: Any = None,
    output_type: Any = "int64",
) -> Any:
    """The index of the smallest value along ``axis`` (``dimension`` in TF1; 0 when neither is given)."""
    axis = lookup("axis", axis, "dimension", dimension)
    return _math.argmin(input, 0 if axis is None else axis, output_type=output_type, name=name)


def arg_max(input: Any, dimension: Any, output_type: Any = "int64", name: Optional[str] = None) -> Any:  # noqa: A002
    """TF1's raw ``ArgMax``: ``dimension`` is required."""
    return _math.argmax(input, dimension, output_type=output_type, name=name)


def arg_min(input: Any, dimension: Any, output_type: Any = "int64", name: Optional[str] = None) -> Any:  # noqa: A002
    """TF1's raw ``ArgMin``: ``dimension`` is required."""
    return _math.argmin(input, dimension, output_type=output_type, name=name)


def count_nonzero(
    input_tensor: Any = None,
    axis: Any = None,
    keepdims: Optional[bool] = None,
    dtype: Any = "int64",
    name: Optional[str] = None,
    reduction_indices: Any = None,
    keep_dims: Optional[bool] = None,
    input: Any = None,  # noqa: A002
) -> Any:
    """The number of non-zero elements along ``axis``; the tensor comes as ``input_tensor`` or ``input``."""
    input_tensor = lookup("input", input, "input_tensor", input_tensor)
    axis = lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _count_nonzero(input_tensor, axis=axis, keepdims=bool(keepdims), dtype=dtype, name=name)


def norm(
    tensor: Any,
    ord: Any = "euclidean",  # noqa: A002
    axis: Any = None,
    keepdims: Optional[bool] = None,
    name: Optional[str] = None,
    keep_dims: Optional[bool] = None,
) -> Any:
    keepdims = lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return _norm(tensor, ord=ord, axis=axis, keepdims=keepdims, name=name)


def softplus(features: Any, name: Optional[str] = None) -> Any:
    """``log(exp(features) + 1)`` (TF1 names the argument ``features``)."""
    return _math.softplus(features, name=name)


def softmax(logits: Any, axis: Any = None, name: Optional[str] = None, dim: Any = None) -> Any:
    """Softmax along ``axis`` (``dim`` in TF1; the last axis by default)."""
    axis = lookup("axis", axis, "dim", dim)
    return _softmax(logits, axis=-1 if axis is None else axis, name=name)


def log_softmax(logits: Any, axis: Any = None, name: Optional[str] = None, dim: Any = None) -> Any:
    """Log-softmax along ``axis`` (``dim`` in TF1; the last axis by default)."""
    axis = lookup("axis", axis, "dim", dim)
    return _log_softmax(logits, axis=-1 if axis is None else axis, name=name)


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: Optional[str] = None, dim: Any = None) -> Any:
    """``x / sqrt(max(sum(x**2, axis), epsilon))`` (``dim`` is TF1's ``axis``)."""
    axis = lookup("axis", axis, "dim", dim)
    return _math.l2_normalize(x, axis=axis, epsilon=epsilon, name=name)


def in_top_k(predictions: Any, targets: Any, k: Any, name: Optional[str] = None) -> Any:
    """Whether each target is among the ``k`` largest predictions of its row (TF1's argument order)."""
    return _in_top_k(targets, predictions, k, name=name)


def floor_div(x: Any, y: Any, name: Optional[str] = None) -> Any:
    """The raw ``FloorDiv`` op: ``x // y`` elementwise; both operands must have the same dtype."""
    from ...framework.ops import convert_to_tensor

    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    return _math.floordiv(x, y, name=name)


def _cast_to(dtype: str, default_name: str) -> Any:
    def to(x: Any, name: str = default_name) -> Any:
        return cast(x, dtype, name=name)

    fn_name = "to_" + ("double" if dtype == "float64" else dtype)
    to.__name__ = to.__qualname__ = fn_name
    to.__doc__ = f"``tf.cast(x, tf.{as_dtype(dtype).name})`` (TF1's shorthand)."
    return to


to_float = _cast_to("float32", "ToFloat")
to_double = _cast_to("float64", "ToDouble")
to_int32 = _cast_to("int32", "ToInt32")
to_int64 = _cast_to("int64", "ToInt64")
to_complex64 = _cast_to("complex64", "ToComplex64")
to_complex128 = _cast_to("complex128", "ToComplex128")


def confusion_matrix(
    labels: Any,
    predictions: Any,
    num_classes: Any = None,
    dtype: Any = "int32",
    name: Optional[str] = None,
    weights: Any = None,
) -> Any:
    """The ``[num_classes, num_classes]`` counts of (label, prediction) pairs (TF1's argument order)."""
    from ...ops.counting_ops import confusion_matrix as _confusion_matrix

    return _confusion_matrix(labels, predictions, num_classes=num_classes, weights=weights, dtype=dtype, name=name)
