"""``keras.ops.dot_product_attention``: scaled dot-product attention with Keras 3's arguments (bias, boolean
mask, causal mask, grouped-query heads) and precision rules (logits and softmax in at least float32)."""

from __future__ import annotations

import math
from types import SimpleNamespace as _SimpleNamespace
from typing import Any, Optional

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ..ops import math_ops as _math
from ..ops import nn_ops as _nn_ops
from ..ops import tiling_ops as _tiling
from ._dtype_promotion import result_type as _promoted

__all__ = ["dot_product_attention"]


def _dtype_of(*names: str) -> str:
    """Keras's promoted dtype of tensors of the dtypes ``names``."""
    return _promoted(*[_SimpleNamespace(dtype=n) for n in names])


def _large_negative(dtype: str) -> float:
    # Keras's masked-logit value: finite, so a fully masked row still gives a uniform softmax, not NaN.
    return (65500.0 if dtype == "float16" else 3.38953e38) * -0.7


def dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    bias: Any = None,
    mask: Any = None,
    scale: Optional[float] = None,
    is_causal: bool = False,
    flash_attention: Optional[bool] = None,
    attn_logits_soft_cap: Optional[float] = None,
) -> Tensor:
    """``softmax(query . key / sqrt(H) + bias, masked) . value`` for ``query`` ``(B, T, N, H)`` and ``key``,
    ``value`` ``(B, S, K, H)`` (``K`` dividing ``N``: grouped-query attention); the result has ``query``'s shape.

    ``mask`` (boolean, broadcastable to ``(B, N, T, S)``) keeps the logits where it is True; ``is_causal`` keeps
    those of keys at or before each query. As with Keras's TensorFlow backend, ``flash_attention=True`` and
    ``attn_logits_soft_cap`` are refused."""
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    if flash_attention:
        raise ValueError("Flash attention is not supported in tensorflow backend.")
    q, k, v = convert_to_tensor(query), convert_to_tensor(key), convert_to_tensor(value)
    if q.shape.rank != 4 or k.shape.rank != 4 or v.shape.rank != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. "
            f"Received: query.shape={q.shape}, key.shape={k.shape}, value.shape={v.shape}."
        )
    dtype = _dtype_of(q.dtype.name, k.dtype.name, v.dtype.name)
    q, k, v = _array.cast(q, dtype), _array.cast(k, dtype), _array.cast(v, dtype)
    heads, kv_heads = q.shape[2], k.shape[2]
    if heads is not None and kv_heads is not None and heads != kv_heads:
        if heads % kv_heads != 0:
            raise ValueError(
                f"The number of query heads ({heads}) must be a multiple of the number of key/value heads ({kv_heads})."
            )
        groups = heads // kv_heads
        k = _tiling.repeat(k, groups, axis=2)
        v = _tiling.repeat(v, groups, axis=2)
    logits_dtype = _dtype_of(dtype, "float32")
    # (B, T, N, H) -> (B, N, T, H): the heads become a batch axis of the two products.
    qt = _array.transpose(q, [0, 2, 1, 3])
    kt = _array.transpose(k, [0, 2, 1, 3])
    vt = _array.transpose(v, [0, 2, 1, 3])
    logits = _array.cast(_math.matmul(qt, kt, transpose_b=True), logits_dtype)
    if scale is None:
        depth = k.shape[-1]
        if depth is None:
            depth_t = _array.cast(_array.shape(k)[-1], "float32")
            scale = _array.cast(_math.rsqrt(depth_t), logits_dtype)
        else:
            scale = 1.0 / math.sqrt(depth)
    logits = logits * _array.cast(convert_to_tensor(scale), logits_dtype)
    if bias is not None:
        logits = logits + _array.cast(_array.cast(convert_to_tensor(bias), dtype), logits_dtype)
    if mask is not None or is_causal:
        keep = _array.ones_like(logits, dtype="bool")
        if mask is not None:
            m = convert_to_tensor(mask)
            keep = _math.logical_and(keep, m if m.dtype.is_bool else _array.cast(m, "bool"))
        if is_causal:
            from ..ops.fill_range_ops import ones
            from ..ops.linalg_ops import band_part

            sizes = _array.shape(logits)
            causal = band_part(ones(_array.stack([sizes[2], sizes[3]]), dtype="bool"), -1, 0)
            keep = _math.logical_and(keep, causal)
        logits = _array.where(keep, logits, _array.cast(_large_negative(logits_dtype), logits_dtype))
    probs_dtype = _dtype_of(logits_dtype, "float32")
    probs = _array.cast(_nn_ops.softmax(_array.cast(logits, probs_dtype), axis=-1), dtype)
    return _array.transpose(_math.matmul(probs, vt), [0, 2, 1, 3])
