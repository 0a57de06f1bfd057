"""What tables do with the keys they are given: dtype checks, and lookups on the values of sparse and ragged keys."""

from __future__ import annotations

from typing import Any, Callable

from ..framework.dtypes import DType
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor


def as_keys(keys: Any, dtype: Any = None) -> Any:
    """Tensors, sparse and ragged tensors as they are; other values (lists, arrays) as tensors (of ``dtype``)."""
    if isinstance(keys, (Tensor, SparseTensor, RaggedTensor)):
        return keys
    return convert_to_tensor(keys, dtype=dtype)


def check_dtype(keys: Any, expected: DType) -> None:
    """TensorFlow's ``TypeError`` for keys of another dtype than the table's."""
    if keys.dtype != expected:
        raise TypeError(f"Dtype of argument `keys` must be {expected}, received: {keys.dtype}")


def on_values(keys: Any, fn: Callable[[Tensor], Tensor]) -> Any:
    """``fn`` of a dense tensor of keys; for sparse and ragged keys, of their values, in the same structure."""
    if isinstance(keys, SparseTensor):
        return SparseTensor(keys.indices, fn(keys.values), keys.dense_shape)
    if isinstance(keys, RaggedTensor):
        return keys.with_flat_values(fn(keys.flat_values))
    return fn(keys)
