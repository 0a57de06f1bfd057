"""``RaggedTensor.from_uniform_row_length``: rows that all have the same length, a partitioned dimension
whose size is known (``shape`` shows it instead of None) while the values below it may still be ragged."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .tensor import Tensor


def _int_scalar(x: Any, what: str) -> int:
    if isinstance(x, Tensor):
        if not hasattr(x, "numpy"):
            raise NotImplementedError(f"from_uniform_row_length needs {what} known eagerly, received a graph tensor")
        x = x.numpy()
    arr = np.asarray(x)
    if arr.ndim != 0 or arr.dtype.kind not in "iu":
        raise TypeError(f"{what} must be an integer scalar, received {x!r}")
    return int(arr)


def from_uniform_row_length(
    cls: Any, values: Any, uniform_row_length: Any, nrows: Optional[Any], validate: bool
) -> Any:
    """Row ``i`` is ``values[i * length:(i + 1) * length]``; ``nrows`` is needed only when the length is 0."""
    from .ragged_tensor import _as_values, _nrows_of

    values = _as_values(values)
    if isinstance(values, Tensor) and not hasattr(values, "numpy"):
        raise NotImplementedError("from_uniform_row_length of graph values is not supported; use from_row_splits")
    length = _int_scalar(uniform_row_length, "uniform_row_length")
    nvals = _nrows_of(values)
    if length < 0:
        raise ValueError(f"uniform_row_length must be >= 0, received {length}")
    if nrows is None:
        n = nvals // length if length else 0
    else:
        n = _int_scalar(nrows, "nrows")
    if validate and (n * length != nvals or (length and nvals % length)):
        # Both sizes are known here, so this is the static check TensorFlow reports as a ValueError.
        raise ValueError(f"uniform_row_length {length} and nrows {n} do not match the number of values ({nvals})")
    splits = np.arange(n + 1, dtype=np.int64) * length
    rt = cls(values, splits, internal=True)
    rt._uniform_row_length = length
    return rt
