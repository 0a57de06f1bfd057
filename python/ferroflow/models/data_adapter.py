"""Turning what users pass to ``fit``/``evaluate``/``predict`` into C-contiguous NumPy arrays the Rust loop reads.

Inputs may be NumPy arrays of any numeric dtype, nested lists, ferroflow tensors, or a list/tuple/dict of
those for multi-input models. Floating inputs become the model's float dtype (float64 from ``x / 255.0``
becomes float32, as Keras's autocasting does); other integer dtypes become int32, which the layers cast.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

_MAX_COUNT = 2**62  # batch sizes and step counts become native 64-bit sizes
_KEEP = (np.dtype("float32"), np.dtype("float64"), np.dtype("int32"), np.dtype("int64"), np.dtype("bool"))


def to_array(value: Any, what: str, float_dtype: str = "float32", allow_composite: bool = False) -> Any:
    """One input as a C-contiguous array of a dtype the batch loop supports, or a clear ``TypeError``.

    With ``allow_composite`` (model inputs), a ``SparseTensor``/``RaggedTensor`` becomes rows to batch.
    """
    if _is_composite(value):
        if not allow_composite:
            raise TypeError(
                f"`{what}` cannot be a {type(value).__name__}: only the model inputs `x` may be sparse or ragged"
            )
        from . import composite_data

        if isinstance(value, composite_data.COMPOSITE_ROWS):
            return value
        return composite_data.from_value(value, float_dtype)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as e:
        raise TypeError(f"`{what}` must be a NumPy array or a list of numbers; converting it failed: {e}") from None
    if allow_composite and arr.dtype.kind in "USO":
        from .string_data import StringRows, is_string_array

        if is_string_array(arr):
            return StringRows.from_array(arr)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(
            f"`{what}` must hold numbers or bools; received an array of dtype {arr.dtype}"
            + (" (ragged lists or mixed types become dtype object)" if arr.dtype == object else "")
        )
    if arr.ndim == 0:
        raise ValueError(f"`{what}` must have a first (sample) axis; received a scalar {arr!r}")
    if arr.dtype.kind == "f":
        arr = arr.astype(float_dtype, copy=False)
    elif arr.dtype not in _KEEP:
        arr = arr.astype("int32")
    return np.ascontiguousarray(arr)


def flatten_inputs(x: Any, float_dtype: str = "float32") -> list:
    """The model inputs as a flat list of arrays (a single array, or a list/tuple/dict of them)."""
    if x is None:
        raise ValueError("Unexpected value for `x`: None. Expected a NumPy array, a list of arrays or a tensor.")
    if isinstance(x, (list, tuple)) and x and all(_is_array_like(v) for v in x):
        parts = list(x)
    elif isinstance(x, dict):
        parts = [x[k] for k in sorted(x)]
    else:
        parts = [x]
    return [
        to_array(p, "x" if len(parts) == 1 else f"x[{i}]", float_dtype, allow_composite=True)
        for i, p in enumerate(parts)
    ]


def _is_composite(v: Any) -> bool:
    from ..framework.ragged_tensor import RaggedTensor
    from ..framework.sparse_tensor import SparseTensor
    from .composite_data import COMPOSITE_ROWS

    return isinstance(v, (SparseTensor, RaggedTensor) + COMPOSITE_ROWS)


def contiguous(a: Any) -> Any:
    """``a`` as a C-contiguous array (sparse and ragged rows stay as they are)."""
    return a if a is None or _is_composite(a) else np.ascontiguousarray(a)


def _is_array_like(v: Any) -> bool:
    return isinstance(v, np.ndarray) or hasattr(v, "numpy") or _is_composite(v) or (
        isinstance(v, (list, tuple)) and len(v) > 0 and isinstance(v[0], (list, tuple, np.ndarray))
    )


def num_samples(arrays: list, names: list) -> int:
    """The common first dimension, or a ``ValueError`` naming the arrays that disagree."""
    sizes = {name: int(a.shape[0]) for a, name in zip(arrays, names)}
    if len(set(sizes.values())) > 1:
        listing = ", ".join(f"{k} has {v}" for k, v in sizes.items())
        raise ValueError(f"Data cardinality is ambiguous: every input and target must have the same number of "
                         f"samples, but {listing}. Make sure all arrays contain the same number of samples.")
    return next(iter(sizes.values())) if sizes else 0


def class_weights_to_sample_weights(y: np.ndarray, class_weight: dict) -> np.ndarray:
    """Keras's ``class_weight``: each sample weighs ``class_weight[its class]`` (class = label or argmax)."""
    if y.ndim >= 2 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1).reshape(-1)
    else:
        labels = np.round(y.reshape(len(y), -1)[:, 0]).astype("int64")
    missing = sorted(set(np.unique(labels).tolist()) - set(int(k) for k in class_weight))
    if missing:
        raise ValueError(f"`class_weight` must contain all classes in the data. The classes {missing} exist in "
                         f"the data but not in `class_weight` (which has keys {sorted(class_weight)}).")
    table = np.zeros(int(max(max(class_weight), labels.max(initial=0))) + 1, dtype="float32")
    for k, w in class_weight.items():
        table[int(k)] = float(w)
    return table[labels]


def sample_weight_array(sample_weight: Any, n: int) -> Optional[np.ndarray]:
    if sample_weight is None:
        return None
    sw = to_array(sample_weight, "sample_weight").astype("float32", copy=False)
    if sw.ndim > 1:
        sw = sw.reshape(sw.shape[0], -1)[:, 0] if sw.shape[1:] == (1,) * (sw.ndim - 1) else sw
    if sw.shape[0] != n:
        raise ValueError(f"`sample_weight` must have one weight per sample: expected {n} values, received "
                         f"shape {sw.shape}")
    return np.ascontiguousarray(sw)


def unpack_validation_data(validation_data: Any) -> tuple:
    """``(x, y)`` or ``(x, y, sample_weight)``, as Keras accepts."""
    if isinstance(validation_data, (list, tuple)) and len(validation_data) in (2, 3):
        x, y = validation_data[0], validation_data[1]
        sw = validation_data[2] if len(validation_data) == 3 else None
        return x, y, sw
    raise ValueError(
        "When passing `validation_data`, it must contain either 2 items (x_val, y_val), or 3 items "
        f"(x_val, y_val, val_sample_weights). Received: {type(validation_data).__name__}"
        + (f" of length {len(validation_data)}" if hasattr(validation_data, "__len__") else "")
    )


def split_validation(arrays: list, validation_split: float) -> tuple:
    """Keras's ``validation_split``: the last fraction of the samples, taken before any shuffling."""
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"`validation_split` must be in [0, 1). Received: validation_split={validation_split}")
    n = len(arrays[0])
    split_at = int(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a validation and "
            f"training set as specified by `validation_split={validation_split}`. Either provide more data, or a "
            "different value for the `validation_split` argument."
        )
    train = [None if a is None else a[:split_at] for a in arrays]
    val = [None if a is None else a[split_at:] for a in arrays]
    return train, val


def structure_of(x: Any) -> Any:
    """A template of ``x``'s nesting (list/tuple/dict of inputs), to repack placeholders like the data."""
    if isinstance(x, (list, tuple)) and x and all(_is_array_like(v) for v in x):
        return list(range(len(x)))
    if isinstance(x, dict):
        return {k: i for i, k in enumerate(sorted(x))}
    return 0


def pack_like(structure: Any, flat: list) -> Any:
    if isinstance(structure, dict):
        return {k: flat[i] for k, i in structure.items()}
    if isinstance(structure, list):
        return list(flat)
    return flat[0]


def check_positive_int(value: Any, name: str, allow_none: bool = False) -> Optional[int]:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 < value <= _MAX_COUNT:
        raise ValueError(f"`{name}` must be a positive integer (at most 2**62); received {name}={value!r}")
    return int(value)

